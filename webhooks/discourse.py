"""Discourse endpoint: `POST /discourse/webhook`, signed with HMAC-SHA256 and deduplicated by event id."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from plugin.commands.base import Invocation
from plugin.runtime import Runtime
from plugin.storage.states import Platform
from webhooks.context import runtime
from webhooks.errors import Unauthorised
from webhooks.intake import hand_off_event, json_body, record
from webhooks.schemas import DiscourseHeadersSchema, DiscoursePostSchema, load
from webhooks.verify import discourse_signature_valid

blueprint = Blueprint("discourse", __name__, url_prefix="/discourse")
_headers_schema = DiscourseHeadersSchema()
_post_schema = DiscoursePostSchema()

#: Events Kring records and works on; every other event is acknowledged and ignored.
HANDLED_EVENTS = frozenset({"ping", "post_created", "post_edited", "topic_created",
                            "user_added_to_group", "user_removed_from_group"})
COMMAND_PREFIX = "/cop"


def _command_in(post: dict[str, Any], bot_username: str | None) -> Invocation | None:
    """A `/cop …` written as the first line of a member's post, as an invocation; else None."""
    lines = post["raw"].strip().splitlines()
    first = lines[0].strip() if lines else ""
    if bot_username and post["username"].lower() == bot_username.lower():
        return None  # Kring's own posts never trigger Kring.
    if not (first == COMMAND_PREFIX or first.startswith(COMMAND_PREFIX + " ")):
        return None
    if post["category_id"] is None:
        return None
    return Invocation(
        platform=Platform.DISCOURSE, group_id=str(post["category_id"]), user_id=str(post["user_id"]),
        user_name=post["username"], text=first[len(COMMAND_PREFIX):].strip(), delivery_id="",
        thread_id=str(post["topic_id"]), answer_by_post=True,
    )


def _verified_body(current: Runtime) -> bytes:
    secret = current.config.discourse_webhook_secret
    if not secret:
        raise Unauthorised("Kring has no Discourse webhook secret configured: set KRING_DISCOURSE_WEBHOOK_SECRET "
                           "to the secret of the webhook, or run `kring install discourse`.")
    body = request.get_data(cache=True)
    if not discourse_signature_valid(secret, body, request.headers.get("X-Discourse-Event-Signature")):
        raise Unauthorised("Missing or wrong X-Discourse-Event-Signature (HMAC-SHA256 of the body).")
    return body


@blueprint.post("/webhook")
def webhook() -> Response:
    current = runtime()
    _verified_body(current)
    headers = load(_headers_schema, dict(request.headers), "Discourse webhook headers")
    body = json_body()
    event = headers["event"]
    if event not in HANDLED_EVENTS:
        return jsonify({"status": "ignored", "event": event})
    kind, payload = event, {"event": event, "instance": headers["instance"], "body": body}
    if event == "post_created" and isinstance(body.get("post"), dict):
        invocation = _command_in(load(_post_schema, body["post"], "post"), current.config.discourse_api_username)
        if invocation is not None:
            kind = "command"
            payload = {**invocation.to_payload(), "delivery_id": headers["event_id"]}
    done = event == "ping"
    with current.database.session() as session:
        recorded = record(session, current, platform=Platform.DISCOURSE, delivery_id=headers["event_id"],
                          kind=kind, payload=payload, done=done)
    if not done:
        hand_off_event(current, recorded)
    status = "recorded" if recorded.created else "duplicate"
    return jsonify({"status": status, "event": event})
