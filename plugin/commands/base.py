"""What a command receives and returns, and the contract every command module follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy.orm import Session

from plugin.config import Config
from plugin.platforms.base import Button, Form, OutboundPost
from plugin.platforms.events import CommandInvoked
from plugin.storage import outbox
from plugin.storage.models import Community, Member
from plugin.texts import usage_in


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
    #: Offered under the reply where the platform shows buttons; the text says what to type instead.
    buttons: tuple[Button, ...] = ()


@dataclass
class Effects:
    """Outbound work a deferred command decides on, written to the outbox in the caller's transaction."""

    session: Session
    invocation: CommandInvoked
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
    invocation: CommandInvoked
    args: list[str]
    language: str
    community: Community | None
    session: Session
    config: Config
    now: datetime
    #: The KRING_* settings Kring needs to post on this platform; None when it can post.
    missing_settings: str | None
    #: The invoking user as a current member of this community: someone who left is kept with their
    #: contributions, but is no member (nor admin) any more. Read with the community (no command adds or
    #: removes members).
    member: Member | None = None
    #: Typed outside any community's group by a member of several: their names, to choose from.
    choices: tuple[str, ...] = ()



class Command(Protocol):
    """A `/cop <name>` command: ``answer`` runs inside the request and must be fast."""

    name: str
    hint: str
    #: What it carries (its arguments) is for the member, or the admins, alone.
    private: bool

    @property
    def usage(self) -> str: ...

    def usage_in(self, language: str) -> str: ...

    @property
    def help_key(self) -> str: ...

    def answer(self, ctx: CommandContext) -> Reply: ...


class CommandBase:
    """The one definition of a built-in command: its word (``name``) and its arguments (``hint``).

    Its usage line, its help text's key, the registry, `/cop help`, the autocomplete in manifest.json
    and the words workflows may not take all derive from these two attributes.
    """

    name: str
    hint: str = ""
    private: bool = False

    @property
    def usage(self) -> str:
        return f"/cop {self.name} {self.hint}".strip()

    def usage_in(self, language: str) -> str:
        """The usage line as a reader of ``language`` sees it (its placeholders translated)."""
        return usage_in(self.usage, language)

    @property
    def help_key(self) -> str:
        return f"command.{self.name}"


@runtime_checkable
class DeferredCommand(Command, Protocol):
    """A command whose slow part (posting, reading the platform) runs in the worker."""

    def perform(self, ctx: CommandContext, effects: Effects) -> None: ...
