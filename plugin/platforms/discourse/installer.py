"""`kring install discourse`: the bot user and a signed webhook for the CoP's category.

Running it again updates the webhook (with a new secret) instead of adding a second one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from plugin.errors import PlatformError
from plugin.manifest import endpoint_url, load_manifest
from plugin.platforms.discourse.client import DiscourseClient
from plugin.sealing import Sealer
from plugin.storage import installations

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


def install_and_record(client: DiscourseClient, session: Session, sealer: Sealer, base_url: str, bot_username: str,
                       api_key: str, category_id: int, public_url: str, now: datetime) -> Installed:
    """Install for ``category_id`` and record it; one webhook serves every category, so every record
    takes the webhook's new secret."""
    done = install(client, bot_username, category_id, public_url)
    for other in installations.of_platform(session, "discourse"):
        installations.save(session, sealer, "discourse", other.scope, other.base_url, other.installed_at,
                           webhook_secret=done.secret)
    installations.save(session, sealer, "discourse", str(category_id), base_url, now,
                       webhook_id=str(done.web_hook_id), webhook_secret=done.secret, bot_user_id=bot_username,
                       bot_token=api_key)
    return done


def uninstall_all(session: Session, client_for: Callable[[str], DiscourseClient]) -> list[tuple[str, str]] | None:
    """Remove every webhook Kring installed and the installation records; (webhook id, forum) of each
    webhook removed, or None when Kring is not installed."""
    found = installations.of_platform(session, "discourse")
    if not found:
        return None
    removed = sorted({(i.webhook_id, i.base_url) for i in found if i.webhook_id})
    for web_hook_id, base_url in removed:
        uninstall(client_for(base_url), int(web_hook_id))
    for installation in found:
        session.delete(installation)
    return removed
