"""`kring install mattermost`: the bot account, its token and the `/cop` command, created or updated.

Running it again updates what exists instead of adding a second command or bot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.errors import KringError, PlatformError
from plugin.manifest import autocomplete_hint, endpoint_url, load_manifest
from plugin.platforms.mattermost.client import MattermostClient
from plugin.sealing import Sealer
from plugin.storage import installations

BOT_USERNAME = "kring"
MATTERMOST_ID = re.compile(r"^[a-z0-9]{26}$")


@dataclass(frozen=True)
class Installed:
    team_id: str
    command_id: str
    command_token: str
    command_created: bool
    bot_user_id: str
    bot_created: bool
    bot_token: str | None


def _team_id(client: MattermostClient, team: str) -> str:
    if MATTERMOST_ID.match(team):
        return team
    return str(client.team_by_name(team)["id"])


def _bot(client: MattermostClient) -> tuple[str, bool]:
    found = _existing_bot(client)
    if found is not None:
        if not found.get("is_bot"):
            raise PlatformError(f"a user @{BOT_USERNAME} exists and is not a bot; rename it, then install again")
        return str(found["id"]), False
    created = client.create_bot(BOT_USERNAME, "Kring", load_manifest()["description"]["en"])
    return str(created["user_id"]), True


def _command_body(team_id: str, public_url: str, language: str) -> dict[str, Any]:
    manifest = load_manifest()["command"]
    return {"team_id": team_id, "trigger": manifest["trigger"], "method": "P",
            "url": endpoint_url(public_url, "mattermost_command"), "auto_complete": True,
            "auto_complete_hint": autocomplete_hint(), "auto_complete_desc": manifest["auto_complete_desc"][language],
            "display_name": manifest["display_name"], "description": manifest["auto_complete_desc"][language],
            "username": BOT_USERNAME}


#: Where each server setting Kring needs is switched on, in the System Console.
SETTING_PLACES = {
    "SiteURL": "Environment → Web Server → Site URL",
    "EnableCommands": "Integrations → Integration Management → Enable Custom Slash Commands",
    "EnableBotAccountCreation": "Integrations → Bot Accounts → Enable Bot Account Creation",
}


def _existing_bot(client: MattermostClient) -> dict[str, Any] | None:
    try:
        return client.user_by_username(BOT_USERNAME)
    except PlatformError as exc:
        if exc.status != 404:
            raise
    return None


def blocking_settings(client: MattermostClient, bot_exists: bool) -> list[str]:
    """What the server's settings keep Kring from being installed, each with where to change it; read
    before anything is made, so that an install never stops half-way."""
    try:
        service = client.config().get("ServiceSettings", {})
    except PlatformError as exc:
        if exc.status == 403:
            return ["the token is not a system admin's: reading the server's settings needs one"]
        raise
    needed = {"SiteURL": bool(service.get("SiteURL")), "EnableCommands": service.get("EnableCommands", True),
              "EnableBotAccountCreation": bot_exists or service.get("EnableBotAccountCreation", False)}
    return [f"switch on System Console → {SETTING_PLACES[name]} (ServiceSettings.{name})"
            for name, fine in needed.items() if not fine]


def install(client: MattermostClient, team: str, public_url: str, language: str, need_bot_token: bool
            ) -> Installed:
    client.me()  # fails clearly (401) on a wrong or expired token
    team_id = _team_id(client, team)
    problems = blocking_settings(client, bot_exists=_existing_bot(client) is not None)
    if problems:
        raise KringError("Mattermost's settings keep Kring from being installed; nothing was changed. Please "
                         + "; ".join(problems) + ", then run `kring install mattermost` again.")
    bot_user_id, bot_created = _bot(client)
    client.add_team_member(team_id, bot_user_id)  # before a channel can have the bot
    bot_token = None
    if need_bot_token or bot_created:
        bot_token = client.create_user_token(bot_user_id, "Kring")
    body = _command_body(team_id, public_url, language)
    existing = [c for c in client.team_commands(team_id)
                if c.get("trigger") == body["trigger"] and not c.get("delete_at")]
    if existing:
        command = client.update_command(existing[0]["id"], {**existing[0], **body})
    else:
        command = client.create_command(body)
    return Installed(team_id, str(command["id"]), str(command["token"]), not existing, bot_user_id, bot_created,
                     bot_token)


@dataclass(frozen=True)
class Hooked:
    channel_id: str
    hook_id: str
    token: str
    created: bool


def watch_channel(client: MattermostClient, team_id: str, channel_id: str, public_url: str) -> Hooked:
    """An outgoing webhook that sends every post of a public channel to Kring (created or updated)."""
    url = endpoint_url(public_url, "mattermost_outgoing")
    body = {"team_id": team_id, "channel_id": channel_id, "display_name": "Kring",
            "description": "Replies in Kring's threads become answers", "callback_urls": [url],
            "content_type": "application/json", "trigger_words": [], "trigger_when": 0}
    existing = [h for h in client.outgoing_hooks(team_id, channel_id) if url in h.get("callback_urls", [])]
    hook = (client.update_outgoing_hook(existing[0]["id"], {**existing[0], **body}) if existing
            else client.create_outgoing_hook(body))
    return Hooked(channel_id, str(hook["id"]), str(hook["token"]), not existing)


def _forgiving_404(action: Callable[[], None]) -> None:
    try:
        action()
    except PlatformError as exc:
        if exc.status != 404:
            raise


def uninstall(client: MattermostClient, command_id: str) -> None:
    _forgiving_404(lambda: client.delete_command(command_id))


def unwatch_channel(client: MattermostClient, hook_id: str) -> None:
    _forgiving_404(lambda: client.delete_outgoing_hook(hook_id))


def install_and_record(client: MattermostClient, session: Session, sealer: Sealer, team: str, public_url: str,
                       language: str, channels: tuple[str, ...], have_bot_token: bool, now: datetime
                       ) -> tuple[Installed, list[Hooked]]:
    """Install on ``team`` (and watch ``channels``) and record what the server gave Kring.

    A new bot token is asked for only when none is stored or configured. The team's record holds the
    command and the bot's credentials; each watched channel has a record of its hook.
    """
    base_url = client.base_url
    known = [i for i in installations.opened(session, "mattermost", sealer) if i.bot_token]
    done = install(client, team, public_url, language, need_bot_token=not known and not have_bot_token)
    hooks = [watch_channel(client, done.team_id, channel, public_url) for channel in channels]
    for channel in channels:
        client.add_channel_member(channel, done.bot_user_id)
    for hook in hooks:
        installations.save(session, sealer, "mattermost", f"channel:{hook.channel_id}", base_url, now,
                           webhook_id=hook.hook_id, webhook_secret=hook.token)
    values = {"command_id": done.command_id, "command_token": done.command_token, "bot_user_id": done.bot_user_id}
    if done.bot_token:
        values["bot_token"] = done.bot_token
    installations.save(session, sealer, "mattermost", done.team_id, base_url, now, **values)
    return done, hooks


def uninstall_all(session: Session, client_for: Callable[[str], MattermostClient], team_id: str | None = None
                  ) -> list[str]:
    """Remove the command and hooks of every installation (of ``team_id``) and their records; what was done."""
    done = []
    for installation in installations.of_platform(session, "mattermost"):
        if team_id is not None and installation.scope != team_id:
            continue
        client = client_for(installation.base_url)
        if installation.command_id:
            uninstall(client, installation.command_id)
            done.append(f"Removed the /cop command from team {installation.scope} on {installation.base_url}.")
        if installation.webhook_id:
            unwatch_channel(client, installation.webhook_id)
            done.append(f"Removed the outgoing webhook of {installation.scope}.")
        session.delete(installation)
    return done
