"""Mattermost: group = channel, thread = root post, DM = direct channel.

Inbound: the `/cop` slash command (form-encoded, token-checked), outgoing webhooks (token-checked),
button clicks and dialog submissions (Kring's signed contexts), and the bot's WebSocket
(:mod:`plugin.platforms.mattermost.listener`). Outbound: :mod:`plugin.platforms.mattermost.outbound`.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, ClassVar

import sqlalchemy as sa

from plugin.config import Config
from plugin.errors import NotVerified, PlatformError, UnsupportedInput
from plugin.manifest import endpoint_url
from plugin.platforms.connector import Capability, Check, Connector
from plugin.platforms.events import ButtonClicked, CommandInvoked, FormSubmitted, PostCreated
from plugin.platforms.inbound import (
    Answer,
    EndpointDoc,
    InboundRequest,
    Outcome,
    Received,
    StoredInstallations,
    load,
)
from plugin.platforms.mattermost.client import MattermostClient
from plugin.platforms.mattermost.doctor import MattermostDoctor
from plugin.platforms.mattermost.listener import Listener, websocket_url
from plugin.platforms.mattermost.outbound import MattermostOutbound
from plugin.platforms.mattermost.schemas import (
    MattermostActionSchema,
    MattermostDialogSchema,
    OutgoingWebhookSchema,
    SlashCommandSchema,
)
from plugin.platforms.verify import token_matches
from plugin.signing import ContextRefused
from plugin.storage import installations
from plugin.storage.database import Database
from plugin.storage.installations import Installed
from plugin.storage.models import Community
from plugin.texts import text

log = logging.getLogger(__name__)
FORM_CONTENT = "application/x-www-form-urlencoded"
#: How long an opened form may be submitted.
FORM_VALIDITY_SECONDS = 3600
#: The longest post (and so the longest command text) Mattermost accepts, in characters.
MAX_POST_CHARS = 16_383
#: A direct channel's name: the two user ids (a group channel's name cannot hold `__`).
DIRECT_CHANNEL_NAME = re.compile(r"^[a-z0-9]+__[a-z0-9]+$")
#: Marks Kring's command responses; the server copies a response's props onto the post it makes of it.
OWN_PROPS = {"from_kring": True}

_command_schema = SlashCommandSchema()
_action_schema = MattermostActionSchema()
_outgoing_schema = OutgoingWebhookSchema()
_dialog_schema = MattermostDialogSchema()


def _verify_token(given: str, configured: Sequence[str], installed: Sequence[tuple[str, str]], scope: str, kind: str,
                  setting: str, install: str) -> None:
    """``given`` must be a configured token, or an installed one for this ``scope`` (the team of a
    slash command, the channel of an outgoing webhook): one team's token does not work for another."""
    if not configured and not installed:
        raise NotVerified(f"Kring has no {kind} token configured: set {setting} or run {install}.")
    if not token_matches(given, [*configured, *(token for token, bound in installed if bound == scope)]):
        raise NotVerified(f"The {kind} token is not one Kring knows here.")


class MattermostConnector(Connector):
    name: ClassVar[str] = "mattermost"
    title: ClassVar[str] = "Mattermost"
    group_noun: ClassVar[str] = "channel"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.BUTTONS, Capability.FORMS, Capability.THREADS, Capability.DIRECT_MESSAGES,
        Capability.MEMBER_DIRECTORY})
    settings: ClassVar[str] = "KRING_MATTERMOST_URL / KRING_MATTERMOST_BOT_TOKEN"
    endpoints: ClassVar[tuple[EndpointDoc, ...]] = (
        EndpointDoc("command", "A `/cop` slash command (token-checked).", _command_schema, (FORM_CONTENT,),
                    "The answer, ephemeral or in the channel."),
        EndpointDoc("outgoing", "An outgoing-webhook post in a public channel (token-checked).", _outgoing_schema,
                    (FORM_CONTENT, "application/json"), "Recorded.", refusals=(400, 401, 413)),
        EndpointDoc("action", "A button click; its context must be signed by Kring.", _action_schema,
                    ("application/json",), "What the click did, or why it was refused, as an ephemeral text.",
                    refusals=(400, 413)),
        EndpointDoc("dialog", "A dialog submission; its state must be signed by Kring.", _dialog_schema,
                    ("application/json",), "Field errors or a refusal (the dialog stays open), or nothing when "
                    "recorded.", refusals=(400, 413)),
    )
    outbound: MattermostOutbound | None

    def connect(self, config: Config, installations: Sequence[Installed]) -> MattermostOutbound | None:
        installed = next((i for i in installations if i.bot_token), None)
        url = config.mattermost_url or (installed.base_url if installed else None)
        token = config.mattermost_bot_token or (installed.bot_token if installed else None)
        if not (url and token):
            return None
        action_url = endpoint_url(config.public_url, "mattermost_action") if config.public_url else None
        return MattermostOutbound(MattermostClient(url, token, config.http_timeout), self.signer, action_url)

    def receive(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        handlers: dict[str, Callable[[InboundRequest, StoredInstallations], Received]] = {
            "command": self._command, "outgoing": self._outgoing, "action": self._action, "dialog": self._dialog}
        return handlers[request.endpoint](request, stored)

    def _command(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        if not request.form and request.mimetype != FORM_CONTENT:
            raise UnsupportedInput("Slash commands must be sent as application/x-www-form-urlencoded, "
                                   "as Mattermost does.")
        fields = load(_command_schema, dict(request.form), "slash command")
        _verify_token(fields["token"], self.config.mattermost_command_tokens,
                      [(i.command_token, i.scope) for i in stored() if i.command_token], fields["team_id"] or "",
                      "slash-command", "KRING_MATTERMOST_COMMAND_TOKENS", "`kring install mattermost`")
        if len(fields["text"]) > MAX_POST_CHARS:
            return Received(answer=Answer({"response_type": "ephemeral", "text": text(
                "command.too_long", self.config.language, length=len(fields["text"]), max=MAX_POST_CHARS)}))
        event = CommandInvoked(
            platform=self.name, group_id=fields["channel_id"], user_id=fields["user_id"],
            user_name=fields["user_name"], text=fields["text"].strip(),
            # A trigger id is unique per invocation; without one every request is new.
            delivery_id=fields["trigger_id"] or f"command-{uuid.uuid4()}", team_id=fields["team_id"],
            direct=bool(DIRECT_CHANNEL_NAME.match(fields["channel_name"] or "")))
        return Received(event, event.delivery_id, details={"trigger_id": fields["trigger_id"]})

    def _outgoing(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        data = dict(request.form) if request.mimetype == FORM_CONTENT else request.json()
        fields = load(_outgoing_schema, data, "outgoing webhook")
        _verify_token(fields["token"], self.config.mattermost_outgoing_tokens,
                      [(i.webhook_secret, i.scope) for i in stored() if i.webhook_secret],
                      f"channel:{fields['channel_id']}", "outgoing-webhook", "KRING_MATTERMOST_OUTGOING_TOKENS",
                      "`kring install mattermost --channel …`")
        post = PostCreated(platform=self.name, group_id=fields["channel_id"], post_id=fields["post_id"],
                           user_id=fields["user_id"], user_name=fields["user_name"], text=fields["text"],
                           thread_id=None, thread_known=False)
        return Received(post, post.delivery_id)

    def _action(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        fields = load(_action_schema, request.json(), "button action")
        try:
            verified = self.signer.verify(fields["context"], self.clock.now())
        except ContextRefused as exc:
            # For any status but 200 Mattermost shows only "Action integration error.": say why in a 200.
            return Received(answer=Answer({"ephemeral_text": text("action.refused", self.config.language,
                                                                  reason=exc)}))
        click = ButtonClicked(platform=self.name, group_id=fields["channel_id"], user_id=fields["user_id"],
                              data=verified.data, nonce=verified.nonce)
        return Received(click)

    def _dialog(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        fields = load(_dialog_schema, request.json(), "dialog submission")
        if fields["cancelled"]:
            return Received(answer=Answer({}))
        try:
            verified = self.signer.verify(json.loads(fields["state"]), self.clock.now())
        except (ValueError, ContextRefused) as exc:
            # An `error` keeps the dialog open with the message (a `text` would be dropped).
            return Received(answer=Answer({"error": text("form.refused", self.config.language, reason=exc)}))
        # The state has been in the member's browser: it must come back from whom and where it was opened.
        bound_to = (verified.data.get("for_user"), verified.data.get("for_channel"))
        if bound_to != (fields["user_id"], fields["channel_id"]):
            return Received(answer=Answer({"error": text("form.not_yours", self.config.language)}))
        return Received(FormSubmitted(platform=self.name, group_id=fields["channel_id"], user_id=fields["user_id"],
                                      data=verified.data, values=fields["submission"]))

    def answer(self, received: Received, outcome: Outcome) -> Answer:
        event = received.event
        if isinstance(event, CommandInvoked):
            shown = outcome.text
            if outcome.form is not None and self._open_form(event, outcome, received.details.get("trigger_id")):
                shown = text("answer.form.opened", outcome.language)
            answer: dict[str, Any] = {"response_type": "in_channel" if outcome.in_channel else "ephemeral",
                                      "text": shown, "props": OWN_PROPS}
            if outcome.buttons and self.outbound is not None and self.outbound.action_url:
                # A command response's `attachments` become the (ephemeral) post's buttons
                # (model.CommandResponse.Attachments); a click on an ephemeral post comes back with the
                # post's cookie, and so with Kring's signed context, like any other.
                answer["attachments"] = self.outbound.attachments(outcome.buttons)
            return Answer(answer)
        if isinstance(event, ButtonClicked):
            return Answer({"ephemeral_text": outcome.text})
        if isinstance(event, FormSubmitted):
            # Field errors keep the dialog open beside the fields, a refusal above them; success closes it
            # (a confirmation post would need create_post_ephemeral, a system admin's permission).
            if outcome.errors:
                return Answer({"errors": outcome.errors})
            return Answer({"error": outcome.text} if outcome.refused else {})
        return super().answer(received, outcome)

    def _open_form(self, event: CommandInvoked, outcome: Outcome, trigger_id: str | None) -> bool:
        """Show the reply's form as a dialog, for this member in this channel only; False when that is not
        possible (the text is shown instead)."""
        if outcome.form is None or not trigger_id or not self.config.public_url or self.outbound is None:
            return False
        form = replace(outcome.form, context={**outcome.form.context, "for_user": event.user_id,
                                              "for_channel": event.group_id})
        try:
            self.outbound.open_form(trigger_id, endpoint_url(self.config.public_url, "mattermost_dialog"), form,
                                    self.clock.now() + timedelta(seconds=FORM_VALIDITY_SECONDS))
        except PlatformError as exc:
            log.warning("could not open a dialog: %s", exc)
            return False
        return True

    def listener(self, database: Database, accept: Callable[[Received], object], ws_url: str | None = None
                 ) -> Listener:
        """The bot's WebSocket connection; what it hears goes to ``accept``."""
        if self.outbound is None:
            raise PlatformError(f"Kring has no Mattermost bot: set {self.settings}, or run `kring install mattermost`")
        return Listener(self, self.outbound, database, self.clock, accept,
                        ws_url or websocket_url(self.outbound.client.base_url))

    def diagnose(self, database: Database, admin_token: str | None = None, ws_url: str | None = None
                 ) -> list[Check]:
        if self.outbound is None:
            return [Check.failed("Kring has no Mattermost bot",
                                 f"run `kring install mattermost` (or set {self.settings})")]
        bot = self.outbound.client
        admin = MattermostClient(bot.base_url, admin_token, self.config.http_timeout) if admin_token else None
        with database.session() as session:
            linked = list(session.execute(sa.select(Community.external_group_id, Community.team_id).where(
                Community.platform == self.name)))
            teams = [i.scope for i in installations.of_platform(session, self.name)
                     if not i.scope.startswith("channel:")]
        return MattermostDoctor(bot, admin, self.config.public_url, [*teams, *(t for _, t in linked if t)],
                                [channel for channel, _ in linked], ws_url or websocket_url(bot.base_url)).checks()

    def is_own(self, user_id: str, props: dict[str, Any] | None = None) -> bool:
        """Whether a post is Kring's: its props say so, or the bot wrote it."""
        if (props or {}).get("from_kring"):
            return True
        return self.outbound is not None and user_id == self.outbound.bot_user_id()

    def complete(self, post: PostCreated) -> PostCreated:
        """An outgoing webhook says neither the thread nor the props: the post is read back. A post the
        server made of Kring's in-channel command response carries the member's id and Kring's props."""
        if self.outbound is None or post.thread_known or post.from_kring:
            return post
        found = self.outbound.client.post_by_id(post.post_id)
        return replace(post, thread_id=found.get("root_id") or None, thread_known=True,
                       from_kring=self.is_own(str(found.get("user_id", post.user_id)), found.get("props")))
