"""`kring doctor discourse`: what keeps Kring from working on this forum, one line per check, each
with its fix. The bot's key does most checks; an admin API key (``--token``) also reads the web
hook and the site settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from plugin.errors import PlatformError
from plugin.manifest import endpoint_url
from plugin.platforms.addresses import internal_addresses
from plugin.platforms.connector import Check
from plugin.platforms.discourse.client import DiscourseClient
from plugin.platforms.discourse.installer import EVENT_TYPE_IDS

#: The granular web hook events Kring subscribes to came with Discourse 3.1 (2023).
GRANULAR_EVENTS_SINCE = (3, 1)
#: `WebHook#last_delivery_status`.
DELIVERY_FAILED = 2
#: Site settings Kring depends on, and what each means for it.
SETTINGS = {
    "min_post_length": "Kring's shortest posts are a few words",
    "personal_message_enabled_groups": "who may send private messages (Kring's bot must)",
    "poll_create_allowed_groups": "who may create polls (Kring's bot must)",
}


def _version(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        numbers.append(int(digits or 0))
    return tuple(numbers)


class DiscourseDoctor:
    def __init__(self, bot: DiscourseClient, admin: DiscourseClient | None, public_url: str | None,
                 categories: Iterable[str], groups: Iterable[str]) -> None:
        self.bot = bot
        self.admin = admin
        self.public_url = public_url
        self.categories = sorted(set(categories))
        self.groups = sorted(set(groups))

    def checks(self) -> list[Check]:
        return [self._forum(), self._bot(), *(self._category(c) for c in self.categories),
                *(self._group(g) for g in self.groups), *self._admin_checks()]

    def _forum(self) -> Check:
        try:
            version = str(self.bot.about().get("about", {}).get("version", "?"))
        except PlatformError as exc:
            return Check.failed(f"the forum does not answer ({exc})", "check KRING_DISCOURSE_URL and the API key")
        if _version(version) < GRANULAR_EVENTS_SINCE:
            return Check.failed(f"Discourse {version} has no granular web hook events (they came with 3.1)",
                                "upgrade the forum; older ones send only the coarse `post` and `topic` events")
        return Check.passed(f"Discourse {version}")

    def _bot(self) -> Check:
        name = self.bot.api_username
        try:
            user = self.bot.user(name)["user"]
        except PlatformError as exc:
            return Check.failed(f"the bot user @{name} cannot be read ({exc})", "run `kring install discourse`")
        if user.get("moderator") or user.get("admin"):
            return Check.passed(f"the bot @{name} is {'an admin' if user.get('admin') else 'a moderator'}")
        level, fix = int(user.get("trust_level") or 0), "make it a moderator (`kring install discourse` does)"
        if level >= 1:  # may send private messages and create polls at the forum's defaults
            return Check.warned(f"the bot @{name} is trust level {level} and not staff: it is rate limited and its "
                                "posts can be held for approval", fix)
        return Check.failed(f"the bot @{name} is trust level 0 and not staff: it may not send private messages "
                            "nor create polls, and is rate limited", fix)

    def _category(self, category: str) -> Check:
        try:
            shown = self.bot.category(int(category))
        except PlatformError as exc:
            return Check.failed(f"the bot cannot see category {category} ({exc})",
                                "give a group the bot is in access to the category (its Security tab)")
        return Check.passed(f"the bot sees category {category} ({shown.get('category', {}).get('name', '?')})")

    def _group(self, group: str) -> Check:
        try:
            self.bot.group_members(group, 0, 1)
        except PlatformError as exc:
            if exc.status == 403:
                return Check.failed(f"the members of group {group} are hidden from the bot",
                                    "set the group's 'Who can see members' to include the bot (or staff)")
            return Check.failed(f"group {group} cannot be read ({exc})", "check the community's member group name")
        return Check.passed(f"the bot sees the members of group {group}")

    def _admin_checks(self) -> list[Check]:
        if self.admin is None:
            return [Check.warned("the web hook and the site settings were not checked",
                                 "pass --token with an admin API key")]
        return [*self._web_hooks(), *self._settings()]

    def _web_hooks(self) -> list[Check]:
        assert self.admin is not None
        url = endpoint_url(self.public_url, "discourse_webhook") if self.public_url else None
        found = [h for h in self.admin.web_hooks() if h.get("payload_url") == url]
        if not found:
            return [Check.failed(f"no web hook sends to {url}", "run `kring install discourse`")]
        hook = found[0]
        events = set(hook.get("web_hook_event_type_ids") or [])
        checks = [Check.passed(f"the web hook {hook.get('id')} sends to {url}")]
        if not set(EVENT_TYPE_IDS.values()) <= events:
            checks.append(Check.failed("the web hook misses events Kring needs", "run `kring install discourse`"))
        if hook.get("category_ids"):
            checks.append(Check.failed("the web hook has a category filter: it drops group events and private "
                                       "messages", "run `kring install discourse` (Kring keeps to its categories)"))
        if hook.get("last_delivery_status") == DELIVERY_FAILED:
            checks.append(Check.warned("the web hook's last delivery failed", "see its events in Admin → API → "
                                       "Webhooks; Discourse does not retry a delivery that could not connect"))
        return checks

    def _settings(self) -> list[Check]:
        assert self.admin is not None
        settings: dict[str, Any] = {s["setting"]: s.get("value") for s in self.admin.site_settings()}
        checks = [Check.passed(f"{name} = {settings.get(name)!r} ({meaning})") for name, meaning in SETTINGS.items()
                  if name in settings]
        host = urlsplit(self.public_url or "").hostname or ""
        if host and internal_addresses(host):
            allowed = str(settings.get("allowed_internal_hosts") or "").split("|")
            if host in allowed:
                checks.append(Check.passed(f"{host} is in allowed_internal_hosts"))
            else:
                checks.append(Check.failed(f"Discourse will not deliver to {host}: it is an internal address",
                                           "add it to the site setting allowed_internal_hosts"))
        return checks
