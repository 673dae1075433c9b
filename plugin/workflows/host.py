"""The engine's :class:`Host` on the database: what a step does becomes rows, posts go to the outbox."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.cop import calendar, facilitation, journal, profile
from plugin.cop.composition import composition, composition_report
from plugin.cop.views import community_view, meetings_view, members_view, next_meeting, organisations_view
from plugin.digests import dispatch
from plugin.engine.host import PollResult, PollSpec, QuestionSpec
from plugin.engine.journal import EntryKind
from plugin.engine.templates import TemplateFailed
from plugin.platforms.base import Button, NativePoll, OutboundPost
from plugin.platforms.connector import Capability
from plugin.platforms.registry import capabilities_of
from plugin.storage import outbox, timers
from plugin.storage.communities import members_with_role
from plugin.storage.models import (
    Answer,
    Assignment,
    Community,
    Member,
    Poll,
    QuestionSet,
    Thread,
    Vote,
    WorkflowRun,
)
from plugin.storage.states import MemberRole, PollStatus, RunStatus, TimerKind
from plugin.texts import text
from plugin.workflows import runs, tally

#: How long a poll waits past its closing time for a native poll's tallies before closing without them.
NATIVE_RESULTS_PATIENCE = timedelta(minutes=15)


@dataclass(frozen=True)
class Emitted:
    """An event a step caused; the runner dispatches it after the step."""

    name: str
    key: str | None
    occurrence: str
    data: dict[str, Any] = field(default_factory=dict)


class DatabaseHost:
    def __init__(self, session: Session, community: Community, run: WorkflowRun, now: datetime,
                 key_prefix: str) -> None:
        self.session = session
        self.community = community
        self.run = run
        self._now = now
        self.key_prefix = key_prefix
        self.emitted: list[Emitted] = []
        self._posts = 0
        self._context: dict[str, Any] = {}
        self.zone = ZoneInfo(community.timezone)
        self._capabilities = capabilities_of(community.platform)

    def now(self) -> datetime:
        return self._now

    def template_context(self, names: Collection[str] | None = None) -> dict[str, Any]:
        builders = self._context_builders()
        wanted = builders.keys() if names is None else builders.keys() & set(names)
        for name in wanted - self._context.keys():
            self._context[name] = builders[name]()
        return {name: self._context[name] for name in wanted}

    def _context_builders(self) -> dict[str, Callable[[], Any]]:
        """How each name of the template context is read: only the names a template uses are (a step
        that renders "{{ community.name }}" reads no members and no meetings)."""
        inputs = self.run.inputs
        return {
            "community": lambda: community_view(self.community),
            "members": self.members,
            "organisations": lambda: organisations_view(self.session, self.community.id),
            "meetings": lambda: meetings_view(self.session, self.community),
            "meeting": lambda: inputs.get("meeting") or next_meeting(self.session, self.community, self._now),
            "params": lambda: inputs.get("params", {}),
            "args": lambda: inputs.get("args", {}),
            "event": lambda: inputs.get("event", {}),
            "run": lambda: {"id": self.run.id, "trigger": self.run.trigger},
            "trigger": lambda: inputs.get("trigger", {}),
            # Functions, so that the queries behind them run only when a template calls them.
            "entries": lambda: self.entries,
            "composition": lambda: self.composition,
            "facilitators": lambda: self.facilitators,
        }

    def composition(self) -> dict[str, Any]:
        report = composition(self.session, self.community)
        return {**report.as_dict(), "report": composition_report(report, self.community.language)}

    def facilitators(self) -> dict[str, Any]:
        meeting = self.template_context(("meeting",))["meeting"]
        if not isinstance(meeting, dict):
            return {}
        return facilitation.facilitators_view(self.session, self.community.id, int(meeting["number"]))

    def members(self) -> list[dict[str, Any]]:
        return members_view(self.session, self.community.id)

    # -- posting --------------------------------------------------------------------------------

    def _send(self, post: OutboundPost) -> None:
        self._posts += 1
        outbox.add_message(self.session, idempotency_key=f"{self.key_prefix}:{self._posts}",
                           platform=self.community.platform, operation="post", payload=post.to_payload(),
                           now=self._now)

    def post(self, body: str, *, thread: str | None = None, to_member: int | None = None) -> None:
        group, community_id = self.community.external_group_id, self.community.id
        if to_member is not None:
            member = self.session.get_one(Member, to_member)
            self._send(OutboundPost(group, body, to_user_id=member.platform_user_id, to_username=member.username,
                                    community_id=community_id))
        else:
            self._send(OutboundPost(group, body, thread_key=thread, community_id=community_id))

    def open_thread(self, key: str, title: str, body: str) -> None:
        exists = self.session.scalar(sa.select(Thread.id).where(Thread.community_id == self.community.id,
                                                                Thread.key == key))
        if exists is None:
            self.session.add(Thread(community_id=self.community.id, key=key, title=title[:300],
                                    created_at=self._now))
        self._send(OutboundPost(group_id=self.community.external_group_id, text=body, opens_thread=key,
                                title=title, community_id=self.community.id))

    def _closes(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    # -- questions ------------------------------------------------------------------------------

    def ask(self, spec: QuestionSpec) -> None:
        question_set = QuestionSet(key=spec.key, round=spec.round, community_id=self.community.id,
                                   run_id=self.run.id, questions=list(spec.questions),
                                   recipients=list(spec.recipients), thread_key=spec.thread, direct=spec.direct,
                                   opened_at=self._now, closes_at=spec.closes_at)
        self.session.add(question_set)
        self.session.flush()
        language = self.community.language
        listed = "\n".join(f"{n}. {q}" for n, q in enumerate(spec.questions, start=1))
        prompt = text("ask.prompt", language, round=spec.round, closes=self._closes(spec.closes_at),
                      questions=listed, ref=question_set.id)
        if spec.direct:
            for member in spec.recipients:
                self.post(prompt, to_member=member)
        else:
            self.post(prompt, thread=spec.thread)

    def answers(self, key: str) -> list[dict[str, Any]]:
        rows = self.session.execute(
            sa.select(Answer, QuestionSet.round, Member.name).join(QuestionSet)
            .join(Member, Answer.member_id == Member.id)
            .where(QuestionSet.key == key).order_by(Answer.id))
        return [{"member": a.member_id, "name": name, "question": a.question, "round": round_, "text": a.text}
                for a, round_, name in rows]

    # -- polls ----------------------------------------------------------------------------------

    def open_poll(self, spec: PollSpec) -> None:
        # A platform's own poll stores who voted what, so an anonymous poll is never one: its members
        # vote with `/cop vote`, in a private message where commands are posts.
        native = Capability.NATIVE_POLLS in self._capabilities and not spec.anonymous
        poll = Poll(key=spec.key, community_id=self.community.id, run_id=self.run.id, question=spec.question,
                    options=list(spec.options), multiple=spec.multiple, anonymous=spec.anonymous,
                    voters=list(spec.voters), thread_key=spec.thread, opened_at=self._now,
                    closes_at=spec.closes_at, in_digest=spec.in_digest, native=native,
                    salt=tally.new_salt() if spec.anonymous else None)
        self.session.add(poll)
        self.session.flush()
        language = self.community.language
        if tally.is_scale(spec.options):
            listed = text("poll.scale", language, low=spec.options[0], high=spec.options[-1])
        else:
            listed = "\n".join(f"{n}. {option}" for n, option in enumerate(spec.options, start=1))
        buttons = tuple(Button(option, "vote", {"community": self.community.id, "poll": poll.id, "choice": index},
                               spec.closes_at.isoformat())
                        for index, option in enumerate(spec.options))
        prompt = text("poll.prompt", language, question=spec.question, options=listed,
                      how=self._how_to_vote(poll), closes=self._closes(spec.closes_at),
                      anonymous=text("poll.anonymous", language) if spec.anonymous else "")
        with_buttons = Capability.BUTTONS in self._capabilities and not spec.multiple
        self._send(OutboundPost(self.community.external_group_id, prompt, thread_key=spec.thread,
                                community_id=self.community.id, buttons=buttons if with_buttons else (),
                                poll_id=poll.id,
                                native_poll=NativePoll(poll.id, spec.options, spec.multiple,
                                                       spec.closes_at.isoformat(),
                                                       voters_group=self.community.member_group)
                                if native else None))
        if native:
            timers.add_timer(self.session, key=f"poll{poll.id}:sync", community_id=self.community.id,
                             kind=TimerKind.POLL_SYNC, due_at=spec.closes_at, now=self._now,
                             payload={"poll": poll.id})

    def _how_to_vote(self, poll: Poll) -> str:
        language = self.community.language
        if poll.native:
            return text("poll.how.native", language)
        multiple = text("poll.multiple", language) if poll.multiple else ""
        privately = poll.anonymous and Capability.PUBLIC_COMMANDS in self._capabilities
        return text("poll.how.private" if privately else "poll.how.command", language, ref=poll.id,
                    multiple=multiple)

    def awaiting_native_results(self, key: str) -> bool:
        poll = self._poll(key)
        return poll.native and poll.native_synced_at is None and self._now < poll.closes_at + NATIVE_RESULTS_PATIENCE

    def _poll(self, key: str) -> Poll:
        return self.session.execute(sa.select(Poll).where(Poll.key == key)).scalar_one()

    def poll_result(self, key: str) -> PollResult:
        poll = self._poll(key)
        if poll.status == PollStatus.CLOSED and poll.results is not None:
            return tally.stored_result(poll)
        votes = list(self.session.scalars(sa.select(Vote).where(Vote.poll_id == poll.id).order_by(Vote.id)))
        return tally.tally(poll, votes, {m["id"]: m["name"] for m in self.members()})

    def close_poll(self, key: str) -> PollResult:
        poll = self._poll(key)
        result = self.poll_result(key)
        if poll.status == PollStatus.OPEN:
            poll.status = PollStatus.CLOSED
            poll.closed_at = self._now
            poll.results = result.as_dict(tuple(poll.options))
            if poll.anonymous:  # from now on nothing links a ballot to a member
                poll.salt = None
                self.session.execute(sa.delete(Vote).where(Vote.poll_id == poll.id))
            self.emitted.append(Emitted("poll_closed", key, f"poll{poll.id}", {"poll": poll.id}))
            if Capability.BUTTONS in self._capabilities and not poll.multiple:
                outbox.add_message(self.session, idempotency_key=f"poll{poll.id}:close",
                                   platform=self.community.platform, operation="close_poll", payload={
                                       "poll": poll.id,
                                       "note": text("poll.closed", self.community.language, votes=result.votes)},
                                   now=self._now)
        return result

    # -- assignments, digests, sub-runs ---------------------------------------------------------

    def assignment_history(self, kind: str) -> list[dict[str, int]]:
        return facilitation.history(self.session, self.community.id, kind)

    def absentees(self, meeting_number: int) -> frozenset[int]:
        return calendar.absentees(self.session, self.community.id, meeting_number)

    def record_assignment(self, kind: str, key: str, roles: dict[str, int], meeting_number: int | None,
                          confirm: str | None) -> None:
        assignment = Assignment(key=key, community_id=self.community.id, kind=kind, roles=roles,
                                meeting_number=meeting_number, created_at=self._now)
        self.session.add(assignment)
        self.session.flush()
        if confirm:
            for role, member in roles.items():
                self._send(facilitation.confirmation_post(self.session, self.community, assignment, role, member,
                                                          confirm))

    # -- journal and profiles -------------------------------------------------------------------

    def record(self, kind: str, text: str, *, member: int | None, data: dict[str, Any], private: bool,
               link: str | None) -> dict[str, Any]:
        meeting = self.template_context(("meeting",))["meeting"]
        entry = journal.add_entry(self.session, self.community.id, EntryKind(kind), text, self._now,
                                  member_id=member, link=link, data=data, private=private,
                                  meeting_number=meeting["number"] if isinstance(meeting, dict) else None)
        if entry.kind == EntryKind.DOMAIN:
            self.community.domain_statement = entry.text
        self._context.clear()  # templates see the new entry from here on
        return journal.entry_view(entry, journal.member_names(self.session, self.community.id))

    def entries(self, kind: str) -> list[dict[str, Any]]:
        names = journal.member_names(self.session, self.community.id)
        return [journal.entry_view(e, names) for e in journal.entries(self.session, self.community.id,
                                                                       EntryKind(kind))]

    def save_profile(self, member: int, values: dict[str, str]) -> None:
        found = self.session.get(Member, member)
        if found is None or found.community_id != self.community.id:
            return
        profile.update_profile(found, values)

    def digest(self, audience: str, since: str, meetings: tuple[int, int] | None) -> dict[str, int]:
        try:
            digest = dispatch.archive(self.session, self.community, audience, since, self._now, meetings)
        except ValueError as exc:
            raise TemplateFailed(f"digest: {exc}") from exc
        deliveries = dispatch.queue_deliveries(self.session, self.community, digest, self._now)
        if not deliveries:  # archived for nobody: the admins hear of it, privately
            notice = text("digest.no_contacts", self.community.language, number=digest.id, audience=audience)
            for admin in members_with_role(self.session, self.community.id, MemberRole.ADMIN):
                self.post(notice, to_member=admin.id)
        return {"digest": digest.id, "deliveries": len(deliveries)}

    def start_run(self, workflow_id: str, params: dict[str, Any]) -> int:
        return runs.start_child(self.session, self.run, workflow_id, params, self._now).id

    def run_finished(self, run_id: int) -> bool:
        status = self.session.scalar(sa.select(WorkflowRun.status).where(WorkflowRun.id == run_id))
        return status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)
