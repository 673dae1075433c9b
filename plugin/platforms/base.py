"""The one interface through which Kring acts on a platform."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from plugin.storage.states import Platform


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

    def to_payload(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> OutboundPost:
        return cls(**{key: payload[key] for key in cls.__dataclass_fields__ if key in payload})


@dataclass(frozen=True)
class PostedMessage:
    """What the platform answered: its id for the post, and the thread it belongs to."""

    post_id: str
    thread_id: str | None


class PlatformClient(Protocol):
    platform: Platform

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        """Publish ``post``; ``idempotency_key`` lets platforms that support it drop a repeat."""
        ...
