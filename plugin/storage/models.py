"""SQLAlchemy 2 models of Kring's core records.

The database is the source of truth: inbound events and the outbound outbox live here, so losing
Redis loses nothing; the queue only carries ids of rows to work on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from plugin.engine.journal import EntryKind
from plugin.storage.states import (
    EventStatus,
    MeetingStatus,
    MemberRole,
    Openness,
    Orientation,
    OutboxStatus,
    PlannedStatus,
    PollStatus,
    RunStatus,
    TimerKind,
    TimerStatus,
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Kring stores aware UTC datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum: type[StrEnum]) -> sa.Enum:
    return sa.Enum(enum, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e],
                   validate_strings=True, name=enum.__name__.lower())


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: sa.JSON, list[Any]: sa.JSON}


class Community(Base):
    """A CoP, bound to one platform group (Mattermost channel or Discourse category)."""

    __tablename__ = "community"
    __table_args__ = (sa.UniqueConstraint("platform", "external_group_id", name="uq_community_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    external_group_id: Mapped[str] = mapped_column(sa.String(64))
    team_id: Mapped[str | None] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    start_date: Mapped[date | None]
    meeting_cadence_weeks: Mapped[int] = mapped_column(default=6)
    run_length_months: Mapped[int] = mapped_column(default=18)
    openness: Mapped[Openness] = mapped_column(_enum(Openness), default=Openness.CLOSED)
    domain_statement: Mapped[str | None] = mapped_column(sa.Text)
    #: The Discourse group whose users are the members (Mattermost: the channel's users).
    member_group: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime]
    #: When an admin published the results page for the field (None: not public; unpublishing clears it).
    published_at: Mapped[datetime | None]

    organisations: Mapped[list[Organisation]] = relationship(back_populates="community")
    members: Mapped[list[Member]] = relationship(back_populates="community")


class Organisation(Base):
    """A participant's home organisation, with the contacts that receive its digests."""

    __tablename__ = "organisation"
    __table_args__ = (sa.UniqueConstraint("community_id", "name", name="uq_organisation_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sector: Mapped[str | None] = mapped_column(sa.String(200))
    digest_contacts: Mapped[list[Any]] = mapped_column(default=list)

    community: Mapped[Community] = relationship(back_populates="organisations")


class Member(Base):
    """A participant of one community, known by their platform user id."""

    __tablename__ = "member"
    __table_args__ = (sa.UniqueConstraint("community_id", "platform_user_id", name="uq_member_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    platform_user_id: Mapped[str] = mapped_column(sa.String(64))
    #: The platform user name (Discourse addresses private messages by it).
    username: Mapped[str | None] = mapped_column(sa.String(128))
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole), default=MemberRole.MEMBER)
    orientation: Mapped[Orientation | None] = mapped_column(_enum(Orientation))
    core_group: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime]
    #: When they left the group: kept with what they contributed, but no longer asked, polled or rotated.
    left_at: Mapped[datetime | None]
    #: What the intake gathered: function, own question from practice, learning goals.
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Consent to share what this member did and learned with their home organisation.
    consent: Mapped[bool] = mapped_column(default=False)

    community: Mapped[Community] = relationship(back_populates="members")


class WorkflowEnablement(Base):
    """A workflow switched on for one community, pinned to the version it was enabled with."""

    __tablename__ = "workflow_enablement"
    __table_args__ = (sa.UniqueConstraint("community_id", "workflow_id", name="uq_enablement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    workflow_id: Mapped[str] = mapped_column(sa.String(100))
    workflow_version: Mapped[str] = mapped_column(sa.String(32))
    #: The exact source enabled; runs use it even after the file changes.
    source_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workflow_source.id", name="fk_workflow_enablement_source_id"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    admins: Mapped[list[Any]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    enabled_by: Mapped[str | None] = mapped_column(sa.String(64))
    enabled_at: Mapped[datetime]


class InboundEvent(Base):
    """One delivery from a platform; unique per platform and delivery id, so redeliveries dedupe."""

    __tablename__ = "inbound_event"
    __table_args__ = (
        sa.UniqueConstraint("platform", "delivery_id", name="uq_inbound_delivery"),
        sa.Index("ix_inbound_event_pending", "status", "visible_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    delivery_id: Mapped[str] = mapped_column(sa.String(128))
    kind: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[EventStatus] = mapped_column(_enum(EventStatus), default=EventStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime]
    visible_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(sa.Text)


class OutboxMessage(Base):
    """An outbound platform call, made at most once per idempotency key once it is sent."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    operation: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class WorkflowSource(Base):
    """The text of one version of a workflow file, kept so that enabled versions stay runnable."""

    __tablename__ = "workflow_source"
    __table_args__ = (sa.UniqueConstraint("workflow_id", "digest", name="uq_workflow_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[str] = mapped_column(sa.String(100))
    version: Mapped[str] = mapped_column(sa.String(32))
    digest: Mapped[str] = mapped_column(sa.String(64))
    file: Mapped[str] = mapped_column(sa.String(500))
    source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]


class WorkflowRun(Base):
    """One execution of a workflow in a community; ``state`` is the interpreter's position."""

    __tablename__ = "workflow_run"
    __table_args__ = (sa.Index("ix_workflow_run_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"))
    enablement_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_enablement.id", ondelete="CASCADE"),
                                               index=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_source.id"))
    parent_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_run.id", ondelete="SET NULL"))
    trigger: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus), default=RunStatus.RUNNING)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 - SQLAlchemy's declarative hook


class RunWait(Base):
    """An event a waiting run waits for; looked up when the event happens."""

    __tablename__ = "run_wait"
    __table_args__ = (sa.Index("ix_run_wait_event", "community_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_run.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(200))
    token: Mapped[int]


class Timer(Base):
    """A moment at which the worker must act; swept from an index on (status, visible_at)."""

    __tablename__ = "timer"
    __table_args__ = (sa.Index("ix_timer_due", "status", "visible_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(250), unique=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TimerKind] = mapped_column(_enum(TimerKind))
    status: Mapped[TimerStatus] = mapped_column(_enum(TimerStatus), default=TimerStatus.PENDING)
    due_at: Mapped[datetime]
    visible_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_run.id", ondelete="CASCADE"), index=True)
    enablement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workflow_enablement.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (sa.UniqueConstraint("community_id", "number", name="uq_meeting_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.PLANNED)
    #: How often it was moved or cancelled: calendar apps replace an event with a higher SEQUENCE.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


class Thread(Base):
    """A thread Kring opened, known by a workflow's key before the platform gives it an id."""

    __tablename__ = "thread"
    __table_args__ = (sa.UniqueConstraint("community_id", "key", name="uq_thread_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    platform_thread_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime]


class Poll(Base):
    __tablename__ = "poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_run.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[list[Any]]
    multiple: Mapped[bool]
    anonymous: Mapped[bool]
    voters: Mapped[list[Any]]
    thread_key: Mapped[str | None] = mapped_column(sa.String(200))
    #: Whether the platform shows the poll itself (a Discourse poll block, never for an anonymous poll:
    #: the forum stores who voted what); its members then vote there, not with `/cop vote`.
    native: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The post that carries the poll, and for a native (Discourse) poll the tallies read back from it.
    platform_post_id: Mapped[str | None] = mapped_column(sa.String(64))
    native_counts: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    native_voters: Mapped[int | None]
    native_synced_at: Mapped[datetime | None]
    #: Whether result digests list this poll (`in_digest: false` when a workflow shows it otherwise).
    in_digest: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: An anonymous poll's random salt while it is open: its ballots are keyed by a hash with it, so a
    #: member can change their vote. Destroyed, with the ballots, when the poll closes.
    salt: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[PollStatus] = mapped_column(_enum(PollStatus), default=PollStatus.OPEN)
    opened_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    results: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class PollParticipation(Base):
    """That a member voted in a poll, never what: the poll closes once every voter has. No time, no
    order that could be matched with the ballots."""

    __tablename__ = "poll_participation"

    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)


class Vote(Base):
    """One ballot of an open poll. For an anonymous poll ``voter`` is a hash with the poll's salt, never
    the member, and ``cast_at`` is the poll's day; its ballots are deleted when it closes (its counts
    are kept in the poll's results)."""

    __tablename__ = "vote"
    __table_args__ = (sa.UniqueConstraint("poll_id", "voter", name="uq_vote_voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    voter: Mapped[str] = mapped_column(sa.String(64))
    choices: Mapped[list[Any]]
    cast_at: Mapped[datetime]


class QuestionSet(Base):
    """One round of an `ask` step: the questions and who is asked."""

    __tablename__ = "question_set"
    __table_args__ = (sa.UniqueConstraint("key", "round", name="uq_question_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    round: Mapped[int]
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_run.id", ondelete="SET NULL"))
    questions: Mapped[list[Any]]
    recipients: Mapped[list[Any]]
    thread_key: Mapped[str | None] = mapped_column(sa.String(200))
    direct: Mapped[bool]
    opened_at: Mapped[datetime]
    closes_at: Mapped[datetime]


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("question_set_id", "member_id", "question", name="uq_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_set_id: Mapped[int] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    question: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    answered_at: Mapped[datetime]


class Assignment(Base):
    """Members picked for roles (e.g. the facilitators of one meeting)."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    roles: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    #: The meeting the assignment is for, when it is for one.
    meeting_number: Mapped[int | None]
    #: Role → "accepted" or "declined", as the members answered.
    responses: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Absence(Base):
    """A member's notice that they cannot attend a meeting (rotation skips them)."""

    __tablename__ = "absence"
    __table_args__ = (sa.UniqueConstraint("member_id", "meeting_number", name="uq_absence_meeting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    meeting_number: Mapped[int]


class JournalEntry(Base):
    """One thing the community recorded: a signal, a decision, an evaluation, a personal log line …

    Private entries are visible to their member only; they reach a digest only with consent.
    """

    __tablename__ = "journal_entry"
    __table_args__ = (sa.Index("ix_journal_kind", "community_id", "kind", "id"),
                      sa.UniqueConstraint("community_id", "kind", "number", name="uq_journal_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"))
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(500))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    private: Mapped[bool] = mapped_column(default=False)
    meeting_number: Mapped[int | None]
    #: Numbered per kind in the community (domain statement v1, v2, …; decision 3).
    number: Mapped[int]
    created_at: Mapped[datetime]


class JournalCounter(Base):
    """The last number given to a kind of journal entry in a community. Taking the next one updates
    this row (`UPDATE … RETURNING`), which locks it until the transaction ends: two writers never
    get the same number, and the unique constraint on the entries makes sure of it."""

    __tablename__ = "journal_counter"

    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind), primary_key=True)
    last_number: Mapped[int]


class Digest(Base):
    """The archive of digests Kring built: the Markdown shown, and the content it was rendered from."""

    __tablename__ = "digest"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    period_start: Mapped[datetime | None]
    #: :class:`plugin.digests.content.DigestContent` as JSON: HTML, e-mail and charts are rendered from it.
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DigestDelivery(Base):
    """One channel a digest went out on; its status is the outbox message's."""

    __tablename__ = "digest_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(sa.ForeignKey("digest.id", ondelete="CASCADE"), index=True)
    outbox_message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox.id", ondelete="CASCADE"))
    #: post (in the group), direct (a platform user), email or webhook
    channel: Mapped[str] = mapped_column(sa.String(16))
    target: Mapped[str] = mapped_column(sa.String(500))


class Installation(Base):
    """What `kring install` set up on a platform: its command, bot and webhook, with their secrets."""

    __tablename__ = "installation"
    __table_args__ = (sa.UniqueConstraint("platform", "scope", name="uq_installation_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    base_url: Mapped[str] = mapped_column(sa.String(500))
    #: The Mattermost team id, or the Discourse category id.
    scope: Mapped[str] = mapped_column(sa.String(64))
    command_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: Credentials are stored sealed with KRING_SECRET_KEY (plugin.storage.installations opens them).
    command_token: Mapped[str | None] = mapped_column(sa.Text)
    bot_user_id: Mapped[str | None] = mapped_column(sa.String(64))
    bot_token: Mapped[str | None] = mapped_column(sa.Text)
    webhook_id: Mapped[str | None] = mapped_column(sa.String(64))
    webhook_secret: Mapped[str | None] = mapped_column(sa.Text)
    installed_at: Mapped[datetime]


class ActionUse(Base):
    """A signed context used by one user: the same button clicked again is a replay."""

    __tablename__ = "action_use"
    __table_args__ = (sa.UniqueConstraint("nonce", "user_id", name="uq_action_use"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime]


class Cursor(Base):
    """How far a reader of a platform's stream got (e.g. the newest post `kring listen` saw), so that a
    restarted reader fetches what it missed instead of starting from now."""

    __tablename__ = "cursor"

    name: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    position: Mapped[int] = mapped_column(sa.BigInteger)
    updated_at: Mapped[datetime]


class PlannedAction(Base):
    """A destructive admin action (cancel a meeting, disable a workflow, cancel a run): asked for, then
    confirmed by the admin who asked, then carried out and announced once its undo window has passed."""

    __tablename__ = "planned_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id", ondelete="CASCADE"), index=True)
    #: What is done (``plugin.cop.destructive.KINDS``) and to what: a meeting number, a workflow id, a run id.
    kind: Mapped[str] = mapped_column(sa.String(32))
    target: Mapped[str] = mapped_column(sa.String(128))
    status: Mapped[PlannedStatus] = mapped_column(_enum(PlannedStatus), default=PlannedStatus.ASKED)
    #: The platform user who asked: only they confirm it.
    user_id: Mapped[str] = mapped_column(sa.String(64))
    #: Who the audit log names: ``platform:user name``.
    actor: Mapped[str] = mapped_column(sa.String(128))
    asked_at: Mapped[datetime]
    #: When it is carried out (set on confirmation: the end of the undo window).
    due_at: Mapped[datetime | None]
    #: What it changes, as read when it was asked for: ``values`` for its sentences, ``audit`` for the log.
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditEntry(Base):
    """An admin action: who did what, where, when."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]
