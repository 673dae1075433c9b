"""Typed inbound events: what members did on a platform, with no platform JSON left in them.

A connector turns each verified delivery into one of these; the core never sees a platform's own
shapes. Every event has a ``KIND`` (the value stored in ``inbound_event.kind``) and a round trip
through JSON, and :data:`EVENT_TYPES` is the one registry the worker dispatches through.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Self


class Event:
    """The common part of every event: its kind and its JSON round trip."""

    KIND: ClassVar[str]
    platform: str

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload, no-any-return]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        names = {item.name for item in fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in payload.items() if key in names})


@dataclass(frozen=True)
class CommandInvoked(Event):
    """One `/cop …` as a member typed it, already verified."""

    KIND: ClassVar[str] = "command"

    platform: str
    group_id: str
    user_id: str
    user_name: str
    text: str
    delivery_id: str
    thread_id: str | None = None
    team_id: str | None = None
    #: True where the platform has no way to answer inside the request (a command in a forum post):
    #: the worker then posts the answer as a reply.
    answer_by_post: bool = False
    #: Lines written below the command (a forum post); free-text commands read them too.
    more: str = ""
    #: Typed in a direct conversation with Kring's bot rather than in a group.
    direct: bool = False
    #: Typed where an answer must not be public (a staff whisper): answered by private message.
    private: bool = False

    @property
    def read_by_group(self) -> bool:
        """Whether the whole group reads the command itself (a post in a forum topic), so that what is
        for the member alone must not be given this way."""
        return self.answer_by_post and not self.direct

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def free_text(self, skip: int) -> str:
        """What follows the first ``skip`` words, line breaks (and the lines below) kept."""
        rest = re.split(r"\s+", self.text.strip(), maxsplit=skip)[skip:] if skip else [self.text.strip()]
        return "\n".join(part for part in (rest[0].strip() if rest else "", self.more) if part)


@dataclass(frozen=True)
class ButtonClicked(Event):
    """A member clicked one of Kring's buttons; ``data`` is what Kring signed into it."""

    KIND: ClassVar[str] = "button_clicked"

    platform: str
    group_id: str
    user_id: str
    data: dict[str, Any]
    #: The signed context's nonce: a second click with the same context is a replay.
    nonce: str


@dataclass(frozen=True)
class FormSubmitted(Event):
    """A member submitted a form Kring opened; ``data`` is what Kring signed into it."""

    KIND: ClassVar[str] = "form_submitted"

    platform: str
    group_id: str
    user_id: str
    data: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PostCreated(Event):
    """A member posted (or edited a post) in a group, perhaps as a reply in a thread."""

    KIND: ClassVar[str] = "post_created"

    platform: str
    group_id: str
    post_id: str
    user_id: str
    user_name: str
    text: str
    thread_id: str | None = None
    #: False when the source could not say whether the post is a reply (a Mattermost outgoing
    #: webhook); the connector completes it in the worker.
    thread_known: bool = True
    from_kring: bool = False
    #: Which edit of the post this is ("" for the post as created): an edit is a new delivery.
    version: str = ""

    @property
    def delivery_id(self) -> str:
        """The same post arriving by two paths (outgoing webhook and WebSocket) is one delivery."""
        return f"post:{self.post_id}" + (f":{self.version}" if self.version else "")


@dataclass(frozen=True)
class MembershipChange(Event):
    """Someone's membership of a group (a Mattermost channel) changed."""

    platform: str
    group_id: str
    user_id: str


@dataclass(frozen=True)
class MemberJoined(MembershipChange):
    KIND: ClassVar[str] = "member_joined"


@dataclass(frozen=True)
class MemberLeft(MembershipChange):
    KIND: ClassVar[str] = "member_left"


@dataclass(frozen=True)
class MemberGroupChanged(Event):
    """Someone was added to or removed from a platform group: the member groups are read again."""

    KIND: ClassVar[str] = "member_group_changed"

    platform: str
    group_id: str


@dataclass(frozen=True)
class Noticed(Event):
    """A delivery Kring records (so a redelivery is seen as one) and has nothing to do with."""

    KIND: ClassVar[str] = "noticed"

    platform: str
    what: str


InboundEvent = CommandInvoked | ButtonClicked | FormSubmitted | PostCreated | MemberJoined | MemberLeft | \
    MemberGroupChanged | Noticed

#: Every event type by the kind stored with it.
EVENT_TYPES: dict[str, type[InboundEvent]] = {kind.KIND: kind for kind in (
    CommandInvoked, ButtonClicked, FormSubmitted, PostCreated, MemberJoined, MemberLeft, MemberGroupChanged,
    Noticed)}
