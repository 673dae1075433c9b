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
EVENT_TYPE_IDS = {"topic_created": 101, "topic_edited": 102, "post_created": 201, "post_edited": 202,
                  "user_added_to_group": 1401, "user_removed_from_group": 1402}
JSON_CONTENT_TYPE = 1


@dataclass(frozen=True)
class Installed:
    web_hook_id: int
    web_hook_created: bool
    secret: str
    bot_created: bool
    made_moderator: bool
    #: The key Kring posts with: one that acts as the bot only, never the admin's (None: kept the earlier one).
    bot_key: str | None


def _ensure_bot(client: DiscourseClient, username: str, public_url: str) -> tuple[dict[str, Any], bool]:
    """The bot user (created when missing), and whether it was created. `POST /users.json` answers a
    refusal (registrations closed, a required user field) with 200 and `success: false`."""
    try:
        return client.user(username)["user"], False
    except PlatformError as exc:
        if exc.status != 404:
            raise
    host = urlsplit(public_url).hostname or "kring.invalid"
    created = client.create_user(username, "Kring", f"{username}@{host}", secrets.token_urlsafe(24))
    if not created.get("success"):
        raise PlatformError(f"Discourse did not create the bot user @{username}: "
                            f"{created.get('message') or 'no reason given'}; nothing else was changed")
    return client.user(username)["user"], True


def _moderator(client: DiscourseClient, bot: dict[str, Any]) -> bool:
    """Make the bot a moderator, unless it is staff already; whether that was needed. A new user is
    trust level 0: it may not send private messages nor create polls, and may post only a few times on
    its first day; a moderator has none of these limits."""
    if bot.get("moderator") or bot.get("admin"):
        return False
    client.grant_moderation(int(bot["id"]))
    return True


def web_hook_body(public_url: str, secret: str) -> dict[str, Any]:
    events = load_manifest()["discourse_webhook_events"]
    # No category filter: Discourse drops every event without a category id under one, and group events
    # and private messages have none. Kring keeps to its installed categories itself.
    return {"payload_url": endpoint_url(public_url, "discourse_webhook"), "content_type": JSON_CONTENT_TYPE,
            "secret": secret, "wildcard_web_hook": False, "verify_certificate": True, "active": True,
            "web_hook_event_type_ids": [EVENT_TYPE_IDS[event] for event in events], "category_ids": [],
            "group_ids": []}


def install(client: DiscourseClient, bot_username: str, category_id: int, public_url: str,
            has_bot_key: bool = False) -> Installed:
    bot, bot_created = _ensure_bot(client, bot_username, public_url)
    made_moderator = _moderator(client, bot)
    bot_key = None if has_bot_key else client.create_api_key("Kring", bot_username)
    secret = secrets.token_urlsafe(32)
    body = web_hook_body(public_url, secret)
    existing = [hook for hook in client.web_hooks() if hook.get("payload_url") == body["payload_url"]]
    saved = client.save_web_hook(body, int(existing[0]["id"]) if existing else None)  # one serves every category
    return Installed(int(saved["id"]), not existing, secret, bot_created, made_moderator, bot_key)


def uninstall(client: DiscourseClient, web_hook_id: int) -> None:
    try:
        client.delete_web_hook(web_hook_id)
    except PlatformError as exc:
        if exc.status != 404:
            raise


def install_and_record(client: DiscourseClient, session: Session, sealer: Sealer, base_url: str, bot_username: str,
                       category_id: int, public_url: str, now: datetime) -> Installed:
    """Install for ``category_id`` and record it; one webhook serves every category, so every record
    takes the webhook's new secret, and the bot's own key (made by the first install) is kept."""
    recorded = installations.of_platform(session, "discourse")
    earlier = [sealer.open(other.bot_token) for other in recorded if other.bot_token]
    done = install(client, bot_username, category_id, public_url, has_bot_key=bool(earlier))
    bot_key = done.bot_key or earlier[0]
    for other in recorded:
        installations.save(session, sealer, "discourse", other.scope, other.base_url, other.installed_at,
                           webhook_secret=done.secret, bot_token=bot_key)
    installations.save(session, sealer, "discourse", str(category_id), base_url, now,
                       webhook_id=str(done.web_hook_id), webhook_secret=done.secret, bot_user_id=bot_username,
                       bot_token=bot_key)
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
