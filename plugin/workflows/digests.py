"""A first digest: what the community recorded in a period, in its language, archived.

Anonymous poll results appear only aggregated, and only when at least three votes exist.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.storage.models import Community, Digest, Meeting, Poll
from plugin.storage.states import MeetingStatus, PollStatus
from plugin.texts import text

MIN_ANONYMOUS_VOTES = 3


def _since(session: Session, community: Community, audience: str, since: str) -> datetime | None:
    if since == "start":
        return None
    return session.scalar(sa.select(sa.func.max(Digest.created_at)).where(
        Digest.community_id == community.id, Digest.audience == audience))


def _poll_line(poll: Poll, language: str) -> str:
    results = poll.results or {}
    votes = int(results.get("votes", 0))
    if poll.anonymous and votes < MIN_ANONYMOUS_VOTES:
        return text("digest.poll_hidden", language, question=poll.question)
    if results.get("average") is not None:
        summary = f"⌀ {results['average']}"
    else:
        counts = results.get("counts", {})
        summary = ", ".join(f"{option}: {n}" for option, n in counts.items())
    return text("digest.poll", language, question=poll.question, summary=summary, votes=votes)


def build_and_archive(session: Session, community: Community, audience: str, since: str, now: datetime) -> str:
    language = community.language
    start = _since(session, community, audience, since)
    meetings = list(session.scalars(sa.select(Meeting).where(Meeting.community_id == community.id)))
    held = [m for m in meetings if m.status == MeetingStatus.PLANNED and m.ends_at <= now
            and (start is None or m.ends_at > start)]
    polls = session.scalars(sa.select(Poll).where(
        Poll.community_id == community.id, Poll.status == PollStatus.CLOSED,
        *([Poll.closed_at > start] if start is not None else [])).order_by(Poll.closed_at))
    lines = [text("digest.title", language, name=community.name, audience=audience),
             text("digest.meetings", language, held=len(held), planned=len(meetings))]
    if community.domain_statement:
        lines.append(text("digest.domain", language, statement=community.domain_statement))
    poll_lines = [_poll_line(poll, language) for poll in polls]
    lines += poll_lines or ([] if held else [text("digest.nothing", language)])
    body = "\n".join(lines)
    session.add(Digest(community_id=community.id, audience=audience, body=body, created_at=now))
    return body
