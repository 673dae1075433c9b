"""Discourse REST calls Kring makes, authenticated with ``Api-Key`` and ``Api-Username``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plugin.platforms.http import JsonHttpClient


class DiscourseClient:
    def __init__(self, base_url: str, api_key: str, api_username: str, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.api_username = api_username
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

    def upload(self, name: str, content: bytes, content_type: str) -> dict[str, Any]:
        """Upload an image for a post; the answer's ``short_url`` (upload://…) goes into its Markdown."""
        result: dict[str, Any] = self.http.request(
            "POST", "/uploads.json", data={"upload_type": "composer", "synchronous": "true"},
            files={"file": (name, content, content_type)})
        return result

    def post_by_id(self, post_id: int) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("GET", f"/posts/{post_id}.json")
        return result

    def post_by_number(self, topic_id: int, post_number: int) -> dict[str, Any]:
        """A topic's post by its number (1: the topic's first post), with its raw text."""
        result: dict[str, Any] = self.http.request("GET", f"/posts/by_number/{topic_id}/{post_number}.json")
        return result

    def group_members(self, name: str, offset: int, limit: int) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("GET", f"/groups/{name}/members.json",
                                                   params={"offset": offset, "limit": limit})
        return result

    def user(self, username: str) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("GET", f"/u/{username}.json")
        return result

    def create_user(self, username: str, name: str, email: str, password: str) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("POST", "/users.json", json={
            "name": name, "username": username, "email": email, "password": password, "active": True,
            "approved": True})
        return result

    def latest_posts(self, before: int | None = None) -> list[dict[str, Any]]:
        """The forum's latest posts, newest first (a page); ``before`` pages back by post id."""
        params = {"before": before} if before is not None else None
        result: list[dict[str, Any]] = self.http.request("GET", "/posts.json", params=params).get("latest_posts", [])
        return result

    def latest_pages(self, most: int) -> Iterator[list[dict[str, Any]]]:
        """The forum's latest posts a page at a time, newest first, going back at most ``most`` pages."""
        before: int | None = None
        for _ in range(most):
            page = self.latest_posts(before)
            if not page:
                return
            yield page
            before = min(int(post["id"]) for post in page)

    def about(self) -> dict[str, Any]:
        """The forum's about page (its version among it)."""
        result: dict[str, Any] = self.http.request("GET", "/about.json")
        return result

    def category(self, category_id: int) -> dict[str, Any]:
        result: dict[str, Any] = self.http.request("GET", f"/c/{category_id}/show.json")
        return result

    def site_settings(self) -> list[dict[str, Any]]:
        """The site settings (an admin's key)."""
        result: list[dict[str, Any]] = self.http.request("GET", "/admin/site_settings.json").get("site_settings", [])
        return result

    def create_api_key(self, description: str, username: str) -> str:
        """A new API key that acts as ``username`` only (`Admin::ApiController#create`); its secret,
        which the forum shows this once."""
        created: dict[str, Any] = self.http.request("POST", "/admin/api/keys.json", json={
            "key": {"description": description, "username": username}})
        return str(created["key"]["key"])

    def grant_moderation(self, user_id: int) -> None:
        self.http.request("PUT", f"/admin/users/{user_id}/grant_moderation.json")

    def web_hooks(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.http.request("GET", "/admin/api/web_hooks.json").get("web_hooks", [])
        return result

    def save_web_hook(self, body: dict[str, Any], web_hook_id: int | None = None) -> dict[str, Any]:
        """Create the web hook, or update ``web_hook_id``."""
        if web_hook_id is None:
            result = self.http.request("POST", "/admin/api/web_hooks.json", json={"web_hook": body})
        else:
            result = self.http.request("PUT", f"/admin/api/web_hooks/{web_hook_id}.json", json={"web_hook": body})
        saved: dict[str, Any] = result["web_hook"]
        return saved

    def delete_web_hook(self, web_hook_id: int) -> None:
        self.http.request("DELETE", f"/admin/api/web_hooks/{web_hook_id}.json")
