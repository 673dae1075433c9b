"""`kring doctor mattermost`: what keeps Kring from working on this Mattermost, one line per check,
each with its fix. The bot's token does most checks; a system admin's token (``--token``) also
reads the server's settings and the slash command."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from urllib.parse import urlsplit

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from plugin.errors import PlatformError
from plugin.manifest import endpoint_url, load_manifest
from plugin.platforms.addresses import internal_addresses
from plugin.platforms.connector import Check
from plugin.platforms.mattermost.client import MattermostClient
from plugin.platforms.mattermost.installer import SETTING_PLACES


class MattermostDoctor:
    def __init__(self, bot: MattermostClient, admin: MattermostClient | None, public_url: str | None,
                 teams: Iterable[str], channels: Iterable[str], ws_url: str) -> None:
        self.bot = bot
        self.admin = admin
        self.public_url = public_url
        self.teams = sorted(set(teams))
        self.channels = sorted(set(channels))
        self.ws_url = ws_url
        self.bot_id: str | None = None

    def checks(self) -> list[Check]:
        found = [self._server(), self._bot()]
        if self.bot_id is not None:
            found += [self._in_team(team) for team in self.teams]
            found += [self._in_channel(channel) for channel in self.channels]
        found += self._admin_checks()
        found.append(self._reachable())
        found.append(self._websocket())
        return found

    def _server(self) -> Check:
        try:
            version = self.bot.client_config().get("Version", "?")
        except PlatformError as exc:
            return Check.failed(f"Mattermost at {self.bot.base_url} does not answer ({exc})",
                                "check KRING_MATTERMOST_URL and that Kring's host can reach it")
        return Check.passed(f"Mattermost {version} at {self.bot.base_url}")

    def _bot(self) -> Check:
        try:
            me = self.bot.me()
        except PlatformError as exc:
            return Check.failed(f"the bot's token is refused ({exc})",
                                "run `kring install mattermost` for a new token (or set KRING_MATTERMOST_BOT_TOKEN)")
        if not me.get("is_bot"):
            return Check.failed(f"the token is @{me.get('username')}'s, not a bot's",
                                "run `kring install mattermost`: Kring works as its own bot account")
        if me.get("delete_at"):
            return Check.failed(f"the bot @{me.get('username')} is deactivated (bots are when their owner is, "
                                "DisableBotsWhenOwnerIsDeactivated)",
                                "enable it in System Console → Integrations → Bot Accounts")
        self.bot_id = str(me["id"])
        return Check.passed(f"the bot @{me.get('username')} is active")

    def _in_team(self, team: str) -> Check:
        assert self.bot_id is not None
        if self.bot.is_team_member(team, self.bot_id):
            return Check.passed(f"the bot is in team {team}")
        return Check.failed(f"the bot is not in team {team}", f"run `kring install mattermost --team {team}`")

    def _in_channel(self, channel: str) -> Check:
        assert self.bot_id is not None
        if self.bot.is_channel_member(channel, self.bot_id):
            return Check.passed(f"the bot is in channel {channel}")
        return Check.failed(f"the bot is not in channel {channel}, which is linked to a community",
                            "add @kring to the channel (a channel admin can, in the channel's member list)")

    def _admin_checks(self) -> list[Check]:
        if self.admin is None:
            return [Check.warned("the server's settings and the /cop command were not checked",
                                 "pass --token with a system admin's personal access token")]
        try:
            service = self.admin.config().get("ServiceSettings", {})
        except PlatformError as exc:
            return [Check.failed(f"the admin token cannot read the settings ({exc})",
                                 "use a system admin's personal access token")]
        found = [self._setting(service, "SiteURL", bool(service.get("SiteURL"))),
                 self._setting(service, "EnableCommands", bool(service.get("EnableCommands", True)))]
        if not service.get("EnableBotAccountCreation"):
            found.append(Check.warned("bot account creation is off: fine once the bot exists, needed to create it",
                                      f"System Console → {SETTING_PLACES['EnableBotAccountCreation']}"))
        found.append(Check.passed(
            f"user access tokens are {'on' if service.get('EnableUserAccessTokens') else 'off'} (bot tokens "
            f"do not need them); username override is {'on' if service.get('EnablePostUsernameOverride') else 'off'}"
            " (Kring's answers to commands show the member's name without it)"))
        found += [self._command(team) for team in self.teams]
        found += self._allowed_internal(str(service.get("AllowedUntrustedInternalConnections") or ""))
        return found

    @staticmethod
    def _setting(service: dict[str, object], name: str, fine: bool) -> Check:
        if fine:
            return Check.passed(f"ServiceSettings.{name} is set")
        return Check.failed(f"ServiceSettings.{name} is not set", f"System Console → {SETTING_PLACES[name]}")

    def _command(self, team: str) -> Check:
        assert self.admin is not None
        trigger = load_manifest()["command"]["trigger"]
        commands = [c for c in self.admin.team_commands(team) if c.get("trigger") == trigger and not c.get("delete_at")]
        if not commands:
            return Check.failed(f"team {team} has no /{trigger} command", "run `kring install mattermost`")
        wanted = endpoint_url(self.public_url, "mattermost_command") if self.public_url else None
        if commands[0].get("url") != wanted:
            return Check.failed(f"/{trigger} in team {team} calls {commands[0].get('url')}, not {wanted}",
                                "run `kring install mattermost` again with the current KRING_PUBLIC_URL")
        return Check.passed(f"/{trigger} in team {team} calls {wanted}")

    @cached_property
    def _internal_host(self) -> tuple[str, list[str]] | None:
        """Kring's public host and its internal addresses, when it has any (resolved once)."""
        host = urlsplit(self.public_url or "").hostname or ""
        internal = internal_addresses(host) if host else []
        return (host, internal) if internal else None

    def _allowed_internal(self, allowed: str) -> list[Check]:
        found = self._internal_host
        if found is None:
            return []
        host, _ = found
        if host in allowed.replace(",", " ").split():
            return [Check.passed(f"{host} is listed in AllowedUntrustedInternalConnections")]
        return [Check.failed(f"Mattermost will refuse to call {host}: it is an internal address",
                             "list it in System Console → Environment → Developer → Allow untrusted internal "
                             "connections to (ServiceSettings.AllowedUntrustedInternalConnections)")]

    def _reachable(self) -> Check:
        if not self.public_url:
            return Check.failed("KRING_PUBLIC_URL is not set: Mattermost does not know where to send commands",
                                "set KRING_PUBLIC_URL to the address Mattermost reaches Kring at")
        found = self._internal_host
        if found is None:
            return Check.passed(f"Kring is reached at {self.public_url}")
        host, addresses = found
        return Check.warned(f"{host} resolves to an internal address ({', '.join(addresses)})",
                            "Mattermost calls it only when AllowedUntrustedInternalConnections lists it; a "
                            "self-signed certificate also needs EnableInsecureOutgoingConnections")

    def _websocket(self) -> Check:
        try:
            with connect(self.ws_url, additional_headers={"Authorization": f"Bearer {self.bot.token}"},
                         open_timeout=5, close_timeout=1) as ws:
                hello = json.loads(ws.recv(timeout=5))
        except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
            return Check.failed(f"the WebSocket {self.ws_url} cannot be reached ({type(exc).__name__})",
                                "`kring listen mattermost` needs it: let the proxy pass WebSocket upgrades")
        if hello.get("event") != "hello":
            return Check.failed(f"the WebSocket {self.ws_url} did not greet the bot", "check the bot's token")
        return Check.passed(f"the WebSocket {self.ws_url} answers")
