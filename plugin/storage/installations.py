"""Installations recorded by `kring install`: the credentials the platforms gave Kring.

Tokens, the API key and webhook secrets are stored sealed (:mod:`plugin.sealing`); this module is the
only place that seals and opens them, so everything else sees plain :class:`Installed` values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from plugin.sealing import Sealer
from plugin.storage.database import Database
from plugin.storage.models import Installation

#: The columns of `installation` that hold credentials.
SEALED = ("command_token", "bot_token", "webhook_secret")


@dataclass(frozen=True)
class Installed:
    """An installation with its credentials opened."""

    platform: str
    scope: str
    base_url: str
    command_id: str | None
    command_token: str | None
    bot_user_id: str | None
    bot_token: str | None
    webhook_id: str | None
    webhook_secret: str | None


def _opened(installation: Installation, sealer: Sealer) -> Installed:
    def value(name: str) -> str | None:
        stored: str | None = getattr(installation, name)
        return sealer.open(stored) if stored else None

    return Installed(installation.platform, installation.scope, installation.base_url, installation.command_id,
                     value("command_token"), installation.bot_user_id, value("bot_token"), installation.webhook_id,
                     value("webhook_secret"))


def find(session: Session, platform: str, scope: str) -> Installation | None:
    return session.scalar(sa.select(Installation).where(Installation.platform == platform,
                                                        Installation.scope == scope))


def of_platform(session: Session, platform: str) -> list[Installation]:
    """The platform's installation records (their credentials sealed)."""
    return list(session.scalars(sa.select(Installation).where(Installation.platform == platform)
                                .order_by(Installation.id)))


def opened(session: Session, platform: str, sealer: Sealer) -> list[Installed]:
    return [_opened(installation, sealer) for installation in of_platform(session, platform)]


def save(session: Session, sealer: Sealer, platform: str, scope: str, base_url: str, now: datetime,
         **values: str | None) -> Installation:
    installation = find(session, platform, scope)
    if installation is None:
        installation = Installation(platform=platform, scope=scope, base_url=base_url, installed_at=now)
        session.add(installation)
    installation.base_url = base_url
    installation.installed_at = now
    for name, value in values.items():
        setattr(installation, name, sealer.seal(value) if name in SEALED and value else value)
    session.flush()
    return installation


def reseal_all(session: Session, sealer: Sealer) -> int:
    """Seal every stored credential again with the current key; how many there were."""
    count = 0
    for installation in session.scalars(sa.select(Installation)):
        for name in SEALED:
            value = getattr(installation, name)
            if value:
                setattr(installation, name, sealer.rotate(value))
                count += 1
    return count


def load_all(database: Database, sealer: Sealer) -> list[Installed]:
    """Every installation; none when the database is not migrated yet (the CLI says so separately)."""
    try:
        with database.session() as session:
            installations = list(session.scalars(sa.select(Installation).order_by(Installation.id)))
            return [_opened(installation, sealer) for installation in installations]
    except SQLAlchemyError:
        return []
