"""Internal addresses: where a platform refuses to send Kring anything unless its admin lists the host
(Mattermost's `AllowedUntrustedInternalConnections`, Discourse's `allowed_internal_hosts`)."""

from __future__ import annotations

import ipaddress
import socket


def internal_addresses(host: str) -> list[str]:
    """The loopback, private and link-local addresses ``host`` resolves to (none when it does not)."""
    try:
        addresses = sorted({str(info[4][0]).split("%", 1)[0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError):
        return []
    return [address for address in addresses if (ip := ipaddress.ip_address(address)).is_private
            or ip.is_loopback or ip.is_link_local]
