"""Mattermost endpoints: `POST /mattermost/command` for the `/cop` slash command."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from plugin.commands.base import Invocation
from plugin.commands.registry import answer, context_for
from plugin.queue.unit_of_work import unit_of_work
from plugin.storage.states import Platform
from webhooks.context import runtime
from webhooks.errors import Unauthorised
from webhooks.intake import hand_off_event, record
from webhooks.schemas import SlashCommandSchema, load
from webhooks.verify import token_matches

blueprint = Blueprint("mattermost", __name__, url_prefix="/mattermost")
_command_schema = SlashCommandSchema()


@blueprint.post("/command")
def command() -> Response:
    current = runtime()
    if not request.form and request.mimetype != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType("Slash commands must be sent as application/x-www-form-urlencoded, "
                                   "as Mattermost does.")
    fields = load(_command_schema, request.form.to_dict(), "slash command")
    tokens = current.config.mattermost_command_tokens
    if not tokens:
        raise Unauthorised("Kring has no slash-command token configured: set KRING_MATTERMOST_COMMAND_TOKENS "
                           "or run `kring install mattermost`.")
    if not token_matches(fields["token"], tokens):
        raise Unauthorised("The slash-command token is not one Kring knows.")
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
        reply = answer(context_for(session, invocation, current))
        recorded = record(session, current, platform=Platform.MATTERMOST, delivery_id=invocation.delivery_id,
                          kind="command", payload=invocation.to_payload(), done=not reply.deferred)
    if reply.deferred:
        hand_off_event(current, recorded)
    return jsonify({"response_type": "in_channel" if reply.in_channel else "ephemeral", "text": reply.text})

