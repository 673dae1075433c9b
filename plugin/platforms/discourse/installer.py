"""`kring install discourse`: the bot user and a signed webhook for the CoP's category.

Running it again updates the webhook (with a new secret) instead of adding a second one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from plugin.errors import PlatformError
from plugin.manifest import endpoint_url, load_manifest
from plugin.platforms.discourse.client import DiscourseClient

#: Discourse's web hook event type ids for the events Kring handles (WebHookEventType::TYPES).
EVENT_TYPE_IDS = {"topic_created": 101, "post_created": 201, "post_edited": 202, "user_added_to_group": 1401,
                  "user_removed_from_group": 1402}
JSON_CONTENT_TYPE = 1


@dataclass(frozen=True)
class Installed:
    web_hook_id: int
    web_hook_created: bool
    secret: str
    bot_created: bool


def _ensure_bot(client: DiscourseClient, username: str, public_url: str) -> bool:
    try:
        client.user(username)
    except PlatformError as exc:
        if exc.status != 404:
            raise
    else:
        return False
    host = urlsplit(public_url).hostname or "kring.invalid"
    client.create_user(username, "Kring", f"{username}@{host}", secrets.token_urlsafe(24))
    return True


def web_hook_body(public_url: str, category_id: int, secret: str) -> dict[str, Any]:
    events = load_manifest()["discourse_webhook_events"]
    return {"payload_url": endpoint_url(public_url, "discourse_webhook"), "content_type": JSON_CONTENT_TYPE,
            "secret": secret, "wildcard_web_hook": False, "verify_certificate": True, "active": True,
            "web_hook_event_type_ids": [EVENT_TYPE_IDS[event] for event in events], "category_ids": [category_id],
            "group_ids": []}


def install(client: DiscourseClient, bot_username: str, category_id: int, public_url: str) -> Installed:
    bot_created = _ensure_bot(client, bot_username, public_url)
    secret = secrets.token_urlsafe(32)
    body = web_hook_body(public_url, category_id, secret)
    existing = [hook for hook in client.web_hooks() if hook.get("payload_url") == body["payload_url"]]
    if existing:  # one webhook serves every installed category
        categories = {int(c["id"]) if isinstance(c, dict) else int(c) for c in existing[0].get("categories", [])}
        body["category_ids"] = sorted(categories | {category_id})
    saved = client.save_web_hook(body, int(existing[0]["id"]) if existing else None)
    return Installed(int(saved["id"]), not existing, secret, bot_created)


def uninstall(client: DiscourseClient, web_hook_id: int) -> None:
    try:
        client.delete_web_hook(web_hook_id)
    except PlatformError as exc:
        if exc.status != 404:
            raise
