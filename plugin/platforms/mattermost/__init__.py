"""Mattermost: REST v4 client and the mapping of Kring's actions onto it."""
