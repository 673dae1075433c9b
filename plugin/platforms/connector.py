"""The contract of a connector: the one object that knows a platform.

A connector verifies and parses what its platform sends (HTTP endpoints, a listener) into typed
events, answers its platform in the platform's own shapes, makes every outbound call through its
outbound part, declares its capabilities, and owns its installer. The core asks a connector for a
capability, never which platform it is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar

from plugin.clock import Clock
from plugin.config import Config
from plugin.platforms.base import PlatformClient
from plugin.platforms.events import PostCreated
from plugin.platforms.inbound import Answer, EndpointDoc, InboundRequest, Outcome, Received, StoredInstallations
from plugin.signing import Signer
from plugin.storage.database import Database
from plugin.storage.installations import Installed

Feature = TypeVar("Feature")


class Listening(Protocol):
    """A connection that hears the platform (a WebSocket, a poller) and hands what it hears to the intake."""

    #: Where it listens, for the operator.
    address: str

    def run(self) -> None: ...

    def stop(self) -> None: ...


class Capability(StrEnum):
    """What a platform can do that the core may rely on."""

    #: Posts carry Kring's buttons; a click comes back with Kring's signed context.
    BUTTONS = "buttons"
    #: A command's answer can open a form (a dialog) that comes back signed.
    FORMS = "forms"
    #: The platform shows polls itself; their tallies are read back when they close.
    NATIVE_POLLS = "native_polls"
    #: Replies in threads Kring opened.
    THREADS = "threads"
    #: Messages to one member.
    DIRECT_MESSAGES = "direct_messages"
    #: A group's members can be listed, and a user looked up by name.
    MEMBER_DIRECTORY = "member_directory"
    #: The members are a platform group of their own, apart from the channel or category.
    MEMBER_GROUPS = "member_groups"
    #: Commands are posts the whole group reads (Discourse): what is for a member alone is sent to
    #: the bot in a private message.
    PUBLIC_COMMANDS = "public_commands"


@dataclass(frozen=True)
class Check:
    """One line of `kring doctor`: what was found, and what to do about it when it is not fine."""

    status: str  # "ok", "warn" or "fail": a failure blocks Kring
    found: str
    fix: str = ""

    @classmethod
    def passed(cls, found: str) -> Check:
        return cls("ok", found)

    @classmethod
    def warned(cls, found: str, fix: str) -> Check:
        return cls("warn", found, fix)

    @classmethod
    def failed(cls, found: str, fix: str) -> Check:
        return cls("fail", found, fix)


class Connector(ABC):
    """One platform. Subclasses set the class attributes and implement :meth:`receive`."""

    #: The platform's name: the connector's registry key, the URL prefix of its endpoints, and the
    #: value stored with every community, event and message of this platform.
    name: ClassVar[str]
    title: ClassVar[str]
    #: What the platform calls the place a community lives in (channel, category).
    group_noun: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    endpoints: ClassVar[tuple[EndpointDoc, ...]]
    #: The KRING_* settings that let Kring post there (for messages that say what is missing).
    settings: ClassVar[str]

    def __init__(self, config: Config, installations: Sequence[Installed], signer: Signer, clock: Clock) -> None:
        self.config = config
        self.signer = signer
        self.clock = clock
        self.outbound = self.connect(config, [i for i in installations if i.platform == self.name])

    @abstractmethod
    def connect(self, config: Config, installations: Sequence[Installed]) -> PlatformClient | None:
        """The outbound part with Kring's credentials (configured, else installed); None without them."""

    @abstractmethod
    def receive(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        """Verify ``request`` and turn it into an event (or an answer given at once).

        Raises :class:`plugin.errors.InboundRefused` for a request that is not verified or not valid.
        """

    @classmethod
    def manifest_entries(cls) -> dict[str, Any]:
        """What manifest.json says of this platform besides its endpoints (e.g. the webhook's events)."""
        return {}

    def answer(self, received: Received, outcome: Outcome) -> Answer:
        """The platform's answer once the core took the event in."""
        return Answer({"status": "recorded" if outcome.recorded else "duplicate"})

    def complete(self, post: PostCreated) -> PostCreated:
        """Fill in, in the worker, what the post's source could not say (its thread, whether it is
        Kring's own); the default: nothing is missing."""
        return post

    def listener(self, database: Database, accept: Callable[[Received], object], ws_url: str | None = None
                 ) -> Listening | None:
        """The platform's real-time connection, where it pushes more than its webhooks; None otherwise."""
        return None

    def diagnose(self, database: Database, admin_token: str | None = None, ws_url: str | None = None
                 ) -> list[Check]:
        """What keeps Kring from working on this platform (`kring doctor`), each check with its fix."""
        return [Check.warned(f"there are no checks for {self.title} yet", "see the README's install section")]

    def feature(self, kind: type[Feature]) -> Feature | None:
        """The outbound part as ``kind`` (a capability protocol of :mod:`plugin.platforms.base`), when
        Kring can post here and the platform has it."""
        part = self.outbound
        return part if part is not None and isinstance(part, kind) else None
