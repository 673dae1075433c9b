"""Typed inbound events: what members did on a platform, with no platform JSON left in them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from plugin.storage.states import Platform


@dataclass(frozen=True)
class PostCreated:
    """A member posted in a group, perhaps as a reply in a thread."""

    platform: Platform
    group_id: str
    post_id: str
    user_id: str
    user_name: str
    text: str
    thread_id: str | None = None
    #: False when the source could not say whether the post is a reply (a Mattermost outgoing
    #: webhook); the worker then asks the platform.
    thread_known: bool = True
    from_kring: bool = False

    KIND = "post_created"

    @property
    def delivery_id(self) -> str:
        """The same post arriving by two paths (outgoing webhook and WebSocket) is one delivery."""
        return f"post:{self.post_id}"

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PostCreated:
        return cls(**{**payload, "platform": Platform(payload["platform"])})


@dataclass(frozen=True)
class MembershipChanged:
    """A user joined or left a group (a Mattermost channel)."""

    platform: Platform
    group_id: str
    user_id: str
    joined: bool

    @property
    def kind(self) -> str:
        return "member_joined" if self.joined else "member_left"

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MembershipChanged:
        return cls(**{**payload, "platform": Platform(payload["platform"])})
