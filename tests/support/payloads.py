"""Requests exactly as Mattermost and Discourse send them."""

from __future__ import annotations

import itertools
import json
from typing import Any

from plugin.platforms.discourse.connector import signature as discourse_signature

CHANNEL_ID = "channel0000000000000000001"
TEAM_ID = "team00000000000000000000001"
_triggers = itertools.count(1)


def slash_command(text: str, token: str, channel_id: str = CHANNEL_ID, user: str = "anna",
                  trigger_id: str | None = None) -> dict[str, str]:
    return {
        "channel_id": channel_id, "channel_name": "cop", "command": "/cop",
        "response_url": "http://127.0.0.1:9/hooks/commands/x", "team_domain": "cop", "team_id": TEAM_ID,
        "text": text, "token": token, "trigger_id": trigger_id or f"trigger-{next(_triggers)}",
        "user_id": f"user-{user}", "user_name": user,
    }


def discourse_delivery(event: str, body: dict[str, Any] | bytes, event_id: str, secret: str | None
                       ) -> tuple[bytes, dict[str, str]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json", "X-Discourse-Instance": "https://forum.example",
        "X-Discourse-Event-Id": event_id, "X-Discourse-Event": event,
        "X-Discourse-Event-Type": event.split("_", maxsplit=1)[0],
    }
    if secret is not None:
        headers["X-Discourse-Event-Signature"] = discourse_signature(secret, raw)
    return raw, headers


def discourse_post(raw: str, username: str = "chidi", category_id: int | None = 7, topic_id: int = 42,
                   post_id: int = 501, user_id: int = 17, version: int = 1, post_type: int = 1,
                   archetype: str = "regular", created_at: str = "2027-01-04T09:15:02.118Z") -> dict[str, Any]:
    """A `post_created`/`post_edited` body as `WebHookPostSerializer` builds it (the fields Kring may read,
    and some it does not): an edit raises ``version``; a private message has no category."""
    return {"post": {"id": post_id, "name": username.capitalize(), "username": username, "topic_id": topic_id,
                     "category_id": category_id, "raw": raw, "cooked": f"<p>{raw}</p>", "user_id": user_id,
                     "post_number": 2, "post_type": post_type, "version": version, "topic_archetype": archetype,
                     "created_at": created_at, "trust_level": 1, "staff": False, "hidden": False,
                     "deleted_at": None}}
