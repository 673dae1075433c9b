"""The connectors Kring knows: a new platform is a package in `plugin/platforms/` and one line here."""

from __future__ import annotations

from collections.abc import Sequence

from plugin.clock import Clock
from plugin.config import Config
from plugin.errors import KringError
from plugin.platforms.connector import Capability, Connector
from plugin.platforms.discourse.connector import DiscourseConnector
from plugin.platforms.mattermost.connector import MattermostConnector
from plugin.signing import Signer
from plugin.storage.installations import Installed

CONNECTORS: dict[str, type[Connector]] = {
    connector.name: connector for connector in (MattermostConnector, DiscourseConnector)
}


def build_connectors(config: Config, installations: Sequence[Installed], signer: Signer, clock: Clock
                     ) -> dict[str, Connector]:
    """One connector per known platform, each with the credentials configured or installed for it."""
    return {name: kind(config, installations, signer, clock) for name, kind in CONNECTORS.items()}


def connector_type(platform: str) -> type[Connector]:
    try:
        return CONNECTORS[platform]
    except KeyError:
        raise KringError(f"unknown platform {platform!r}; Kring knows {', '.join(sorted(CONNECTORS))}") from None


def capabilities_of(platform: str) -> frozenset[Capability]:
    """What the platform can do, without its credentials (a workflow step deciding how to post)."""
    return connector_type(platform).capabilities
