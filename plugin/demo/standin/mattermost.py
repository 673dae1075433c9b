"""The stand-in's Mattermost routes (REST API v4), answering as the server does."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from plugin.demo.standin.server import ADMIN_USER_ID, BOT_USER_ID, Answered, RecordedRequest, StandInServer, json_body


class MattermostRoutes(StandInServer):
    def routes(self) -> list[tuple[str, str, Callable[..., Answered]]]:
        return [*super().routes(), *(
            ("POST", "/api/v4/posts", self._mm_post),
            ("POST", "/api/v4/files", self._mm_upload),
            ("GET", "/api/v4/users/me", self._mm_me),
            ("POST", "/api/v4/channels/direct", self._mm_direct),
            ("GET", "/api/v4/users/username/([^/]+)", self._mm_user_by_name),
            ("GET", "/api/v4/teams/name/([^/]+)", self._mm_team_by_name),
            ("GET", "/api/v4/teams/name/([^/]+)/channels/name/([^/]+)", self._mm_channel_by_name),
            ("POST", "/api/v4/bots", self._mm_create_bot),
            ("GET", "/api/v4/config", self._mm_config),
            ("GET", "/api/v4/config/client", self._mm_client_config),
            ("GET", "/api/v4/teams/([^/]+)/members/([^/]+)", self._mm_team_member),
            ("GET", "/api/v4/channels/([^/]+)/members/([^/]+)", self._mm_channel_member),
            ("POST", "/api/v4/teams/([^/]+)/members", self._mm_add_team_member),
            ("POST", "/api/v4/channels/([^/]+)/members", self._mm_add_channel_member),
            ("POST", "/api/v4/users/([^/]+)/tokens", self._mm_create_token),
            ("GET", "/api/v4/commands", self._mm_list_commands),
            ("POST", "/api/v4/commands", self._mm_create_command),
            ("PUT", "/api/v4/commands/([^/]+)", self._mm_update_command),
            ("DELETE", "/api/v4/commands/([^/]+)", self._mm_delete_command),
            ("POST", "/api/v4/actions/dialogs/open", self._mm_open_dialog),
            ("GET", "/api/v4/channels/([^/]+)/members", self._mm_channel_members),
            ("GET", "/api/v4/channels/([^/]+)/posts", self._mm_channel_posts),
            ("GET", "/api/v4/posts/([^/]+)", self._mm_get_post),
            ("PUT", "/api/v4/posts/([^/]+)/patch", self._mm_patch_post),
            ("GET", "/api/v4/hooks/outgoing", self._mm_outgoing_hooks),
            ("POST", "/api/v4/hooks/outgoing", self._mm_create_outgoing_hook),
            ("PUT", "/api/v4/hooks/outgoing/([^/]+)", self._mm_update_outgoing_hook),
            ("DELETE", "/api/v4/hooks/outgoing/([^/]+)", self._mm_delete_outgoing_hook),
            ("POST", "/api/v4/users/ids", self._mm_users_by_ids),
        )]

    def _mm_post(self, request: RecordedRequest) -> tuple[int, Any]:
        """As `CreatePost`: a repeat with a pending post id seen in the last
        :attr:`pending_post_seconds` answers the first post instead of making another."""
        body = json_body(request)
        pending = str(body.get("pending_post_id") or "")
        seen = self.pending_posts.get(pending)
        if seen is not None and time.monotonic() - seen[1] < self.pending_post_seconds:
            self.made_nothing.add(id(request))
            return 201, self.kring_posts[seen[0]]
        post_id = f"post{next(self._ids):022d}"
        if pending:
            self.pending_posts[pending] = (post_id, time.monotonic())
        self.kring_posts[post_id] = {
            "id": post_id, "create_at": 0, "update_at": 0, "delete_at": 0, "user_id": BOT_USER_ID,
            "channel_id": body.get("channel_id", ""), "root_id": body.get("root_id", ""),
            "message": body.get("message", ""), "type": "", "props": body.get("props", {})}
        return 201, self.kring_posts[post_id]

    def _mm_upload(self, request: RecordedRequest) -> tuple[int, Any]:
        self.uploads.append(request.body)
        return 201, {"file_infos": [{"id": f"file{next(self._ids):022d}", "name": "upload"}], "client_ids": []}

    def _mm_me(self, request: RecordedRequest) -> tuple[int, Any]:
        if "bot" in request.headers.get("Authorization", ""):  # bot tokens are named so in tests and demo
            # A bot whose owner was deactivated is disabled too (DisableBotsWhenOwnerIsDeactivated).
            return 200, {"id": BOT_USER_ID, "username": "kring", "is_bot": True,
                         "delete_at": 1_700_000_000_000 if self.bot_deactivated else 0}
        return 200, {"id": ADMIN_USER_ID, "username": "admin", "roles": "system_admin system_user"}

    def direct_channel_with(self, user_id: str) -> str:
        """The id of the bot's direct channel with ``user_id`` (made when Kring first wrote there)."""
        return next(channel for channel, users in self.direct_channels.items() if user_id in users)

    def _mm_direct(self, request: RecordedRequest) -> tuple[int, Any]:
        """As the server: a direct channel has an id like any channel, and a name of the two user ids."""
        body = json_body(request)
        members = tuple(sorted(str(m) for m in (body if isinstance(body, list) else [])))
        channel_id = hashlib.sha256("/".join(members).encode()).hexdigest()[:26]
        self.direct_channels[channel_id] = members
        return 201, {"id": channel_id, "type": "D", "name": "__".join(members), "team_id": ""}

    def _mm_user_by_name(self, request: RecordedRequest, username: str) -> tuple[int, Any]:
        if username in self.mm_users:
            return 200, {"id": self.mm_users[username], "username": username}
        bot = self.bots.get(username)
        if bot is None:
            return 404, {"message": "user not found", "status_code": 404}
        return 200, {"id": bot["user_id"], "username": username, "is_bot": True}

    def _mm_team_by_name(self, request: RecordedRequest, name: str) -> tuple[int, Any]:
        return 200, {"id": f"team{name[:22]:0>22}"[:26], "name": name, "display_name": name}

    def _mm_channel_by_name(self, request: RecordedRequest, team: str, name: str) -> tuple[int, Any]:
        channel_id = self.mm_channels.get(f"{team}/{name}")
        if channel_id is None:
            return 404, {"message": "channel not found", "status_code": 404}
        return 200, {"id": channel_id, "team_id": self._mm_team_by_name(request, team)[1]["id"], "name": name}

    def _is_admin(self, request: RecordedRequest) -> bool:
        return "bot" not in request.headers.get("Authorization", "")

    def _mm_config(self, request: RecordedRequest) -> tuple[int, Any]:
        if not self._is_admin(request):
            return 403, {"id": "api.context.permissions.app_error", "message": "You do not have the appropriate "
                         "permissions.", "status_code": 403}
        return 200, self.mm_config

    def _mm_client_config(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, {"Version": self.mm_version, "SiteURL": self.mm_config["ServiceSettings"]["SiteURL"]}

    def _mm_team_member(self, request: RecordedRequest, team_id: str, user_id: str) -> tuple[int, Any]:
        if user_id not in self.team_members.get(team_id, set()):
            return 404, {"id": "app.team.get_member.missing.app_error", "message": "No team member found",
                         "status_code": 404}
        return 200, {"team_id": team_id, "user_id": user_id, "roles": "team_user"}

    def _mm_channel_member(self, request: RecordedRequest, channel_id: str, user_id: str) -> tuple[int, Any]:
        members = {user["id"] for user, _ in self.channels.get(channel_id, [])} | self.channel_additions.get(
            channel_id, set())
        if user_id not in members:
            return 404, {"id": "app.channel.get_member.missing.app_error", "message": "No channel member found",
                         "status_code": 404}
        return 200, {"channel_id": channel_id, "user_id": user_id, "roles": "channel_user"}

    def _mm_add_team_member(self, request: RecordedRequest, team_id: str) -> tuple[int, Any]:
        user_id = str(json_body(request).get("user_id", ""))
        self.team_members.setdefault(team_id, set()).add(user_id)
        return 201, {"team_id": team_id, "user_id": user_id, "roles": "team_user"}

    def _mm_add_channel_member(self, request: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        """A user must be in the channel's team first (`AddChannelMember`)."""
        user_id = str(json_body(request).get("user_id", ""))
        teams = {self._mm_team_by_name(request, key.split("/", 1)[0])[1]["id"]
                 for key, channel in self.mm_channels.items() if channel == channel_id}
        if not any(user_id in self.team_members.get(team, set()) for team in teams or self.team_members):
            return 403, {"id": "api.channel.add_user.to.channel.failed.deleted.app_error",
                         "message": "Failed to add user to channel because they are not a member of its team.",
                         "status_code": 403}
        self.channel_additions.setdefault(channel_id, set()).add(user_id)
        return 201, {"channel_id": channel_id, "user_id": user_id, "roles": "channel_user"}

    def _mm_create_bot(self, request: RecordedRequest) -> tuple[int, Any]:
        if not self.mm_config["ServiceSettings"]["EnableBotAccountCreation"]:
            return 403, {"id": "api.bot.create_disabled", "message": "Bot creation has been disabled.",
                         "status_code": 403}
        body = json_body(request)
        bot = {"user_id": BOT_USER_ID, "username": body["username"], "display_name": body.get("display_name", "")}
        self.bots[body["username"]] = bot
        return 201, bot

    def _mm_create_token(self, request: RecordedRequest, user_id: str) -> tuple[int, Any]:
        return 201, {"id": f"tok{next(self._ids)}", "user_id": user_id, "token": f"bot-token-{next(self._ids)}"}

    def _mm_list_commands(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, list(self.commands.values())

    def _mm_create_command(self, request: RecordedRequest) -> tuple[int, Any]:
        body = json_body(request)
        command_id = f"cmd{next(self._ids):023d}"
        command = {**body, "id": command_id, "token": f"command-token-{next(self._ids)}"}
        self.commands[command_id] = command
        return 201, command

    def _mm_update_command(self, request: RecordedRequest, command_id: str) -> tuple[int, Any]:
        body = json_body(request)
        if command_id not in self.commands:
            return 404, {"message": "command not found"}
        self.commands[command_id] = {**self.commands[command_id], **body, "id": command_id,
                                     "token": self.commands[command_id]["token"]}
        return 200, self.commands[command_id]

    def _mm_delete_command(self, request: RecordedRequest, command_id: str) -> tuple[int, Any]:
        if self.commands.pop(command_id, None) is None:
            return 404, {"message": "command not found"}
        return 200, {"status": "OK"}

    def _mm_open_dialog(self, request: RecordedRequest) -> tuple[int, Any]:
        body = json_body(request)
        self.dialogs.append(body)
        return 200, {"status": "OK"}

    def _mm_channel_members(self, request: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        page, per_page = int(request.query.get("page", 0)), int(request.query.get("per_page", 60))
        members = [{"channel_id": channel_id, "user_id": user["id"], "roles": roles}
                   for user, roles in self.channels.get(channel_id, [])]
        return 200, members[page * per_page:(page + 1) * per_page]

    def _mm_channel_posts(self, request: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        """As the server: with ``since``, posts changed after it (edited and deleted ones too), at most
        ``posts_since_limit`` of them, in no order; else a page of the newest posts, newest first."""
        if "since" not in request.query:
            newest = [p for p in [*self.member_posts.values(), *self.kring_posts.values()]
                      if p["channel_id"] == channel_id][::-1][:int(request.query.get("per_page", 60))]
            return 200, {"order": [p["id"] for p in newest], "posts": {p["id"]: p for p in newest}}
        since = int(request.query.get("since", 0))
        changed = sorted((p for p in self.member_posts.values() if p["channel_id"] == channel_id
                          and int(p.get("update_at") or p["create_at"]) > since),
                         key=lambda p: int(p.get("update_at") or p["create_at"]))[:self.posts_since_limit]
        posts = {p["id"]: p for p in reversed(changed)}
        return 200, {"order": list(posts), "posts": posts}

    def _mm_get_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        post = self.member_posts.get(post_id) or self.kring_posts.get(post_id)
        return (200, post) if post else (404, {"message": "post not found", "status_code": 404})

    def _mm_patch_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        if post_id not in self.kring_posts:
            return 403, {"message": "only the author may edit a post", "status_code": 403}
        if self.post_edit_time_limit >= 0:
            return 400, {"id": "api.post.update_post.permissions_time_limit.app_error", "status_code": 400,
                         "message": f"Post edit is only allowed for {self.post_edit_time_limit} seconds."}
        self.kring_posts[post_id] = {**self.kring_posts[post_id], **json_body(request)}
        return 200, self.kring_posts[post_id]

    def _mm_outgoing_hooks(self, request: RecordedRequest) -> tuple[int, Any]:
        channel = request.query.get("channel_id")
        return 200, [h for h in self.outgoing_hooks.values() if channel in (None, h["channel_id"])]

    def _mm_create_outgoing_hook(self, request: RecordedRequest) -> tuple[int, Any]:
        hook_id = f"hook{next(self._ids):022d}"
        self.outgoing_hooks[hook_id] = {**json_body(request), "id": hook_id, "token": f"outgoing-{next(self._ids)}"}
        return 201, self.outgoing_hooks[hook_id]

    def _mm_update_outgoing_hook(self, request: RecordedRequest, hook_id: str) -> tuple[int, Any]:
        if hook_id not in self.outgoing_hooks:
            return 404, {"message": "not found"}
        self.outgoing_hooks[hook_id] = {**self.outgoing_hooks[hook_id], **json_body(request), "id": hook_id,
                                        "token": self.outgoing_hooks[hook_id]["token"]}
        return 200, self.outgoing_hooks[hook_id]

    def _mm_delete_outgoing_hook(self, request: RecordedRequest, hook_id: str) -> tuple[int, Any]:
        return (200, {"status": "OK"}) if self.outgoing_hooks.pop(hook_id, None) else (404, {"message": "no"})

    def _mm_users_by_ids(self, request: RecordedRequest) -> tuple[int, Any]:
        wanted = set(json_body(request))
        return 200, [user for members in self.channels.values() for user, _ in members if user["id"] in wanted]
