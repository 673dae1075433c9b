"""Discourse REST calls Kring makes, authenticated with ``Api-Key`` and ``Api-Username``."""

from __future__ import annotations

from typing import Any

from plugin.platforms.http import JsonHttpClient


class DiscourseClient:
    def __init__(self, base_url: str, api_key: str, api_username: str, timeout: float = 10.0) -> None:
        self.http = JsonHttpClient(base_url, {"Api-Key": api_key, "Api-Username": api_username},
                                   timeout=timeout)

    def create_post(self, raw: str, topic_id: int | None = None, title: str | None = None,
                    category: int | None = None, private_to: str | None = None) -> dict[str, Any]:
        """A reply (``topic_id``), a new topic (``title`` and ``category``) or a private message."""
        body: dict[str, Any] = {"raw": raw}
        if topic_id is not None:
            body["topic_id"] = topic_id
        if title is not None:
            body["title"] = title
        if category is not None:
            body["category"] = category
        if private_to is not None:
            body["archetype"] = "private_message"
            body["target_recipients"] = private_to
        result: dict[str, Any] = self.http.request("POST", "/posts.json", json=body)
        return result
