"""Discourse endpoint: `POST /discourse/webhook`, signed with HMAC-SHA256 and deduplicated by event id."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from plugin.commands.base import Invocation
from plugin.platforms.discourse.adapter import DiscourseAdapter
from plugin.platforms.events import PostCreated
from plugin.queue.intake import hand_off_event, record
from plugin.runtime import Runtime
from plugin.storage import installations
from plugin.storage.states import Platform
from webhooks.context import runtime
from webhooks.errors import Unauthorised
from webhooks.intake import json_body
from webhooks.schemas import DiscourseHeadersSchema, DiscoursePostSchema, load
from webhooks.verify import discourse_signature_valid

blueprint = Blueprint("discourse", __name__, url_prefix="/discourse")
_headers_schema = DiscourseHeadersSchema()
_post_schema = DiscoursePostSchema()

#: Events Kring records and works on; every other event is acknowledged and ignored.
HANDLED_EVENTS = frozenset({"ping", "post_created", "post_edited", "topic_created",
                            "user_added_to_group", "user_removed_from_group"})
COMMAND_PREFIX = "/cop"


def _command_text(first_line: str, bot_username: str | None) -> str | None:
    """The command in a post's first line: `/cop …`, or `@kring …` (a mention of Kring's bot user)."""
    prefixes = [COMMAND_PREFIX] + ([f"@{bot_username}"] if bot_username else [])
    for prefix in prefixes:
        if first_line.lower() == prefix.lower() or first_line.lower().startswith(prefix.lower() + " "):
            return first_line[len(prefix):].strip()
    return None


def _command_in(post: dict[str, Any], bot_username: str | None) -> Invocation | None:
    """A command written as the first line of a member's post, as an invocation; else None. The lines
    below the first are kept apart: commands that take free text (an answer, a log entry) read on."""
    if bot_username and post["username"].lower() == bot_username.lower():
        return None  # Kring's own posts never trigger Kring.
    lines = post["raw"].strip().splitlines()
    command = _command_text(lines[0].strip() if lines else "", bot_username)
    if command is None or post["category_id"] is None:
        return None
    return Invocation(
        platform=Platform.DISCOURSE, group_id=str(post["category_id"]), user_id=str(post["user_id"]),
        user_name=post["username"], text=command, more="\n".join(lines[1:]).strip(), delivery_id="",
        thread_id=str(post["topic_id"]),
        answer_by_post=True,
    )


def _verified_body(current: Runtime) -> bytes:
    with current.database.session() as session:
        known = [current.config.discourse_webhook_secret or "",
                 *installations.webhook_secrets(session, Platform.DISCOURSE, current.sealer)]
    secrets = [secret for secret in known if secret]
    if not secrets:
        raise Unauthorised("Kring has no Discourse webhook secret configured: set KRING_DISCOURSE_WEBHOOK_SECRET "
                           "to the secret of the webhook, or run `kring install discourse`.")
    body = request.get_data(cache=True)
    header = request.headers.get("X-Discourse-Event-Signature")
    valid = [discourse_signature_valid(secret, body, header) for secret in secrets]  # every one, constant time
    if not any(valid):
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
    if event in ("post_created", "post_edited") and isinstance(body.get("post"), dict):
        adapter = current.platforms.get(Platform.DISCOURSE)
        bot = adapter.client.api_username if isinstance(adapter, DiscourseAdapter) else None
        post = load(_post_schema, body["post"], "post")
        # Commands run when written; an edited reply replaces the answer it gave.
        invocation = _command_in(post, bot) if event == "post_created" else None
        if invocation is not None:
            kind = "command"
            payload = {**invocation.to_payload(), "delivery_id": headers["event_id"]}
        elif post["category_id"] is not None:
            kind = PostCreated.KIND
            payload = PostCreated(
                platform=Platform.DISCOURSE, group_id=str(post["category_id"]), post_id=str(post["id"]),
                user_id=str(post["user_id"]), user_name=post["username"], text=post["raw"],
                thread_id=str(post["topic_id"]),
                from_kring=bool(bot) and post["username"].lower() == str(bot).lower()).to_payload()
    done = event == "ping"
    with current.database.session() as session:
        recorded = record(session, current, platform=Platform.DISCOURSE, delivery_id=headers["event_id"],
                          kind=kind, payload=payload, done=done)
    if not done:
        hand_off_event(current, recorded)
    status = "recorded" if recorded.created else "duplicate"
    return jsonify({"status": status, "event": event})
