"""Discourse: group = category, thread = topic, DM = private message, members = a member group.

Inbound: one webhook (`POST /discourse/webhook`), signed with HMAC-SHA256 over the body; commands
are the first line of a post (`/cop …` or `@kring …`). Outbound:
:mod:`plugin.platforms.discourse.outbound`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import sqlalchemy as sa

from plugin.config import Config
from plugin.errors import NotVerified, PlatformError
from plugin.platforms.connector import Capability, Check, Connector
from plugin.platforms.discourse.client import DiscourseClient
from plugin.platforms.discourse.doctor import DiscourseDoctor
from plugin.platforms.discourse.outbound import DiscourseOutbound
from plugin.platforms.discourse.poller import DiscoursePoller
from plugin.platforms.discourse.schemas import DiscourseHeadersSchema, DiscoursePostSchema
from plugin.platforms.events import CommandInvoked, InboundEvent, MemberGroupChanged, Noticed, PostCreated
from plugin.platforms.inbound import Answer, EndpointDoc, InboundRequest, Outcome, Received, StoredInstallations, load
from plugin.platforms.verify import hmac_sha256
from plugin.storage.database import Database
from plugin.storage.installations import Installed
from plugin.storage.models import Community

SIGNATURE_PREFIX = "sha256="
COMMAND_PREFIX = "/cop"
#: Events Kring records and works on; every other event is acknowledged and ignored.
HANDLED_EVENTS = frozenset({"ping", "post_created", "post_edited", "topic_created", "topic_edited",
                            "user_added_to_group", "user_removed_from_group"})
GROUP_EVENTS = frozenset({"user_added_to_group", "user_removed_from_group"})
WHISPER = 4
PRIVATE_MESSAGE = "private_message"

_headers_schema = DiscourseHeadersSchema()
_post_schema = DiscoursePostSchema()


def signature(secret: str, body: bytes) -> str:
    """The `X-Discourse-Event-Signature` Discourse sends with ``body``."""
    return SIGNATURE_PREFIX + hmac_sha256(secret, body)


def _signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(signature(secret, body).encode(), str(header).strip().encode())


def _command_text(first_line: str, bot_username: str | None) -> str | None:
    """The command in a post's first line: `/cop …`, or `@kring …` (a mention of Kring's bot user)."""
    prefixes = [COMMAND_PREFIX] + ([f"@{bot_username}"] if bot_username else [])
    for prefix in prefixes:
        if first_line.lower() == prefix.lower() or first_line.lower().startswith(prefix.lower() + " "):
            return first_line[len(prefix):].strip()
    return None


class DiscourseConnector(Connector):
    name: ClassVar[str] = "discourse"
    title: ClassVar[str] = "Discourse"
    group_noun: ClassVar[str] = "category"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.NATIVE_POLLS, Capability.THREADS, Capability.DIRECT_MESSAGES, Capability.MEMBER_DIRECTORY,
        Capability.MEMBER_GROUPS, Capability.PUBLIC_COMMANDS})
    settings: ClassVar[str] = "KRING_DISCOURSE_URL / KRING_DISCOURSE_API_KEY / KRING_DISCOURSE_API_USERNAME"
    endpoints: ClassVar[tuple[EndpointDoc, ...]] = (
        EndpointDoc("webhook", "A Discourse webhook, verified by its HMAC-SHA256 signature and deduplicated by "
                    "event id.", None, ("application/json",), "Recorded (or a duplicate).", refusals=(400, 401, 413),
                    headers=(("X-Discourse-Event-Signature", "sha256=<hex HMAC-SHA256 of the body>"),
                             ("X-Discourse-Event-Id", "The delivery's id (redeliveries repeat it)."),
                             ("X-Discourse-Event", "The event, e.g. post_created.")),
                    body_description="A Discourse webhook body: one object named after its type, e.g. `post` "
                    "(its fields as below) or `group`, `user`, `ping`.", nested=(("post", _post_schema),)),
    )
    outbound: DiscourseOutbound | None

    def connect(self, config: Config, installations: Sequence[Installed]) -> DiscourseOutbound | None:
        installed = next((i for i in installations if i.bot_token), None)
        url = config.discourse_url or (installed.base_url if installed else None)
        # An installation records the API key as its bot token and the bot's user name as its bot user.
        api_key = config.discourse_api_key or (installed.bot_token if installed else None)
        api_username = config.discourse_api_username or (installed.bot_user_id if installed else None)
        if not (url and api_key and api_username):
            return None
        return DiscourseOutbound(DiscourseClient(url, api_key, api_username, config.http_timeout))

    @classmethod
    def manifest_entries(cls) -> dict[str, Any]:
        return {"discourse_webhook_events": sorted(HANDLED_EVENTS - {"ping"})}

    def listener(self, database: Database, accept: Callable[[Received], object], ws_url: str | None = None
                 ) -> DiscoursePoller:
        """The catch-up poller: posts made while no webhook reached Kring (``ws_url`` does not apply)."""
        if self.outbound is None:
            raise PlatformError(f"Kring has no Discourse bot: set {self.settings}, or run `kring install discourse`")
        return DiscoursePoller(self, self.outbound, database, self.clock, accept)

    def diagnose(self, database: Database, admin_token: str | None = None, ws_url: str | None = None
                 ) -> list[Check]:
        if self.outbound is None:
            return [Check.failed("Kring has no Discourse bot",
                                 f"run `kring install discourse` (or set {self.settings})")]
        bot = self.outbound.client
        admin = (DiscourseClient(bot.base_url, admin_token, "system", self.config.http_timeout) if admin_token
                 else None)
        with database.session() as session:
            linked = list(session.execute(sa.select(Community.external_group_id, Community.member_group).where(
                Community.platform == self.name)))
        return DiscourseDoctor(bot, admin, self.config.public_url, [category for category, _ in linked],
                               [group for _, group in linked if group]).checks()

    @property
    def bot_username(self) -> str | None:
        return self.outbound.client.api_username if self.outbound is not None else None

    def receive(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        installed = stored()  # read (and unsealed) once: for the secrets, and for the categories
        secrets = [s for s in (self.config.discourse_webhook_secret, *(i.webhook_secret for i in installed)) if s]
        if not secrets:
            raise NotVerified("Kring has no Discourse webhook secret configured: set KRING_DISCOURSE_WEBHOOK_SECRET "
                              "to the secret of the webhook, or run `kring install discourse`.")
        header = request.header("X-Discourse-Event-Signature")
        valid = [_signature_valid(secret, request.body, header) for secret in secrets]  # every one, constant time
        if not any(valid):
            raise NotVerified("Missing or wrong X-Discourse-Event-Signature (HMAC-SHA256 of the body).")
        headers = load(_headers_schema, dict(request.headers), "Discourse webhook headers")
        body = request.json()
        name = headers["event"]
        if name not in HANDLED_EVENTS:
            return Received(answer=Answer({"status": "ignored", "event": name}))
        event_id = headers["event_id"]
        if name in ("post_created", "post_edited") and isinstance(body.get("post"), dict):
            return self.post_received(body["post"], {i.scope for i in installed}, name)
        if name == "topic_edited" and isinstance(body.get("topic"), dict):
            return self._topic_edited(body["topic"], {i.scope for i in installed}, event_id)
        return Received(self._other_event(name, body), event_id, done=name == "ping", details={"event": name})

    def _other_event(self, name: str, body: dict[str, Any]) -> InboundEvent:
        if name in GROUP_EVENTS:
            group = body.get("group_user")
            return MemberGroupChanged(self.name, str(group.get("group_id", "")) if isinstance(group, dict) else "")
        return Noticed(self.name, name)

    def post_received(self, raw_post: dict[str, Any], scopes: set[str], name: str) -> Received:
        """A post (from a webhook, or read back by the poller), known by what it says: its id and
        version. A delivery repeated with a new event id (Discourse's automatic retries), or
        relabelled, is the same post and is recorded once; an edit (a higher version) replaces the
        answer the post gave. ``scopes`` are the installations' (the categories Kring works in)."""
        post = load(_post_schema, raw_post, "post")
        delivery_id = f"post:{post['id']}:v{post['version']}"
        details = {"event": name}
        private = post["category_id"] is None and post["topic_archetype"] == PRIVATE_MESSAGE
        if not private and not self._watched(post["category_id"], scopes):
            return Received(Noticed(self.name, name), delivery_id, done=True, details=details)
        command = self._command(post, delivery_id, private) if post["version"] == 1 else None
        if command is not None:
            return Received(command, delivery_id, details=details)
        if private:  # Kring asks for nothing in private messages but commands
            return Received(Noticed(self.name, name), delivery_id, done=True, details=details)
        return Received(self._created(post), delivery_id, details=details)

    def _created(self, post: dict[str, Any]) -> PostCreated:
        bot = self.bot_username
        return PostCreated(platform=self.name, group_id=str(post["category_id"]), post_id=str(post["id"]),
                           user_id=str(post["user_id"]), user_name=post["username"], text=post["raw"],
                           thread_id=str(post["topic_id"]), version=str(post["version"]),
                           from_kring=bool(bot) and post["username"].lower() == str(bot).lower())

    def _topic_edited(self, topic: dict[str, Any], scopes: set[str], event_id: str) -> Received:
        """A topic's first post edited together with its title or category: Discourse sends the topic,
        not the post, so the worker reads the first post back (:meth:`complete`)."""
        details = {"event": "topic_edited"}
        category_id, topic_id = topic.get("category_id"), topic.get("id")
        if (not isinstance(topic_id, int) or topic.get("archetype") == PRIVATE_MESSAGE
                or not self._watched(category_id if isinstance(category_id, int) else None, scopes)):
            return Received(Noticed(self.name, "topic_edited"), event_id, done=True, details=details)
        first_post = PostCreated(platform=self.name, group_id=str(category_id), post_id="", user_id="", user_name="",
                                 text="", thread_id=str(topic_id), thread_known=False)
        return Received(first_post, f"topic:{topic_id}:edited:{event_id}", details=details)

    def complete(self, post: PostCreated) -> PostCreated:
        """The first post of an edited topic, read back as it is now, in the topic's category (a topic
        deleted since says nothing)."""
        if post.thread_known or self.outbound is None or post.thread_id is None:
            return post
        try:
            found = self.outbound.client.post_by_number(int(post.thread_id), 1)
        except PlatformError as exc:
            if exc.status != 404:
                raise
            return post
        return replace(self._created(load(_post_schema, found, "post")), group_id=post.group_id)

    @staticmethod
    def _watched(category_id: int | None, scopes: set[str]) -> bool:
        """Whether Kring works in the category: one `kring install discourse` ran for (the webhook has no
        category filter, so that group events and private messages reach Kring), or any category when
        Kring was configured by hand. Subcategories count only when installed themselves."""
        installed = {scope for scope in scopes if scope.isdigit()}
        return not installed or str(category_id) in installed

    def _command(self, post: dict[str, Any], delivery_id: str, private: bool) -> CommandInvoked | None:
        """A command written as the first line of a member's post; else None. The lines below the first
        are kept apart: commands that take free text (an answer, a log entry) read on. A command in a
        private message to the bot is about the member's community; one in a staff whisper is
        answered privately."""
        bot = self.bot_username
        if bot and post["username"].lower() == bot.lower():
            return None  # Kring's own posts never trigger Kring.
        lines = post["raw"].strip().splitlines()
        command = _command_text(lines[0].strip() if lines else "", bot)
        if command is None:
            return None
        return CommandInvoked(
            platform=self.name, group_id=f"pm:{post['topic_id']}" if private else str(post["category_id"]),
            user_id=str(post["user_id"]), user_name=post["username"], text=command,
            more="\n".join(lines[1:]).strip(), delivery_id=delivery_id, thread_id=str(post["topic_id"]),
            answer_by_post=True, direct=private, private=post["post_type"] == WHISPER)

    def answer(self, received: Received, outcome: Outcome) -> Answer:
        return Answer({"status": "recorded" if outcome.recorded else "duplicate",
                       "event": received.details.get("event")})
