"""`kring import`: a community's record (``schema.json``) restored into this Kring — a move between servers.

The document is checked against the schema first and every problem named with where it is; nothing is
written unless all of it is restored, in one transaction. Meetings still ahead get their timers, and
each workflow is enabled again, pinned to this server's text of it (a workflow this server lacks is
named, not invented). What an export leaves out (private notes, who voted what, secrets) cannot come back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from plugin.engine.journal import EntryKind
from plugin.engine.model import Workflow
from plugin.errors import KringError
from plugin.storage.communities import add_community
from plugin.storage.models import (
    Assignment,
    Community,
    Digest,
    JournalCounter,
    JournalEntry,
    Meeting,
    Member,
    Organisation,
    Poll,
)
from plugin.storage.states import MeetingStatus, MemberRole, Openness, Orientation, PollStatus
from plugin.workflows import enablement
from plugin.workflows.meetings import plan_meeting_timers

SCHEMA_PATH = Path(__file__).with_name("schema.json")


class ImportRefused(KringError):
    """The document cannot be restored; ``problems`` says every reason, each with where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text("utf-8")),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems_in(document: Any) -> list[str]:
    """What makes ``document`` no community record, each as ``where: what``."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(the document)'}: {error.message}"
            for error in sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _community(session: Session, data: dict[str, Any], now: datetime) -> Community:
    try:
        community = add_community(
            session, platform=data["platform"], group_id=data["group_id"], team_id=data["team_id"],
            name=data["name"], language=data["language"], timezone=data["timezone"], now=now,
            start_date=date.fromisoformat(data["start_date"]) if data["start_date"] else None,
            cadence_weeks=data["cadence_weeks"], run_months=data["run_months"], openness=Openness(data["openness"]))
    except ValueError as exc:  # the group is a community here already
        raise ImportRefused([f"community/group_id: {exc}"]) from exc
    community.domain_statement, community.member_group = data["domain_statement"], data["member_group"]
    community.created_at = _when(data["created_at"]) or now
    community.published_at = now if data["published"] else None
    return community


def _members(session: Session, community: Community, document: dict[str, Any]) -> dict[str, int]:
    organisations = {}
    for item in document["organisations"]:
        organisation = Organisation(community_id=community.id, name=item["name"], sector=item["sector"],
                                    digest_contacts=item["contacts"])
        session.add(organisation)
        organisations[item["name"]] = organisation
    session.flush()
    members = {}
    for item in document["members"]:
        member = Member(community_id=community.id, platform_user_id=item["user_id"], username=item["username"],
                        name=item["name"], role=MemberRole(item["role"]), core_group=item["core_group"],
                        organisation_id=organisations[item["organisation"]].id if item["organisation"] in
                        organisations else None, consent=item["consent"], joined_at=_when(item["joined_at"]),
                        left_at=_when(item["left_at"]),
                        orientation=Orientation(item["orientation"]) if item["orientation"] else None)
        session.add(member)
        members[item["user_id"]] = member
    session.flush()
    return {user_id: member.id for user_id, member in members.items()}


def _calendar(session: Session, community: Community, document: dict[str, Any], members: dict[str, int],
              now: datetime) -> None:
    for item in document["meetings"]:
        meeting = Meeting(community_id=community.id, number=item["number"], starts_at=_when(item["starts_at"]),
                          ends_at=_when(item["ends_at"]), status=MeetingStatus(item["status"]),
                          revision=item["revision"])
        session.add(meeting)
        session.flush()
        if meeting.status == MeetingStatus.PLANNED:
            plan_meeting_timers(session, meeting, now)  # only those still ahead get any
    for item in document["facilitation"]:
        session.add(Assignment(key=f"import{community.id}:{item['key']}"[:200], community_id=community.id,
                               kind=item["kind"], meeting_number=item["meeting"], responses=item["responses"],
                               roles={role: members[user] for role, user in item["roles"].items() if user in members},
                               created_at=_when(item["created_at"])))


def _records(session: Session, community: Community, document: dict[str, Any], members: dict[str, int]) -> None:
    last: dict[EntryKind, int] = defaultdict(int)
    for item in document["journal"]:
        kind = EntryKind(item["kind"])
        session.add(JournalEntry(community_id=community.id, kind=kind, number=item["number"], text=item["text"],
                                 link=item["link"], data=item["data"], member_id=members.get(item["member"] or ""),
                                 meeting_number=item["meeting"], created_at=_when(item["created_at"])))
        last[kind] = max(last[kind], item["number"])
    session.add_all(JournalCounter(community_id=community.id, kind=kind, last_number=number)
                    for kind, number in last.items())  # the next entry of a kind follows the imported ones
    for index, item in enumerate(document["polls"], start=1):
        closed = _when(item["closed_at"]) or _when(item["opened_at"])
        session.add(Poll(key=f"import{community.id}:poll{index}", community_id=community.id, question=item["question"],
                         options=item["options"], multiple=item["multiple"], anonymous=item["anonymous"], voters=[],
                         in_digest=item["in_digest"], status=PollStatus.CLOSED, opened_at=_when(item["opened_at"]),
                         closes_at=closed, closed_at=closed, results=item["results"]))
    session.add_all(Digest(community_id=community.id, audience=item["audience"], body=item["body"],
                           content=item["content"], created_at=_when(item["created_at"]),
                           period_start=_when(item["period_start"])) for item in document["digests"])


def _workflows(session: Session, community: Community, document: dict[str, Any], known: dict[str, Workflow],
               now: datetime) -> list[str]:
    missing = []
    for item in document["workflows"]:
        workflow = known.get(item["id"])
        if workflow is None:
            missing.append(item["id"])
            continue
        params = {p.name: item["params"].get(p.name, p.default) for p in workflow.params}
        enabled = enablement.enable_checked(session, community, workflow, params, "kring import", now,
                                            admins=item["admins"])
        if not item["enabled"]:
            enablement.disable(session, enabled)
    return missing


def restore(session: Session, document: Any, known: dict[str, Workflow], now: datetime) -> tuple[Community, list[str]]:
    """Restore the community ``document`` holds; returns it and the workflows this server does not have."""
    problems = problems_in(document)
    if problems:
        raise ImportRefused(problems)
    community = _community(session, document["community"], now)
    members = _members(session, community, document)
    _calendar(session, community, document, members, now)
    _records(session, community, document, members)
    session.flush()
    return community, _workflows(session, community, document, known, now)
