"""Discourse REST calls Kring makes, authenticated with ``Api-Key`` and ``Api-Username``."""

from __future__ import annotations

from typing import Any

from plugin.platforms.http import JsonHttpClient


class DiscourseClient:
    def __init__(self, base_url: str, api_key: str, api_username: str, timeout: float = 10.0) -> None:
        self.http = JsonHttpClient(base_url, {"Api-Key": api_key, "Api-Username": api_username},
                                   timeout=timeout)

    def create_post(self, raw: str, topic_id: int | None = None, title: str | None = None,
                    category: int | None = None) -> dict[str, Any]:
        """A reply (``topic_id``) or a new topic (``title`` and ``category``)."""
        body: dict[str, Any] = {"raw": raw}
        if topic_id is not None:
            body["topic_id"] = topic_id
        if title is not None:
            body["title"] = title
        if category is not None:
            body["category"] = category
        result: dict[str, Any] = self.http.request("POST", "/posts.json", json=body)
        return result
