"""The one interface through which Kring acts on a platform."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from plugin.storage.states import Platform


@dataclass(frozen=True)
class OutboundPost:
    """A message to a group (channel or category topic), optionally inside a thread."""

    group_id: str
    text: str
    thread_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> OutboundPost:
        return cls(group_id=str(payload["group_id"]), text=str(payload["text"]),
                   thread_id=payload.get("thread_id"))


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
