"""Mattermost: group = channel, thread = root post, DM = direct channel.

Inbound: the `/cop` slash command (form-encoded, token-checked), outgoing webhooks (token-checked),
button clicks and dialog submissions (Kring's signed contexts), and the bot's WebSocket
(:mod:`plugin.platforms.mattermost.listener`). Outbound: :mod:`plugin.platforms.mattermost.outbound`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, ClassVar

from plugin.config import Config
from plugin.errors import NotVerified, PlatformError, UnsupportedInput
from plugin.platforms.connector import Capability, Connector
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
from plugin.storage.database import Database
from plugin.storage.installations import Installed
from plugin.texts import text

log = logging.getLogger(__name__)
FORM_CONTENT = "application/x-www-form-urlencoded"
#: How long an opened form may be submitted.
FORM_VALIDITY_SECONDS = 3600

_command_schema = SlashCommandSchema()
_action_schema = MattermostActionSchema()
_outgoing_schema = OutgoingWebhookSchema()
_dialog_schema = MattermostDialogSchema()


def _verify_token(given: str, tokens: list[str], kind: str, setting: str, install: str) -> None:
    if not tokens:
        raise NotVerified(f"Kring has no {kind} token configured: set {setting} or run {install}.")
    if not token_matches(given, tokens):
        raise NotVerified(f"The {kind} token is not one Kring knows.")


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
                    ("application/json",), "What the click did, as an ephemeral text.", refusals=(400, 403, 413)),
        EndpointDoc("dialog", "A dialog submission; its state must be signed by Kring.", _dialog_schema,
                    ("application/json",), "Field errors, or nothing when recorded.", refusals=(400, 403, 413)),
    )
    outbound: MattermostOutbound | None

    def connect(self, config: Config, installations: Sequence[Installed]) -> MattermostOutbound | None:
        installed = next((i for i in installations if i.bot_token), None)
        url = config.mattermost_url or (installed.base_url if installed else None)
        token = config.mattermost_bot_token or (installed.bot_token if installed else None)
        if not (url and token):
            return None
        action_url = f"{config.public_url}/mattermost/action" if config.public_url else None
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
        _verify_token(fields["token"], [*self.config.mattermost_command_tokens,
                                        *(i.command_token for i in stored() if i.command_token)],
                      "slash-command", "KRING_MATTERMOST_COMMAND_TOKENS", "`kring install mattermost`")
        event = CommandInvoked(
            platform=self.name, group_id=fields["channel_id"], user_id=fields["user_id"],
            user_name=fields["user_name"], text=fields["text"].strip(),
            # A trigger id is unique per invocation; without one every request is new.
            delivery_id=fields["trigger_id"] or f"command-{uuid.uuid4()}", team_id=fields["team_id"])
        return Received(event, event.delivery_id, details={"trigger_id": fields["trigger_id"]})

    def _outgoing(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        data = dict(request.form) if request.mimetype == FORM_CONTENT else request.json()
        fields = load(_outgoing_schema, data, "outgoing webhook")
        _verify_token(fields["token"], [*self.config.mattermost_outgoing_tokens,
                                        *(i.webhook_secret for i in stored() if i.webhook_secret)],
                      "outgoing-webhook", "KRING_MATTERMOST_OUTGOING_TOKENS", "`kring install mattermost --channel …`")
        post = PostCreated(platform=self.name, group_id=fields["channel_id"], post_id=fields["post_id"],
                           user_id=fields["user_id"], user_name=fields["user_name"], text=fields["text"],
                           thread_id=None, thread_known=False)
        return Received(post, post.delivery_id)

    def _action(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        fields = load(_action_schema, request.json(), "button action")
        try:
            verified = self.signer.verify(fields["context"], self.clock.now())
        except ContextRefused as exc:
            return Received(answer=Answer({"error": "forbidden", "message": str(exc), "ephemeral_text": text(
                "action.refused", self.config.language, reason=exc)}, 403))
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
            return Received(answer=Answer({"error": "forbidden",
                                           "message": f"the form's state was refused: {exc}"}, 403))
        return Received(FormSubmitted(platform=self.name, group_id=fields["channel_id"], user_id=fields["user_id"],
                                      data=verified.data, values=fields["submission"]))

    def answer(self, received: Received, outcome: Outcome) -> Answer:
        event = received.event
        if isinstance(event, CommandInvoked):
            shown = outcome.text
            if outcome.form is not None and self._open_form(outcome, received.details.get("trigger_id")):
                shown = text("answer.form.opened", outcome.language)
            return Answer({"response_type": "in_channel" if outcome.in_channel else "ephemeral", "text": shown})
        if isinstance(event, ButtonClicked):
            return Answer({"ephemeral_text": outcome.text})
        if isinstance(event, FormSubmitted):
            if outcome.errors:
                return Answer({"errors": outcome.errors})
            return Answer({"text": outcome.text} if outcome.text else {})
        return super().answer(received, outcome)

    def _open_form(self, outcome: Outcome, trigger_id: str | None) -> bool:
        """Show the reply's form as a dialog; False when that is not possible (the text is shown instead)."""
        if outcome.form is None or not trigger_id or not self.config.public_url or self.outbound is None:
            return False
        try:
            self.outbound.open_form(trigger_id, f"{self.config.public_url}/mattermost/dialog", outcome.form,
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

    def is_own(self, user_id: str, props: dict[str, Any] | None = None) -> bool:
        """Whether a post is Kring's: its props say so, or the bot wrote it."""
        if (props or {}).get("from_kring"):
            return True
        return self.outbound is not None and user_id == self.outbound.bot_user_id()

    def complete(self, post: PostCreated) -> PostCreated:
        if self.outbound is None:
            return post
        if self.is_own(post.user_id):
            post = replace(post, from_kring=True)
        if not post.thread_known and not post.from_kring:
            post = replace(post, thread_id=self.outbound.thread_of(post.post_id), thread_known=True)
        return post
