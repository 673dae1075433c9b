"""Building a digest into the archive and queueing its deliveries, one outbox message per channel.

Who receives a digest:
- a home organisation's: its contacts (`/cop contact`): `@user` as a direct message, an e-mail
  address over SMTP, an https:// address as a signed webhook;
- the field's: a post in the community's own channel or category;
- the initiator's: a direct message to the members with the initiator role (else the admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.digests.content import FIELD, INITIATOR, gather
from plugin.digests.render import render
from plugin.storage import outbox
from plugin.storage.communities import members_with_role
from plugin.storage.models import Community, Digest, DigestDelivery, Organisation
from plugin.storage.states import MemberRole

OPERATION = "digest"
CONTACT_CHANNELS = {"user": "direct", "email": "email", "webhook": "webhook"}


@dataclass(frozen=True)
class Target:
    #: post, direct, email or webhook
    channel: str
    #: group id, @username or member user id, e-mail address, URL
    to: str
    username: str | None = None


def organisation_named(session: Session, community: Community, name: str) -> Organisation | None:
    return session.scalar(sa.select(Organisation).where(Organisation.community_id == community.id,
                                                        sa.func.lower(Organisation.name) == name.lower()))


def targets(session: Session, community: Community, audience: str) -> list[Target]:
    if audience == FIELD:
        return [Target("post", community.external_group_id)]
    if audience == INITIATOR:
        members = (members_with_role(session, community.id, MemberRole.INITIATOR)
                   or members_with_role(session, community.id, MemberRole.ADMIN))
        return [Target("direct", m.platform_user_id, m.username) for m in members]
    organisation = organisation_named(session, community, audience)
    if organisation is None:
        return []
    return [Target(CONTACT_CHANNELS[c["kind"]], c["value"], c["value"].lstrip("@") if c["kind"] == "user" else None)
            for c in organisation.digest_contacts if c.get("kind") in CONTACT_CHANNELS]


def audience_named(session: Session, community: Community, name: str) -> str | None:
    """``field``, ``initiator``, or an organisation's name as the community spells it; None for no such one."""
    if name.lower() in (FIELD, INITIATOR):
        return name.lower()
    organisation = organisation_named(session, community, name)
    return organisation.name if organisation is not None else None


def archive(session: Session, community: Community, audience: str, since: str, now: datetime,
            meetings: tuple[int, int] | None = None) -> Digest:
    """Gather (see :func:`plugin.digests.content.gather`) and keep the digest for ``audience``."""
    content = gather(session, community, audience, since, now, meetings)
    digest = Digest(community_id=community.id, audience=audience, body=render(content, {}).markdown,
                    created_at=now, content=content.as_dict(),
                    period_start=datetime.fromisoformat(content.period_start) if content.period_start else None)
    session.add(digest)
    session.flush()
    return digest


def queue_deliveries(session: Session, community: Community, digest: Digest, now: datetime) -> list[DigestDelivery]:
    """One outbox message per target; sending, retries and backoff are the outbox's."""
    deliveries = []
    for target in targets(session, community, digest.audience):
        message_id = outbox.add_message(
            session, idempotency_key=f"digest{digest.id}:{target.channel}:{target.to}"[:200],
            platform=community.platform, operation=OPERATION, now=now,
            payload={"digest": digest.id, "channel": target.channel, "to": target.to, "username": target.username})
        delivery = DigestDelivery(digest_id=digest.id, outbox_message_id=message_id, channel=target.channel,
                                  target=target.to[:500])
        session.add(delivery)
        deliveries.append(delivery)
    session.flush()
    return deliveries
