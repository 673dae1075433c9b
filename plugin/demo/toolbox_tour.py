"""The second part of `kring demo`: a simulated CoP — 20 members from 8 organisations, a dozen
meetings on a virtual clock — running all built-in workflows on the embedded defaults, then what each
step of the toolbox produced, read back from the database.

Private records (learning goals, highlights, logbook lines) are only counted, never shown.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop import journal
from plugin.cop.composition import composition, composition_report
from plugin.cop.facilitation import facilitators_view
from plugin.engine.journal import EntryKind
from plugin.localized import number
from plugin.runtime import Runtime
from plugin.simulation import DEMO_COMMUNITY, simulate
from plugin.storage.models import (
    Answer,
    Community,
    Digest,
    DigestDelivery,
    Meeting,
    Member,
    Organisation,
    OutboxMessage,
    QuestionSet,
)
from plugin.storage.states import MeetingStatus
from plugin.texts import label, text
from plugin.workflows.catalog import BUILTIN_DIR

Echo = Callable[[str], None]
MEETINGS = 12
#: What is this CoP about, which problem does it solve, what do I see when it is solved.
DOMAIN_QUESTIONS = 3


def _entries(session: Session, community: Community, kind: EntryKind) -> list[str]:
    names = journal.member_names(session, community.id)
    return [f"  {e.number}. {e.text}" + (f" — {names[e.member_id]}" if e.member_id in names else "")
            for e in journal.entries(session, community.id, kind)]


def _private_count(session: Session, community: Community, kind: EntryKind) -> int:
    return sum(1 for member_id in journal.member_names(session, community.id)
               for e in journal.entries(session, community.id, kind, reader=member_id) if e.member_id == member_id)


def _trend(session: Session, community: Community, kind: EntryKind) -> str:
    """Per meeting its average on the scale it was given on ("3,6 van 5"), or "-" with too few votes."""
    language = community.language
    points = [f"{e.meeting_number}: " + (text("tour.score", language, average=number(e.data["average"], language))
                                         if e.data.get("average") is not None else "-")
              for e in journal.entries(session, community.id, kind)]
    return ", ".join(points) or "-"


def report(runtime: Runtime, community_id: int, language: str, echo: Echo) -> None:
    """Print, step by step, what the simulated CoP recorded."""
    with runtime.database.session() as session:
        community = session.get_one(Community, community_id)

        def section(step: int, lines: list[str]) -> None:
            echo("\n" + text(f"tour.step{step}", language))
            for line in lines:
                echo("  " + line.replace("\n", "\n  "))

        three_questions = [q.id for q in session.scalars(sa.select(QuestionSet).where(
            QuestionSet.community_id == community_id, QuestionSet.thread_key == "domain-definition"))
            if len(q.questions) == DOMAIN_QUESTIONS]
        answers = session.scalar(sa.select(sa.func.count()).select_from(Answer).where(
            Answer.question_set_id.in_(three_questions))) or 0
        section(1, [text("tour.domain", language, answers=answers), *_entries(session, community, EntryKind.DOMAIN),
                    text("tour.signals", language), *_entries(session, community, EntryKind.SIGNAL)])
        section(2, composition_report(composition(session, community), language).splitlines())
        organisations = session.scalars(sa.select(Organisation).where(Organisation.community_id == community_id)
                                        .order_by(Organisation.name))
        consent = session.scalar(sa.select(sa.func.count()).select_from(Member).where(
            Member.community_id == community_id, Member.consent.is_(True))) or 0
        members = len(journal.member_names(session, community_id))
        section(3, [text("tour.consent", language, consent=consent, members=members)] + [
            f"  {o.name}: {', '.join(c['value'] for c in o.digest_contacts) or '-'}" for o in organisations])
        held = session.scalars(sa.select(Meeting).where(Meeting.community_id == community_id).order_by(Meeting.number))
        pairs = []
        for meeting in held:
            if meeting.status == MeetingStatus.CANCELLED:
                continue
            pair = facilitators_view(session, community_id, meeting.number)
            if pair:
                pairs.append(f"  {meeting.number}. " + ", ".join(f"{label('role', role, language)}: {p['name']}"
                                                                 for role, p in pair.items()))
        section(4, pairs)
        section(5, [*_entries(session, community, EntryKind.DECISION), text(
            "tour.goals", language, count=_private_count(session, community, EntryKind.GOAL))])
        section(6, [text("tour.evaluations", language, trend=_trend(session, community, EntryKind.EVALUATION)),
                    text("tour.ambition", language, trend=_trend(session, community, EntryKind.AMBITION)),
                    text("tour.coalitions", language), *_entries(session, community, EntryKind.COALITION),
                    text("tour.highlights", language,
                         count=_private_count(session, community, EntryKind.HIGHLIGHT))])
        section(7, [*_entries(session, community, EntryKind.EXPERIMENT),
                    text("tour.backcasts", language, count=len(journal.entries(session, community_id,
                                                                              EntryKind.BACKCAST))),
                    text("tour.logbook", language, count=_private_count(session, community, EntryKind.LOG))])
        digests = Counter(session.scalars(sa.select(Digest.audience).where(Digest.community_id == community_id)))
        deliveries = Counter(session.execute(sa.select(DigestDelivery.channel, OutboxMessage.status).join(
            OutboxMessage, DigestDelivery.outbox_message_id == OutboxMessage.id)).all())
        section(8, [text("tour.digests", language, count=sum(digests.values()), audiences=len(digests)),
                    text("tour.deliveries", language, listed=", ".join(
                        f"{label('channel', channel, language)} {label('outbox', status.value, language)}: {n}"
                        for (channel, status), n in sorted(deliveries.items()))
                        or "-")])


def run_toolbox_tour(language: str, echo: Echo, meetings: int = MEETINGS, out: Path | None = None) -> None:
    """Simulate the demo community for ``meetings`` meetings; keep the transcript in ``out`` if given."""
    folder = out or Path(tempfile.mkdtemp(prefix="kring-tour-"))
    echo(text("tour.title", language, meetings=meetings))
    workflow_ids = sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))
    try:
        summary = simulate(workflow_ids, DEMO_COMMUNITY, None, folder, [], meetings=meetings, language=language,
                           report=lambda runtime, community_id: report(runtime, community_id, language, echo))
        echo("\n" + text("tour.done", language, seconds=summary["seconds"], entries=summary["entries"])
             + " " + (text("tour.kept", language, transcript=folder / "transcript.txt") if out
                      else text("tour.keep_hint", language)))
    finally:
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)
