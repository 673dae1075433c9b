"""Mattermost REST API v4 calls Kring makes, as the bot account."""

from __future__ import annotations

from typing import Any

from plugin.platforms.http import JsonHttpClient


class MattermostClient:
    def __init__(self, base_url: str, bot_token: str, timeout: float = 10.0) -> None:
        self.http = JsonHttpClient(base_url + "/api/v4", {"Authorization": f"Bearer {bot_token}"},
                                   timeout=timeout)

    def create_post(self, channel_id: str, message: str, root_id: str | None = None,
                    props: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"channel_id": channel_id, "message": message}
        if root_id:
            body["root_id"] = root_id
        if props:
            body["props"] = props
        result: dict[str, Any] = self.http.request("POST", "/posts", json=body)
        return result

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("GET", "/users/me")
        return result

    def direct_channel(self, user_ids: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/channels/direct", json=user_ids)
        return result
