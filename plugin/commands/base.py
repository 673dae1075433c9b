"""What a command receives and returns, and the contract every command module follows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from plugin.config import Config
from plugin.platforms.base import Form, OutboundPost
from plugin.storage import outbox
from plugin.storage.communities import find_member
from plugin.storage.models import Community, Member
from plugin.storage.states import Platform


@dataclass(frozen=True)
class Invocation:
    """One `/cop …` as a member typed it, already verified, with no platform JSON left in it."""

    platform: Platform
    group_id: str
    user_id: str
    user_name: str
    text: str
    delivery_id: str
    thread_id: str | None = None
    team_id: str | None = None
    #: True where the platform has no way to answer inside the request (Discourse posts):
    #: the worker then posts the answer as a reply.
    answer_by_post: bool = False
    #: Lines written below the command (a Discourse post); free-text commands read them too.
    more: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Invocation:
        values = {key: payload[key] for key in cls.__dataclass_fields__ if key in payload}
        values["platform"] = Platform(payload["platform"])
        return cls(**values)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def free_text(self, skip: int) -> str:
        """What follows the first ``skip`` words, line breaks (and the lines below) kept."""
        rest = re.split(r"\s+", self.text.strip(), maxsplit=skip)[skip:] if skip else [self.text.strip()]
        return "\n".join(part for part in (rest[0].strip() if rest else "", self.more) if part)


@dataclass(frozen=True)
class Reply:
    """The answer shown at once; ``deferred`` means the worker carries on with ``perform``."""

    text: str
    in_channel: bool = False
    deferred: bool = False
    form: Form | None = None
    #: About the member alone (a refusal, a recorded vote): where replies are public (Discourse),
    #: it goes as a private message instead.
    personal: bool = False


@dataclass
class Effects:
    """Outbound work a deferred command decides on, written to the outbox in the caller's transaction."""

    session: Session
    invocation: Invocation
    now: datetime
    posts: int = 0

    def post(self, text: str, thread_id: str | None = None, to_username: str | None = None) -> None:
        key = f"{self.invocation.platform}:{self.invocation.delivery_id}:{self.posts}"
        self.posts += 1
        post = OutboundPost(group_id=self.invocation.group_id, text=text, thread_id=None if to_username else thread_id,
                            to_username=to_username)
        outbox.add_message(self.session, idempotency_key=key, platform=self.invocation.platform,
                           operation="post", payload=post.to_payload(), now=self.now)


@dataclass
class CommandContext:
    invocation: Invocation
    args: list[str]
    language: str
    community: Community | None
    session: Session
    config: Config
    now: datetime
    can_post: bool

    @property
    def member(self) -> Member | None:
        """The invoking user as a member of this community, if they are one."""
        if self.community is None:
            return None
        return find_member(self.session, self.community.id, self.invocation.user_id)


class Command(Protocol):
    """A `/cop <name>` command: ``answer`` runs inside the request and must be fast."""

    name: str
    usage: str

    def answer(self, ctx: CommandContext) -> Reply: ...


@runtime_checkable
class DeferredCommand(Command, Protocol):
    """A command whose slow part (posting, reading the platform) runs in the worker."""

    def perform(self, ctx: CommandContext, effects: Effects) -> None: ...
