"""Mattermost endpoints: the `/cop` slash command, button clicks and dialog submissions."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from plugin.commands.base import Invocation, Reply
from plugin.commands.registry import answer, context_for
from plugin.errors import PlatformError
from plugin.platforms.events import PostCreated
from plugin.platforms.mattermost.adapter import MattermostAdapter
from plugin.queue.intake import accept, hand_off_event, record
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.signing import ContextRefused
from plugin.storage import installations
from plugin.storage.states import Platform
from plugin.texts import text
from webhooks.context import runtime
from webhooks.errors import Unauthorised, error_response
from webhooks.intake import json_body
from webhooks.interactions import act, submit_form
from webhooks.schemas import (
    MattermostActionSchema,
    MattermostDialogSchema,
    OutgoingWebhookSchema,
    SlashCommandSchema,
    load,
)
from webhooks.verify import token_matches

log = logging.getLogger(__name__)
blueprint = Blueprint("mattermost", __name__, url_prefix="/mattermost")
_command_schema = SlashCommandSchema()
_action_schema = MattermostActionSchema()
_outgoing_schema = OutgoingWebhookSchema()
_dialog_schema = MattermostDialogSchema()
#: How long an opened form may be submitted.
FORM_VALIDITY_SECONDS = 3600


def _verify_token(current: Runtime, token: str) -> None:
    with current.database.session() as session:
        tokens = [*current.config.mattermost_command_tokens,
                  *installations.command_tokens(session, Platform.MATTERMOST, current.sealer)]
    if not tokens:
        raise Unauthorised("Kring has no slash-command token configured: set KRING_MATTERMOST_COMMAND_TOKENS "
                           "or run `kring install mattermost`.")
    if not token_matches(token, tokens):
        raise Unauthorised("The slash-command token is not one Kring knows.")


def _open_form(current: Runtime, reply: Reply, trigger_id: str | None, now: datetime) -> bool:
    """Show the reply's form as a dialog; False when that is not possible (the text is shown instead)."""
    adapter = current.platforms.get(Platform.MATTERMOST)
    if reply.form is None or not trigger_id or not current.config.public_url or not isinstance(
            adapter, MattermostAdapter):
        return False
    try:
        adapter.open_form(trigger_id, f"{current.config.public_url}/mattermost/dialog", reply.form,
                          now + timedelta(seconds=FORM_VALIDITY_SECONDS))
    except PlatformError as exc:
        log.warning("could not open a dialog: %s", exc)
        return False
    return True


@blueprint.post("/command")
def command() -> Response:
    current = runtime()
    if not request.form and request.mimetype != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType("Slash commands must be sent as application/x-www-form-urlencoded, "
                                   "as Mattermost does.")
    fields = load(_command_schema, request.form.to_dict(), "slash command")
    _verify_token(current, fields["token"])
    invocation = Invocation(
        platform=Platform.MATTERMOST,
        group_id=fields["channel_id"],
        user_id=fields["user_id"],
        user_name=fields["user_name"],
        text=fields["text"].strip(),
        # A trigger id is unique per invocation; without one every request is new.
        delivery_id=fields["trigger_id"] or f"command-{uuid.uuid4()}",
        team_id=fields["team_id"],
    )
    with unit_of_work(current) as session:
        ctx = context_for(session, invocation, current)
        reply = answer(ctx)
        recorded = record(session, current, platform=Platform.MATTERMOST, delivery_id=invocation.delivery_id,
                          kind="command", payload=invocation.to_payload(), done=not reply.deferred)
    if reply.deferred:
        hand_off_event(current, recorded)
    shown = reply.text
    if _open_form(current, reply, fields["trigger_id"], current.clock.now()):
        shown = text("answer.form.opened", ctx.language)
    return jsonify({"response_type": "in_channel" if reply.in_channel else "ephemeral", "text": shown})


@blueprint.post("/outgoing")
def outgoing() -> Response:
    """A post in a public channel, from a Mattermost outgoing webhook; recorded once per post id."""
    current = runtime()
    data = request.form.to_dict() if request.mimetype == "application/x-www-form-urlencoded" else json_body()
    fields = load(_outgoing_schema, data, "outgoing webhook")
    with current.database.session() as session:
        tokens = [*current.config.mattermost_outgoing_tokens,
                  *installations.webhook_secrets(session, Platform.MATTERMOST, current.sealer)]
    if not tokens:
        raise Unauthorised("Kring has no outgoing-webhook token configured: set KRING_MATTERMOST_OUTGOING_TOKENS "
                           "or run `kring install mattermost --channel …`.")
    if not token_matches(fields["token"], tokens):
        raise Unauthorised("The outgoing-webhook token is not one Kring knows.")
    post = PostCreated(platform=Platform.MATTERMOST, group_id=fields["channel_id"], post_id=fields["post_id"],
                       user_id=fields["user_id"], user_name=fields["user_name"], text=fields["text"],
                       thread_id=None, thread_known=False)
    recorded = accept(current, platform=Platform.MATTERMOST, delivery_id=post.delivery_id, kind=PostCreated.KIND,
                      payload=post.to_payload())
    return jsonify({"status": "recorded" if recorded.created else "duplicate"})


@blueprint.post("/action")
def action() -> Response:
    """A button click: its context must carry Kring's signature, unexpired and not used before."""
    current = runtime()
    fields = load(_action_schema, json_body(), "button action")
    try:
        verified = current.signer.verify(fields["context"], current.clock.now())
    except ContextRefused as exc:
        return error_response(403, "forbidden", str(exc),
                              ephemeral_text=text("action.refused", current.config.language, reason=exc))
    with unit_of_work(current) as session:
        message = act(session, current, fields["channel_id"], fields["user_id"], verified)
    return jsonify({"ephemeral_text": message})


@blueprint.post("/dialog")
def dialog() -> Response:
    """A dialog submission: field problems go back as Mattermost's `errors` map, not as a failure."""
    current = runtime()
    fields = load(_dialog_schema, json_body(), "dialog submission")
    if fields["cancelled"]:
        return jsonify({})
    try:
        state = json.loads(fields["state"])
        verified = current.signer.verify(state, current.clock.now())
    except (ValueError, ContextRefused) as exc:
        return error_response(403, "forbidden", f"the form's state was refused: {exc}")
    with unit_of_work(current) as session:
        errors, message = submit_form(session, current, fields["channel_id"], fields["user_id"], verified,
                                      fields["submission"])
    if errors:
        return jsonify({"errors": errors})
    return jsonify({"text": message} if message else {})
