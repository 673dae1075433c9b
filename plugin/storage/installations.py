"""Installations recorded by `kring install`: the credentials the platforms gave Kring."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from plugin.storage.database import Database
from plugin.storage.models import Installation
from plugin.storage.states import Platform


def find(session: Session, platform: Platform, scope: str) -> Installation | None:
    return session.scalar(sa.select(Installation).where(Installation.platform == platform,
                                                        Installation.scope == scope))


def of_platform(session: Session, platform: Platform) -> list[Installation]:
    return list(session.scalars(sa.select(Installation).where(Installation.platform == platform)
                                .order_by(Installation.id)))


def webhook_secrets(session: Session, platform: Platform) -> list[str]:
    return [secret for secret in session.scalars(sa.select(Installation.webhook_secret).where(
        Installation.platform == platform, Installation.webhook_secret.is_not(None))) if secret]


def command_tokens(session: Session, platform: Platform) -> list[str]:
    return [token for token in session.scalars(sa.select(Installation.command_token).where(
        Installation.platform == platform, Installation.command_token.is_not(None))) if token]


def save(session: Session, platform: Platform, scope: str, base_url: str, now: datetime, **values: str | None
         ) -> Installation:
    installation = find(session, platform, scope)
    if installation is None:
        installation = Installation(platform=platform, scope=scope, base_url=base_url, installed_at=now)
        session.add(installation)
    installation.base_url = base_url
    installation.installed_at = now
    for name, value in values.items():
        setattr(installation, name, value)
    session.flush()
    return installation


def load_all(database: Database) -> list[Installation]:
    """Every installation; none when the database is not migrated yet (the CLI says so separately)."""
    try:
        with database.session() as session:
            return list(session.scalars(sa.select(Installation).order_by(Installation.id)))
    except SQLAlchemyError:
        return []
