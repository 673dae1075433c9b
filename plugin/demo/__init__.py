"""The guided demo: a stand-in platform and a scripted tour through the real app and worker."""
