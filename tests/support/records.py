"""Reading back what Kring stored, and setting up communities."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.runtime import Runtime
from plugin.storage.communities import add_community
from plugin.storage.models import InboundEvent, Member, OutboxMessage


def count(runtime: Runtime, model: type[InboundEvent] | type[OutboxMessage]) -> int:
    with runtime.database.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def events(runtime: Runtime) -> list[InboundEvent]:
    with runtime.database.session() as session:
        return list(session.scalars(sa.select(InboundEvent).order_by(InboundEvent.id)))


def outbox_messages(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.database.session() as session:
        return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def make_community(runtime: Runtime, platform: str, group_id: str, language: str = "en",
                   name: str = "CoP Water", members: tuple[str, ...] = ()) -> int:
    """A community; ``members`` by user name, with the user ids the test payloads give them (`user-anna`)."""
    with runtime.database.session() as session:
        community = add_community(session, platform=platform, group_id=group_id, name=name, language=language,
                                  timezone="Europe/Amsterdam", now=runtime.clock.now())
        session.add_all([Member(community_id=community.id, platform_user_id=f"user-{name}", username=name,
                                name=name.capitalize(), joined_at=runtime.clock.now()) for name in members])
        return community.id


def fast_retries(runtime: Runtime) -> None:
    """Shorten the platform clients' retry backoff, so that tests of retries run in milliseconds."""
    for connector in runtime.connectors.values():
        if connector.outbound is not None:
            connector.outbound.client.http.backoff = 0.01  # type: ignore[attr-defined]
