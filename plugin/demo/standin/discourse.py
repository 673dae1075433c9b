"""The stand-in's Discourse routes, answering as the forum does."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from plugin.demo.standin.server import RecordedRequest, StandInServer, json_body


class DiscourseRoutes(StandInServer):
    def routes(self) -> list[tuple[str, str, Callable[..., tuple[int, Any]]]]:
        return [*super().routes(), *(
            ("POST", "/uploads\\.json", self._dc_upload),
            ("POST", "/posts.json", self._dc_post),
            ("GET", "/posts/(\\d+)\\.json", self._dc_get_post),
            ("GET", "/groups/([^/]+)/members\\.json", self._dc_group_members),
            ("GET", "/u/([^/]+)\\.json", self._dc_user),
            ("POST", "/users.json", self._dc_create_user),
            ("GET", "/admin/api/web_hooks\\.json", self._dc_web_hooks),
            ("POST", "/admin/api/web_hooks\\.json", self._dc_create_web_hook),
            ("PUT", "/admin/api/web_hooks/(\\d+)\\.json", self._dc_update_web_hook),
            ("DELETE", "/admin/api/web_hooks/(\\d+)\\.json", self._dc_delete_web_hook),
        )]

    def _dc_upload(self, request: RecordedRequest) -> tuple[int, Any]:
        self.uploads.append(request.body)
        number = next(self._ids)
        return 200, {"id": number, "url": f"/uploads/default/original/{number}.png",
                     "short_url": f"upload://file{number}.png", "original_filename": "upload.png"}

    def _dc_post(self, request: RecordedRequest) -> tuple[int, Any]:
        body = json_body(request)
        number = next(self._ids)
        topic_id = body.get("topic_id") or 1000 + number
        post = {"id": number, "topic_id": topic_id, "post_number": 1, "raw": body.get("raw", ""),
                "username": "kring", "cooked": body.get("raw", "")}
        self.discourse_posts[number] = post
        return 200, post

    def _dc_get_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        post = self.discourse_posts.get(int(post_id))
        if post is None:
            return 404, {"errors": ["not found"], "error_type": "not_found"}
        polls = []
        for match in re.finditer(r"\[poll name=(\S+)[^\]]*\]\n(.*?)\n\[/poll\]", post["raw"], re.S):
            name, votes = match.group(1), self.native_votes.get(match.group(1), {})
            options = [line[2:] for line in match.group(2).splitlines()]
            polls.append({"name": name, "status": "closed", "voters": sum(votes.values()),
                          "options": [{"id": f"o{i}", "html": option, "votes": votes.get(option, 0)}
                                      for i, option in enumerate(options)]})
        return 200, {**post, "polls": polls}

    def _dc_user(self, request: RecordedRequest, username: str) -> tuple[int, Any]:
        found = self.users.get(username)
        if found is None:
            return 404, {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
        return 200, {"user": found}

    def _dc_create_user(self, request: RecordedRequest) -> tuple[int, Any]:
        body = json_body(request)
        user_id = next(self._ids)
        self.users[body["username"]] = {"id": user_id, "username": body["username"], "name": body.get("name")}
        return 200, {"success": True, "active": True, "message": "created", "user_id": user_id}

    def _dc_web_hooks(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, {"web_hooks": list(self.web_hooks.values())}

    def _web_hook(self, web_hook_id: int, body: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in body["web_hook"].items() if k != "category_ids"}
        return {**fields, "id": web_hook_id, "categories": [{"id": c} for c in body["web_hook"]["category_ids"]]}

    def _dc_create_web_hook(self, request: RecordedRequest) -> tuple[int, Any]:
        web_hook_id = next(self._ids)
        self.web_hooks[web_hook_id] = self._web_hook(web_hook_id, json_body(request))
        return 200, {"web_hook": self.web_hooks[web_hook_id]}

    def _dc_update_web_hook(self, request: RecordedRequest, web_hook_id: str) -> tuple[int, Any]:
        if int(web_hook_id) not in self.web_hooks:
            return 404, {"errors": ["not found"]}
        self.web_hooks[int(web_hook_id)] = self._web_hook(int(web_hook_id), json_body(request))
        return 200, {"web_hook": self.web_hooks[int(web_hook_id)]}

    def _dc_delete_web_hook(self, request: RecordedRequest, web_hook_id: str) -> tuple[int, Any]:
        if self.web_hooks.pop(int(web_hook_id), None) is None:
            return 404, {"errors": ["not found"]}
        return 200, {"success": "OK"}

    def _dc_group_members(self, request: RecordedRequest, name: str) -> tuple[int, Any]:
        if name not in self.groups:
            return 404, {"errors": ["not found"], "error_type": "not_found"}
        owners, members = self.groups[name]
        offset, limit = int(request.query.get("offset", 0)), int(request.query.get("limit", 50))

        def user(entry: tuple[int, str, str]) -> dict[str, Any]:
            return {"id": entry[0], "username": entry[1], "name": entry[2], "avatar_template": "", "title": None,
                    "last_posted_at": "", "last_seen_at": "", "added_at": "", "timezone": "Europe/Amsterdam"}

        return 200, {"members": [user(m) for m in members[offset:offset + limit]],
                     "owners": [user(o) for o in owners],
                     "meta": {"total": len(members), "limit": limit, "offset": offset}}
