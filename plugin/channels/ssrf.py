"""The SSRF guard: a digest webhook may only reach public addresses.

Every address the host name resolves to must be public — not loopback, private, link-local (which
includes the cloud metadata address 169.254.169.254), multicast, reserved or unspecified, also when
written as an IPv4-mapped IPv6 address — unless an operator lists the host in
KRING_WEBHOOK_ALLOWED_HOSTS. Redirects are never followed, so a public address cannot bounce the
request inwards.

Checking the name before the request is not enough: a name can resolve to a public address for the
check and to a private one for the connection a moment later (DNS rebinding). So the request itself
goes through :func:`public_only_session`, which checks the address the socket actually connected to
before a byte is sent, and never uses a proxy from the environment (the peer would be the proxy).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from plugin.errors import UnsafeTarget

Resolver = Callable[[str, int], Iterable[str]]


def resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except socket.gaierror as exc:
        raise UnsafeTarget(f"cannot resolve {host}: {exc.strerror}", retryable=True) from exc


#: Not flagged by :mod:`ipaddress`, but no place for a webhook: the 6to4 relay anycast range.
_RELAYS = (ipaddress.ip_network("192.88.99.0/24"),)


def _forbidden(address: str) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:  # fec0::/10, deprecated but still routed inwards by some networks
            return True
        # An IPv4 address inside an IPv6 one (mapped, 6to4, Teredo) is judged as the IPv4 address it reaches.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    if any(ip in network for network in _RELAYS):
        return True
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def is_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether an operator listed the URL's host in KRING_WEBHOOK_ALLOWED_HOSTS."""
    return (urlsplit(url).hostname or "").lower() in {host.lower() for host in allowed_hosts}


def check_url(url: str, allowed_hosts: Iterable[str] = (), resolver: Resolver = resolve) -> None:
    """Raise :class:`UnsafeTarget` unless ``url`` is an http(s) URL whose host is public (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise UnsafeTarget("a webhook URL must not carry credentials")
    host = parts.hostname.lower()
    if is_allowed(url, allowed_hosts):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = list(resolver(host, port))
    blocked = [address for address in addresses if _forbidden(address)]
    if blocked or not addresses:
        raise UnsafeTarget(f"{host} resolves to {', '.join(blocked) or 'nothing'}: not a public address "
                           "(an operator can allow the host with KRING_WEBHOOK_ALLOWED_HOSTS)")


def _refuse_private_peer(sock: socket.socket, host: str) -> None:
    peer = str(sock.getpeername()[0])
    if _forbidden(peer):
        sock.close()
        raise UnsafeTarget(f"{host} connected to {peer}: not a public address (an operator can allow the host "
                           "with KRING_WEBHOOK_ALLOWED_HOSTS)")


class _PublicHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _refuse_private_peer(sock, self.host)
        return sock


class _PublicHTTPSConnection(_PublicHTTPConnection, HTTPSConnection):
    """TLS over the checked socket: the check runs before the handshake."""


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}


def public_only_session() -> requests.Session:
    """A session whose connections are refused (:class:`UnsafeTarget`) when the peer is not public."""
    session = requests.Session()
    session.trust_env = False
    adapter = _PublicOnlyAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
