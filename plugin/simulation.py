"""`kring simulate`: run workflows for a community on a virtual clock and record everything they do.

The simulation uses the production path — SQLite, an embedded Redis, the RQ worker, the sweeper,
the outbox — with a recording platform instead of HTTP and simulated members who answer and vote.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.answer_bank import AnswerBank, Answerer, answer_bank
from plugin.clock import VirtualClock
from plugin.commands.registry import answer, context_for
from plugin.community_file import (
    CommunitySpec,
    MembershipChange,
    ScriptedAction,
    SimulatedMember,
    SimulationError,
    read_community,
)
from plugin.config import load_config
from plugin.cop import facilitation
from plugin.engine.triggers.manual import ManualTrigger
from plugin.platforms.base import GroupMember
from plugin.platforms.events import CommandInvoked
from plugin.platforms.mattermost.connector import MattermostConnector
from plugin.queue.jobs import use_runtime
from plugin.queue.sweeper import sweep_once
from plugin.queue.unit_of_work import unit_of_work
from plugin.queue.worker import KringWorker, registered_worker
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import Runtime, build_runtime
from plugin.simulated_mail import MailSink
from plugin.storage.communities import add_community, find_member
from plugin.storage.models import (
    Assignment,
    Community,
    Meeting,
    Member,
    Organisation,
    OutboxMessage,
    Poll,
    QuestionSet,
    WorkflowRun,
)
from plugin.storage.outbox import next_attempt
from plugin.storage.states import (
    MeetingStatus,
    MemberRole,
    OutboxStatus,
    PollStatus,
    RunStatus,
)
from plugin.storage.timers import next_due
from plugin.transcript import Entry, RecordingPlatform, write_transcript
from plugin.workflows import enablement, runs
from plugin.workflows.catalog import current_catalog
from plugin.workflows.membership import mark_left, sync_members

GROUP_ID = "simulated-group"
#: The simulated community lives on this platform's connector, whose outbound part is a recorder.
SIMULATED_PLATFORM = MattermostConnector.name
DEMO_COMMUNITY = Path(__file__).parent / "demo" / "community.yaml"
#: After the last simulated meeting, time enough for its evaluation, highlights and digests.
AFTER_LAST_MEETING = timedelta(days=7)


@dataclass(frozen=True)
class Progress:
    """How far a simulation is, as it reaches another day: for a progress line or bar."""

    day: datetime
    #: Share of the simulated period that has passed, 0 to 1.
    done: float
    meetings_held: int
    meetings_planned: int


@dataclass
class Simulation:
    runtime: Runtime
    worker: KringWorker
    clock: VirtualClock
    recorder: RecordingPlatform
    spec: CommunitySpec
    community_id: int
    bank: AnswerBank
    #: Which of the bank's answers a member gives: a stream of its own, so that the words never change
    #: who answers, votes or declines.
    wording: random.Random
    random: random.Random
    responded: set[str] = field(default_factory=set)
    jobs: int = 0
    script_at: int = 0
    commands: int = 0
    changes: list[MembershipChange] = field(default_factory=list)
    changes_at: int = 0
    progress: Callable[[Progress], None] | None = None
    started_at: datetime | None = None
    reported_day: str = ""

    def settle(self) -> None:
        for _ in range(100):
            self.worker.work_queued()
            found = sweep_once(self.runtime)
            self.jobs += found.events + found.messages + found.timers
            if not (found.events or found.messages or found.timers) and self.runtime.queue.count == 0:
                return
        raise SimulationError("work kept coming at one moment; is a workflow looping?")

    def respond(self) -> bool:
        """Simulated members answer open questions and vote in open polls; True if anyone did."""
        acted = False
        with self.runtime.database.session() as session:
            now = self.clock.now()
            members = {m.id: m for m in session.scalars(sa.select(Member).where(
                Member.community_id == self.community_id))}
            questions = list(session.scalars(sa.select(QuestionSet).where(QuestionSet.closes_at > now)))
            polls = list(session.scalars(sa.select(Poll).where(Poll.status == PollStatus.OPEN)))
            assignments = list(session.scalars(sa.select(Assignment).where(
                Assignment.kind == facilitation.KIND, Assignment.meeting_number.is_not(None))))
        for question_set in questions:
            for member_id in question_set.recipients:
                for number in range(1, len(question_set.questions) + 1):
                    key = f"q{question_set.id}:{member_id}:{number}"
                    if key in self.responded:
                        continue
                    self.responded.add(key)
                    if self.random.random() < self.spec.answer_rate:
                        said = self.bank.answer(question_set.questions[number - 1],
                                                self._answerer(members[member_id]), self.wording)
                        acted |= self._command(members[member_id], f"answer {question_set.id} {number} {said}")
        for poll in polls:
            for member_id in poll.voters:
                key = f"p{poll.id}:{member_id}"
                if key in self.responded:
                    continue
                self.responded.add(key)
                if self.random.random() < self.spec.vote_rate:
                    choice = self.random.randint(1, len(poll.options))
                    acted |= self._command(members[member_id], f"vote {poll.id} {choice}")
        for assignment in assignments:
            for role, member_id in assignment.roles.items():
                key = f"a{assignment.id}:{role}:{member_id}"
                if key in self.responded or role in assignment.responses.get("answers", {}):
                    continue
                self.responded.add(key)
                answer_word = "decline" if self.random.random() < self.spec.decline_rate else "accept"
                acted |= self._command(members[int(member_id)],
                                       f"facilitators {answer_word} {assignment.meeting_number}")
        return acted

    def _answerer(self, member: Member) -> Answerer:
        """The simulated person behind ``member`` (the community file's, by the user id they were given)."""
        index = int(member.platform_user_id.removeprefix("sim-user-"))
        person = self.spec.members[index]
        return Answerer(person.organisation, person.sector, person.orientation, self.spec.start.year)

    def act_scripted(self) -> bool:
        """Carry out the scripted actions that are due; True if any was."""
        acted = False
        while self.script_at < len(self.spec.script):
            action = self.spec.script[self.script_at]
            if self.moment(action) > self.clock.now():
                break
            self.script_at += 1
            with self.runtime.database.session() as session:
                member = session.scalar(sa.select(Member).where(Member.community_id == self.community_id,
                                                                Member.name == action.member))
            if member is None:
                raise SimulationError(f"script: no member called {action.member!r}")
            acted |= self._command(member, action.command, show_reply=True)
        return acted

    def act_membership(self) -> bool:
        """Members join and leave as the community file says, through the path a platform's join and
        leave events take (newcomers emit `member_joined`; leavers are no longer asked or assigned)."""
        acted = False
        while self.changes_at < len(self.changes):
            change = self.changes[self.changes_at]
            if self.moment(change) > self.clock.now():
                break
            self.changes_at += 1
            person, user_id = self.spec.members[change.index], f"sim-user-{change.index}"
            with unit_of_work(self.runtime) as session:
                community = session.get_one(Community, self.community_id)
                if change.joins:
                    sync_members(session, community, [GroupMember(user_id, person.username, person.name,
                                                                  person.role == MemberRole.ADMIN)],
                                 self.clock.now(), whole_group=False)
                    _describe(session, community, user_id, person)
                else:
                    member = find_member(session, self.community_id, user_id)
                    if member is not None:
                        mark_left(session, community, member, self.clock.now())
            self.recorder.entries.append(Entry(self.clock.now(), "membership",
                                               "joins the group" if change.joins else "leaves the group",
                                               to=person.name))
            acted = True
        return acted

    def moment(self, action: ScriptedAction | MembershipChange) -> datetime:
        start = datetime.combine(self.spec.start, datetime.min.time(), tzinfo=ZoneInfo(self.spec.timezone))
        return start + timedelta(days=action.day, hours=12)

    def _command(self, member: Member, text: str, show_reply: bool = False) -> bool:
        self.commands += 1
        invocation = CommandInvoked(platform=SIMULATED_PLATFORM, group_id=GROUP_ID, user_id=member.platform_user_id,
                                user_name=member.username or member.name, text=text,
                                delivery_id=f"sim-{self.commands}")
        with unit_of_work(self.runtime) as session:
            reply = answer(context_for(session, invocation, self.runtime))
        self.recorder.entries.append(Entry(self.clock.now(), "member", f"/cop {text}", to=member.name))
        if show_reply:
            self.recorder.entries.append(Entry(self.clock.now(), "reply", reply.text, to=member.name))
        return True

    def last_meeting_end(self, by: datetime) -> datetime:
        """When the last meeting held by ``by`` ended (``by`` itself when none was)."""
        with self.runtime.database.session() as session:
            found = session.scalar(sa.select(sa.func.max(Meeting.ends_at)).where(
                Meeting.community_id == self.community_id, Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at <= by))
        return found or by

    def run_until(self, end: datetime) -> None:
        self.settle()
        while True:
            if self.act_membership() or self.act_scripted() or self.respond():
                self.settle()
                continue
            with self.runtime.database.session() as session:
                candidates = [d for d in (next_due(session), next_attempt(session)) if d is not None]
            if self.script_at < len(self.spec.script):
                candidates.append(self.moment(self.spec.script[self.script_at]))
            if self.changes_at < len(self.changes):
                candidates.append(self.moment(self.changes[self.changes_at]))
            due = min(candidates, default=None)
            if due is None or due > end:
                break
            if due > self.clock.now():
                self.clock.advance(due - self.clock.now())
                self.report_progress(end)
            self.settle()

    def report_progress(self, end: datetime, last: bool = False) -> None:
        """Tell ``progress`` where the run is, once per simulated day (and at its ``last``)."""
        now = self.clock.now()
        if self.progress is None or (f"{now:%Y-%m-%d}" == self.reported_day and not last):
            return
        self.reported_day = f"{now:%Y-%m-%d}"
        started = self.started_at or now
        with self.runtime.database.session() as session:
            held, planned = session.execute(sa.select(
                sa.func.count().filter(Meeting.starts_at <= now), sa.func.count()).where(
                Meeting.community_id == self.community_id, Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at <= end)).one()
        span = (end - started).total_seconds()
        done = min(1.0, (now - started).total_seconds() / span) if span > 0 else 1.0
        self.progress(Progress(now, done, held, planned))


def _organisation(session: Session, community: Community, person: SimulatedMember) -> Organisation:
    found = session.scalar(sa.select(Organisation).where(Organisation.community_id == community.id,
                                                         Organisation.name == person.organisation))
    if found is None:
        found = Organisation(community_id=community.id, name=person.organisation, sector=person.sector,
                             digest_contacts=[])
        session.add(found)
        session.flush()
    return found


def _describe(session: Session, community: Community, user_id: str, person: SimulatedMember) -> None:
    """What the platform does not know about a member who joined: organisation, role and orientation
    (in a real CoP the intake and the admins record these)."""
    member = find_member(session, community.id, user_id)
    assert member is not None  # added by the join just before
    member.organisation_id = _organisation(session, community, person).id
    member.role, member.core_group, member.orientation = person.role, person.core_group, person.orientation


def _setup(runtime: Runtime, spec: CommunitySpec, now: datetime) -> int:
    with runtime.database.session() as session:
        community = add_community(session, platform=SIMULATED_PLATFORM, group_id=GROUP_ID, name=spec.name,
                                  language=spec.language, timezone=spec.timezone, now=now, start_date=spec.start,
                                  cadence_weeks=spec.cadence_weeks, run_months=spec.months, openness=spec.openness)
        for index, person in enumerate(spec.members):
            organisation = _organisation(session, community, person)
            if person.joins is None:
                session.add(Member(community_id=community.id, platform_user_id=f"sim-user-{index}",
                                   username=person.username, name=person.name, organisation_id=organisation.id,
                                   role=person.role, core_group=person.core_group, orientation=person.orientation,
                                   joined_at=now))
        return community.id


def _enable(runtime: Runtime, community_id: int, workflow_ids: list[str], begin: datetime) -> None:
    """Enable the workflows, as an admin would at the start; one that can be started by hand is started."""
    catalog = current_catalog(runtime.config)
    with unit_of_work(runtime) as session:
        community = session.get_one(Community, community_id)
        for workflow_id in workflow_ids:
            workflow = catalog.workflows.get(workflow_id)
            if workflow is None:
                problems = [str(p) for p in catalog.problems if workflow_id in p.file]
                raise SimulationError(f"no valid workflow {workflow_id!r}" + (": " + "; ".join(problems)
                                                                             if problems else ""))
            enabled = enablement.enable(session, community, workflow, {}, "simulation", begin)
            if any(t.options.get("enabled") for t in workflow.triggers_of("manual")):
                runs.start_run(session, enabled, trigger="simulation start",
                               inputs={"workflow": workflow_id, **ManualTrigger().run_inputs({}, {})}, now=begin)


def simulate(workflow_ids: list[str], community_file: Path, months: int | None, out: Path,
             extra_paths: list[Path], report: Callable[[Runtime, int], None] | None = None,
             meetings: int | None = None, language: str | None = None,
             progress: Callable[[Progress], None] | None = None, home: Path | None = None) -> dict[str, Any]:
    """Run the simulation; write transcript.json and transcript.txt into ``out``; return a summary.

    The run lasts ``months`` (default: the community's run length), or until a week after meeting
    ``meetings``. ``language`` overrides the community's. ``report`` sees the runtime and community id
    after the run, before the temporary home is removed; ``progress`` hears how far the run is, once per
    simulated day. With ``home`` the simulated installation (its SQLite database) is kept there, for
    `KRING_HOME=… kring digest render` and the like; it must not hold a Kring database yet."""
    spec = read_community(community_file)
    if language is not None:
        spec = replace(spec, language=language)
    keep = home is not None
    if home is not None and (home / "kring.db").exists():
        raise SimulationError(f"{home} holds a Kring database already; give an empty or new folder")
    home = home or Path(tempfile.mkdtemp(prefix="kring-simulate-"))
    started = time.perf_counter()
    begin = datetime.combine(spec.start - timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    clock = VirtualClock(begin)
    recorder = RecordingPlatform(clock)
    with MailSink(recorder.receive_email) as smtp_url:
        # Simulated members act in bursts at one moment of a virtual clock: no per-minute limit applies.
        env = {"KRING_HOME": str(home), "KRING_LANGUAGE": spec.language, "KRING_LOG_LEVEL": "WARNING",
               "KRING_COMMANDS_PER_MINUTE": "0", "KRING_SMTP_URL": smtp_url}
        if extra_paths:
            env["KRING_WORKFLOW_PATH"] = ":".join(str(p) for p in extra_paths)
        runtime = build_runtime(load_config(env), clock=clock)
        runtime.connector(SIMULATED_PLATFORM).outbound = recorder
        try:
            runtime.database.upgrade()
            use_runtime(runtime)
            community_id = _setup(runtime, spec, begin)
            _enable(runtime, community_id, workflow_ids, begin)
            with registered_worker(runtime) as worker:
                simulation = Simulation(runtime, worker, clock, recorder, spec, community_id,
                                        answer_bank(spec.language, spec.answers), random.Random(f"{spec.seed}:wording"),
                                        random.Random(spec.seed),
                                        changes=spec.membership_changes(), progress=progress, started_at=begin)
                first = datetime.combine(spec.start, datetime.min.time(), tzinfo=UTC)
                end = (first + timedelta(weeks=spec.cadence_weeks * (meetings - 1)) + AFTER_LAST_MEETING if meetings
                       else first + timedelta(days=round(30.44 * (months or spec.months))))
                simulation.run_until(end)
                # The run's last meeting still gets its follow-ups: evaluation, highlights, the closing digests.
                end = max(end, simulation.last_meeting_end(end) + AFTER_LAST_MEETING)
                simulation.run_until(end)
                simulation.report_progress(end, last=True)
            with runtime.database.session() as session:
                failed = [f"run {run.id} ({run.trigger}): {run.error}" for run in session.scalars(
                    sa.select(WorkflowRun).where(WorkflowRun.status == RunStatus.FAILED).order_by(WorkflowRun.id))]
                undelivered = [f"{message.operation} {message.id}: {message.last_error}"
                               for message in session.scalars(sa.select(OutboxMessage).where(
                                   OutboxMessage.status == OutboxStatus.FAILED).order_by(OutboxMessage.id))]
            summary = write_transcript(out, recorder.entries, workflow_ids, spec, simulation.jobs,
                                       time.perf_counter() - started, failed, undelivered)
            if report is not None:
                report(runtime, community_id)
        finally:
            use_runtime(None)
            runtime.close()
            stop_embedded_redis()
            if not keep:
                shutil.rmtree(home, ignore_errors=True)
    return summary
