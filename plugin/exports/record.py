"""A community's whole record as one JSON document (``schema.json``), for an archive or a move to
another Kring, under the rules every other output follows.

Left out on purpose: members' private notes (their logbook, learning goals and highlights: each member
takes their own with `/cop notes export`), intake answers, who voted what (only a closed poll's
tallies), and anything secret (tokens, webhook secrets). A member erased with `kring member forget`
is their pseudonym here too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import plugin
from plugin.storage.models import (
    Assignment,
    Community,
    Digest,
    JournalEntry,
    Meeting,
    Member,
    Organisation,
    Poll,
    WorkflowEnablement,
)
from plugin.storage.states import PollStatus

FORMAT = "kring-community/1"


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _community(community: Community) -> dict[str, Any]:
    return {"name": community.name, "platform": community.platform, "group_id": community.external_group_id,
            "team_id": community.team_id, "language": community.language, "timezone": community.timezone,
            "start_date": _iso(community.start_date), "cadence_weeks": community.meeting_cadence_weeks,
            "run_months": community.run_length_months, "openness": community.openness.value,
            "domain_statement": community.domain_statement, "member_group": community.member_group,
            "published": community.published_at is not None, "created_at": _iso(community.created_at)}


def _members(session: Session, community_id: int, organisations: dict[int, str]) -> list[dict[str, Any]]:
    return [{"user_id": m.platform_user_id, "username": m.username, "name": m.name,
             "organisation": organisations.get(m.organisation_id or 0), "role": m.role.value,
             "orientation": m.orientation.value if m.orientation else None, "core_group": m.core_group,
             "consent": m.consent, "joined_at": _iso(m.joined_at), "left_at": _iso(m.left_at)}
            for m in session.scalars(sa.select(Member).where(Member.community_id == community_id)
                                     .order_by(Member.id))]


def community_record(session: Session, community: Community, now: datetime) -> dict[str, Any]:
    """Everything Kring may hand over about ``community``, as :data:`FORMAT`."""
    cid = community.id
    organisations = list(session.scalars(sa.select(Organisation).where(Organisation.community_id == cid)
                                         .order_by(Organisation.id)))
    names = {o.id: o.name for o in organisations}
    users = {row.id: row.platform_user_id for row in session.execute(
        sa.select(Member.id, Member.platform_user_id).where(Member.community_id == cid))}
    return {
        "format": FORMAT, "exported_at": now.isoformat(), "kring_version": plugin.__version__,
        "community": _community(community),
        "organisations": [{"name": o.name, "sector": o.sector, "contacts": list(o.digest_contacts)}
                          for o in organisations],
        "members": _members(session, cid, names),
        "meetings": [{"number": m.number, "starts_at": _iso(m.starts_at), "ends_at": _iso(m.ends_at),
                      "status": m.status.value, "revision": m.revision}
                     for m in session.scalars(sa.select(Meeting).where(Meeting.community_id == cid)
                                              .order_by(Meeting.number))],
        "facilitation": [{"key": a.key, "kind": a.kind, "meeting": a.meeting_number,
                          "roles": {role: users.get(member_id) for role, member_id in a.roles.items()},
                          "responses": dict(a.responses), "created_at": _iso(a.created_at)}
                         for a in session.scalars(sa.select(Assignment).where(Assignment.community_id == cid)
                                                  .order_by(Assignment.id))],
        "journal": [{"kind": e.kind.value, "number": e.number, "text": e.text, "link": e.link, "data": e.data,
                     "member": users.get(e.member_id or 0), "meeting": e.meeting_number,
                     "created_at": _iso(e.created_at)}
                    for e in session.scalars(sa.select(JournalEntry).where(
                        JournalEntry.community_id == cid, JournalEntry.private.is_(False)).order_by(JournalEntry.id))],
        "polls": [{"question": p.question, "options": list(p.options), "multiple": p.multiple,
                   "anonymous": p.anonymous, "in_digest": p.in_digest, "opened_at": _iso(p.opened_at),
                   "closed_at": _iso(p.closed_at), "results": p.results or {}}
                  for p in session.scalars(sa.select(Poll).where(Poll.community_id == cid,
                                                                 Poll.status == PollStatus.CLOSED).order_by(Poll.id))],
        "digests": [{"audience": d.audience, "created_at": _iso(d.created_at), "period_start": _iso(d.period_start),
                     "body": d.body, "content": d.content}
                    for d in session.scalars(sa.select(Digest).where(Digest.community_id == cid).order_by(Digest.id))],
        "workflows": [{"id": e.workflow_id, "version": e.workflow_version, "enabled": e.enabled, "params": e.params,
                       "admins": list(e.admins or [])}
                      for e in session.scalars(sa.select(WorkflowEnablement).where(
                          WorkflowEnablement.community_id == cid).order_by(WorkflowEnablement.id))],
    }
