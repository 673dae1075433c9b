"""The one interface through which Kring acts on a platform."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Button:
    """A button under a post; platforms without buttons show the post's text instructions instead."""

    label: str
    action: str
    data: dict[str, Any]
    expires_at: str  # ISO time after which the button is refused

    def signed_data(self) -> dict[str, Any]:
        return {"action": self.action, **self.data}


@dataclass(frozen=True)
class NativePoll:
    """A poll the platform shows itself (a Discourse `[poll]` block); Kring reads its tallies back."""

    poll_id: int
    options: tuple[str, ...]
    multiple: bool
    closes_at: str  # ISO time
    #: The platform group whose members alone may vote (the community's member group).
    voters_group: str | None = None

    @property
    def name(self) -> str:
        return f"kring-{self.poll_id}"


@dataclass(frozen=True)
class NativeTally:
    counts: tuple[int, ...]
    voters: int


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    help: str
    optional: bool = False


@dataclass(frozen=True)
class Form:
    """A form a platform may show instead of the reply's text (a Mattermost interactive dialog).

    ``context`` comes back signed with the submission, so the handler knows what was asked.
    """

    title: str
    fields: tuple[FormField, ...]
    context: dict[str, Any]
    submit_label: str


@dataclass(frozen=True)
class Attachment:
    """A file shown with a post (a digest's chart): uploaded to the platform when the post is sent."""

    name: str
    content_type: str
    #: The file's bytes, base64-encoded (the payload is stored as JSON in the outbox).
    data: str

    @property
    def content(self) -> bytes:
        return base64.b64decode(self.data)

    @classmethod
    def of(cls, name: str, content_type: str, content: bytes) -> Attachment:
        return cls(name, content_type, base64.b64encode(content).decode("ascii"))


@dataclass(frozen=True)
class OutboundPost:
    """A message to a group (channel or category), inside a thread, or to one member directly."""

    group_id: str
    text: str
    #: The platform's id of the thread (Mattermost root post, Discourse topic) to reply in.
    thread_id: str | None = None
    #: A thread Kring opened, by its key; resolved to ``thread_id`` when the message is sent.
    thread_key: str | None = None
    #: This message opens the thread with this key (its title: ``title``).
    opens_thread: str | None = None
    title: str | None = None
    #: A direct message to this member instead of the group.
    to_user_id: str | None = None
    to_username: str | None = None
    community_id: int | None = None
    buttons: tuple[Button, ...] = ()
    #: The post asks Kring's poll with this id (its platform post id is recorded when it is sent).
    poll_id: int | None = None
    native_poll: NativePoll | None = None
    attachments: tuple[Attachment, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, ())}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> OutboundPost:
        values = {key: payload[key] for key in cls.__dataclass_fields__ if key in payload}
        values["buttons"] = tuple(Button(**button) for button in payload.get("buttons", ()))
        values["attachments"] = tuple(Attachment(**item) for item in payload.get("attachments", ()))
        if payload.get("native_poll"):
            poll = {key: value for key, value in payload["native_poll"].items()
                    if key in NativePoll.__dataclass_fields__}  # one queued before revision 0014 had more
            values["native_poll"] = NativePoll(**{**poll, "options": tuple(poll["options"])})
        return cls(**values)


@dataclass(frozen=True)
class PostedMessage:
    """What the platform answered: its id for the post, and the thread it belongs to."""

    post_id: str
    thread_id: str | None
    #: Not published yet: the platform holds it for its staff's approval (their reference to it).
    held: str | None = None


@dataclass(frozen=True)
class GroupMember:
    """A user in a platform group, as the platform knows them."""

    user_id: str
    username: str
    name: str
    is_admin: bool


class PlatformClient(Protocol):
    """A connector's outbound part: what every platform can do. The capabilities below are optional."""

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        """Publish ``post``; ``idempotency_key`` lets platforms that support it drop a repeat."""
        ...


@runtime_checkable
class NativePolls(Protocol):
    """A platform whose own polls Kring uses; their tallies are read back when they close."""

    def poll_tally(self, post_id: str, poll: NativePoll) -> NativeTally: ...


@runtime_checkable
class ButtonPosts(Protocol):
    """A platform whose posts carry Kring's buttons (Mattermost); a closed poll's buttons are taken away."""

    def close_buttons(self, post_id: str, note: str) -> None:
        """Remove the post's buttons and add ``note`` to its text; doing it again changes nothing."""
        ...


@runtime_checkable
class MemberDirectory(Protocol):
    """A platform that can list a group's members."""

    def group_members(self, group_id: str) -> list[GroupMember]:
        """Everyone in the group (bots excluded), with whether they administer it."""
        ...

    def user_named(self, username: str) -> GroupMember:
        """A platform user by user name (PlatformError when there is none)."""
        ...


@runtime_checkable
class SentPosts(Protocol):
    """A platform where Kring can find a post it made by its key (kept in the post's props)."""

    def find_sent(self, post: OutboundPost, idempotency_key: str) -> PostedMessage | None:
        """The post made earlier for ``idempotency_key`` where ``post`` goes, if there is one."""
        ...


@runtime_checkable
class MemberLookup(Protocol):
    """A platform that can say who a user is by their id (a newcomer in a channel)."""

    def member(self, user_id: str) -> GroupMember | None:
        """The user as a possible member; None for a bot or a deactivated user."""
        ...


@runtime_checkable
class Forms(Protocol):
    """A platform that shows Kring's forms (a Mattermost interactive dialog) from a command's trigger."""

    def open_form(self, trigger_id: str, url: str, form: Form, expires_at: datetime) -> None: ...


@runtime_checkable
class GroupJoin(Protocol):
    """A platform where Kring's bot must join a group to hear and post in it (a Mattermost channel)."""

    def join(self, group_id: str) -> None:
        """Join the group (a PlatformError says why not: a private channel needs an admin to add the bot)."""
        ...


@runtime_checkable
class GroupLookup(Protocol):
    """A platform whose groups can be named by path (`team/channel`) instead of by id."""

    def group_named(self, path: str) -> tuple[str, str | None]:
        """The group's id and the id of the team it belongs to (None where there are no teams)."""
        ...
