"""The SSRF guard: a digest webhook may only reach public addresses.

Every address the host name resolves to must be public — not loopback, private, link-local (which
includes the cloud metadata address 169.254.169.254), multicast, reserved or unspecified, also when
written as an IPv4-mapped IPv6 address — unless an operator lists the host in
KRING_WEBHOOK_ALLOWED_HOSTS. Redirects are never followed, so a public address cannot bounce the
request inwards.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from plugin.errors import UnsafeTarget

Resolver = Callable[[str, int], Iterable[str]]


def resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except socket.gaierror as exc:
        raise UnsafeTarget(f"cannot resolve {host}: {exc.strerror}", retryable=True) from exc


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def check_url(url: str, allowed_hosts: Iterable[str] = (), resolver: Resolver = resolve) -> None:
    """Raise :class:`UnsafeTarget` unless ``url`` is an http(s) URL whose host is public (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise UnsafeTarget("a webhook URL must not carry credentials")
    host = parts.hostname.lower()
    if host in {h.lower() for h in allowed_hosts}:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = list(resolver(host, port))
    blocked = [address for address in addresses if _forbidden(address)]
    if blocked or not addresses:
        raise UnsafeTarget(f"{host} resolves to {', '.join(blocked) or 'nothing'}: not a public address "
                           "(an operator can allow the host with KRING_WEBHOOK_ALLOWED_HOSTS)")
