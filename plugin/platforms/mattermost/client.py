"""Mattermost REST API v4 calls Kring makes, as the bot account."""

from __future__ import annotations

from typing import Any

from plugin.errors import PlatformError
from plugin.platforms.http import JsonHttpClient


class MattermostClient:
    def __init__(self, base_url: str, bot_token: str, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.token = bot_token
        self.http = JsonHttpClient(base_url + "/api/v4", {"Authorization": f"Bearer {bot_token}"},
                                   timeout=timeout)

    def create_post(self, channel_id: str, message: str, root_id: str | None = None,
                    props: dict[str, Any] | None = None, file_ids: list[str] | None = None,
                    pending_post_id: str | None = None) -> dict[str, Any]:
        """A post; with ``pending_post_id`` the server answers a repeat within about 30 s with the post it
        made the first time, so the request is safe to repeat after a timeout."""
        body: dict[str, Any] = {"channel_id": channel_id, "message": message}
        if pending_post_id:
            body["pending_post_id"] = pending_post_id
        if root_id:
            body["root_id"] = root_id
        if props:
            body["props"] = props
        if file_ids:
            body["file_ids"] = file_ids
        result: dict[str, Any] = self.http.request("POST", "/posts", json=body, idempotent=bool(pending_post_id))
        return result

    def patch_post(self, post_id: str, message: str, props: dict[str, Any]) -> dict[str, Any]:
        """Change a post's text and props (the props replace the old ones as a whole)."""
        result: dict[str, Any] = self.http.request("PUT", f"/posts/{post_id}/patch",
                                                   json={"message": message, "props": props})
        return result

    def upload_file(self, channel_id: str, name: str, content: bytes, content_type: str) -> str:
        """Upload a file into a channel; its id goes into a post's ``file_ids``."""
        result = self.http.request("POST", "/files", data={"channel_id": channel_id},
                                   files={"files": (name, content, content_type)})
        return str(result["file_infos"][0]["id"])

    def open_dialog(self, trigger_id: str, url: str, dialog: dict[str, Any]) -> None:
        self.http.request("POST", "/actions/dialogs/open", json={"trigger_id": trigger_id, "url": url,
                                                                 "dialog": dialog})

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.http.request("GET", path, params=params)

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self._get("/users/me")
        return result

    def team_by_name(self, name: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get(f"/teams/name/{name}")
        return result

    def user_by_username(self, username: str) -> dict[str, Any]:
        """User names are lower case on Mattermost: `@Anna` is `anna`."""
        result: dict[str, Any] = self._get(f"/users/username/{username.lstrip('@').lower()}")
        return result

    def channel_by_name(self, team_name: str, channel_name: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get(f"/teams/name/{team_name}/channels/name/{channel_name}")
        return result

    def channel_members(self, channel_id: str, per_page: int = 200) -> list[dict[str, Any]]:
        members: list[dict[str, Any]] = []
        for page in range(1000):
            batch = self._get(f"/channels/{channel_id}/members", {"page": page, "per_page": per_page})
            members += batch
            if len(batch) < per_page:
                break
        return members

    def post_by_id(self, post_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get(f"/posts/{post_id}")
        return result

    def posts_since(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        """Posts created, edited or deleted in the channel since ``since_ms`` (milliseconds): at most a page,
        in no particular order."""
        answer = self._get(f"/channels/{channel_id}/posts", {"since": since_ms})
        posts: dict[str, dict[str, Any]] = answer.get("posts", {})
        return list(posts.values())

    def latest_posts(self, channel_id: str, count: int) -> list[dict[str, Any]]:
        """The channel's newest posts (thread replies included), newest first."""
        answer = self._get(f"/channels/{channel_id}/posts", {"page": 0, "per_page": min(count, 200)})
        posts: dict[str, dict[str, Any]] = answer.get("posts", {})
        return [posts[post_id] for post_id in answer.get("order", []) if post_id in posts]

    def users_by_ids(self, user_ids: list[str]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.http.request("POST", "/users/ids", json=user_ids)
        return result

    def client_config(self) -> dict[str, Any]:
        """The settings every user may read (the server's version among them)."""
        result: dict[str, Any] = self._get("/config/client", {"format": "old"})
        return result

    def is_team_member(self, team_id: str, user_id: str) -> bool:
        return self._exists(f"/teams/{team_id}/members/{user_id}")

    def is_channel_member(self, channel_id: str, user_id: str) -> bool:
        return self._exists(f"/channels/{channel_id}/members/{user_id}")

    def _exists(self, path: str) -> bool:
        try:
            self._get(path)
        except PlatformError as exc:
            if exc.status in (403, 404):
                return False
            raise
        return True

    def config(self) -> dict[str, Any]:
        """The server's settings (a system admin's token)."""
        result: dict[str, Any] = self._get("/config")
        return result

    def add_team_member(self, team_id: str, user_id: str) -> None:
        self.http.request("POST", f"/teams/{team_id}/members", json={"team_id": team_id, "user_id": user_id})

    def add_channel_member(self, channel_id: str, user_id: str) -> None:
        """Adding someone already there changes nothing; they must be in the channel's team first."""
        self.http.request("POST", f"/channels/{channel_id}/members", json={"user_id": user_id})

    def create_bot(self, username: str, display_name: str, description: str) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/bots", json={
            "username": username, "display_name": display_name, "description": description})
        return result

    def create_user_token(self, user_id: str, description: str) -> str:
        return str(self.http.request("POST", f"/users/{user_id}/tokens", json={"description": description})["token"])

    def team_commands(self, team_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("/commands", {"team_id": team_id, "custom_only": "true"})
        return result

    def create_command(self, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/commands", json=body)
        return result

    def update_command(self, command_id: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("PUT", f"/commands/{command_id}", json=body)
        return result

    def delete_command(self, command_id: str) -> None:
        self.http.request("DELETE", f"/commands/{command_id}")

    def outgoing_hooks(self, team_id: str, channel_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("/hooks/outgoing", {"team_id": team_id, "channel_id": channel_id})
        return result

    def create_outgoing_hook(self, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/hooks/outgoing", json=body)
        return result

    def update_outgoing_hook(self, hook_id: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("PUT", f"/hooks/outgoing/{hook_id}", json={**body, "id": hook_id})
        return result

    def delete_outgoing_hook(self, hook_id: str) -> None:
        self.http.request("DELETE", f"/hooks/outgoing/{hook_id}")

    def direct_channel(self, user_ids: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/channels/direct", json=user_ids)
        return result
