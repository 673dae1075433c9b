"""The stand-in's Discourse routes, answering as the forum does."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from plugin.demo.standin.server import Answered, RecordedRequest, StandInServer, json_body


class DiscourseRoutes(StandInServer):
    def routes(self) -> list[tuple[str, str, Callable[..., Answered]]]:
        return [*super().routes(), *((method, path, self._as_api_user(handler)) for method, path, handler in (
            ("POST", "/uploads\\.json", self._dc_upload),
            ("POST", "/posts.json", self._dc_post),
            ("GET", "/posts/(\\d+)\\.json", self._dc_get_post),
            ("GET", "/groups/([^/]+)/members\\.json", self._dc_group_members),
            ("GET", "/u/([^/]+)\\.json", self._dc_user),
            ("POST", "/users.json", self._dc_create_user),
            ("PUT", "/admin/users/(\\d+)/grant_moderation\\.json", self._dc_grant_moderation),
            ("GET", "/about\\.json", self._dc_about),
            ("GET", "/posts\\.json", self._dc_latest_posts),
            ("GET", "/c/(\\d+)/show\\.json", self._dc_category),
            ("GET", "/admin/site_settings\\.json", self._dc_site_settings),
            ("GET", "/admin/api/web_hooks\\.json", self._dc_web_hooks),
            ("POST", "/admin/api/web_hooks\\.json", self._dc_create_web_hook),
            ("PUT", "/admin/api/web_hooks/(\\d+)\\.json", self._dc_update_web_hook),
            ("DELETE", "/admin/api/web_hooks/(\\d+)\\.json", self._dc_delete_web_hook),
            ("GET", "/posts/by_number/(\\d+)/(\\d+)\\.json", self._dc_post_by_number),
            ("POST", "/admin/api/keys\\.json", self._dc_create_api_key),
        ))]

    def add_bot(self, username: str = "kring", *, moderator: bool = True, trust_level: int = 0) -> dict[str, Any]:
        """Kring's bot user as `kring install discourse` leaves it: created (trust level 0) and made a
        moderator. ``moderator=False`` is a bot configured by hand and never granted anything."""
        self.users[username] = {"id": 1000 + len(self.users), "username": username, "name": "Kring",
                                "trust_level": trust_level, "moderator": moderator, "admin": False}
        return self.users[username]

    def _as_api_user(self, handler: Callable[..., Answered]) -> Callable[..., Answered]:
        """Every API call acts as its `Api-Username`: a user the forum does not have is refused (403)."""

        def authenticated(request: RecordedRequest, *groups: str) -> Answered:
            if request.headers.get("Api-Username", "") not in self.users:
                return 403, {"errors": ["You are not permitted to view the requested resource. The API username "
                                        "or key is invalid."], "error_type": "invalid_access"}
            return handler(request, *groups)

        return authenticated

    def _dc_upload(self, request: RecordedRequest) -> tuple[int, Any]:
        self.uploads.append(request.body)
        number = next(self._ids)
        return 200, {"id": number, "url": f"/uploads/default/original/{number}.png",
                     "short_url": f"upload://file{number}.png", "original_filename": "upload.png"}

    def _poster(self, request: RecordedRequest) -> dict[str, Any]:
        """The API user as the forum knows them (:meth:`_as_api_user` refused anyone else)."""
        return self.users[request.headers["Api-Username"]]

    @staticmethod
    def _staff(user: dict[str, Any]) -> bool:
        return bool(user.get("moderator") or user.get("admin"))

    def _refused_for_new_user(self, poster: dict[str, Any], body: dict[str, Any]) -> str | None:
        """What a trust-level-0, non-staff user may not post (`personal_message_enabled_groups`,
        `poll_create_allowed_groups`: trust level 1 by default)."""
        if self._staff(poster) or poster.get("trust_level", 0) >= 1:
            return None
        if body.get("archetype") == "private_message":
            return "Sorry, you can't send personal messages yet."
        if "[poll" in str(body.get("raw", "")):
            return "You do not have the required rights to create polls."
        return None

    def _category_of(self, body: dict[str, Any]) -> int | None:
        if body.get("category") is not None:
            return int(body["category"])
        topic = next((p for p in self.discourse_posts.values() if p["topic_id"] == body.get("topic_id")), None)
        return topic.get("category_id") if topic else None

    def _dc_post(self, request: RecordedRequest) -> Answered:
        body = json_body(request)
        shortest = int(self.site_settings["min_post_length"])
        if len(str(body.get("raw", "")).strip()) < shortest:
            return 422, {"action": "create_post", "errors": [f"Body is too short (minimum is {shortest} characters)"],
                         "error_type": "invalid_parameters"}
        poster = self._poster(request)
        refused = self._refused_for_new_user(poster, body)
        if refused is not None:
            return 422, {"action": "create_post", "errors": [refused], "error_type": "invalid_parameters"}
        wait = self._rate_limited(poster, opens_topic=not body.get("topic_id"))
        if wait is not None:
            return 429, {"errors": [f"You\u2019ve performed this action too many times. Please wait {wait} seconds "
                                    "before trying again."], "error_type": "rate_limit",
                         "extras": {"wait_seconds": wait}}, {"Retry-After": str(wait)}
        number = next(self._ids)
        if self._category_of(body) in self.approval_categories and not self._staff(poster):
            self.made_nothing.add(id(request))  # nothing published (yet)
            return 200, {"action": "enqueued", "pending_post": {"id": number, "raw": body.get("raw", "")}}
        topic_id = body.get("topic_id") or 1000 + number
        post = {"id": number, "topic_id": topic_id, "post_number": 1, "raw": body.get("raw", ""),
                "username": poster["username"], "cooked": body.get("raw", ""), "category_id": self._category_of(body)}
        self.discourse_posts[number] = post
        return 200, post

    def _rate_limited(self, poster: dict[str, Any], opens_topic: bool) -> int | None:
        """Seconds the poster must wait (`RateLimiter`, which exempts staff): at most one post per
        `rate_limit_new_user_create_post` seconds for a trust-level-0 user (`rate_limit_create_post`
        otherwise), and `max_topics_in_first_day` / `max_replies_in_first_day` on their first day. A
        post that is let through is counted."""
        if self._staff(poster):
            return None
        now, settings = self.forum_clock(), self.site_settings
        made = self.posts_made.setdefault(poster["username"], [])
        spacing = int(settings["rate_limit_new_user_create_post" if poster.get("trust_level", 0) == 0
                               else "rate_limit_create_post"])
        waits = [spacing - int((now - made[-1][0]).total_seconds())] if made else []
        first_day_end = made[0][0] + timedelta(days=1) if made else None
        if first_day_end is not None and now < first_day_end and poster.get("trust_level", 0) < 2:
            limit = int(settings["max_topics_in_first_day" if opens_topic else "max_replies_in_first_day"])
            if sum(1 for _, topic in made if topic == opens_topic) >= limit:
                waits.append(int((first_day_end - now).total_seconds()) + 1)
        wait = max(waits, default=0)
        if wait > 0:
            return wait
        made.append((now, opens_topic))
        return None

    def _dc_post_by_number(self, request: RecordedRequest, topic_id: str, post_number: str) -> Answered:
        """As `PostsController#by_number` (with the raw text, as `/posts/{id}.json`)."""
        post = next((p for p in [*self.discourse_posts.values(), *self.member_forum_posts.values()]
                     if int(p["topic_id"]) == int(topic_id) and int(p.get("post_number", 1)) == int(post_number)),
                    None)
        if post is None:
            return 404, {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
        return 200, post

    def _dc_get_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        post = self.discourse_posts.get(int(post_id))
        if post is None:
            return 404, {"errors": ["not found"], "error_type": "not_found"}
        polls = []
        for match in re.finditer(r"\[poll name=(\S+)([^\]]*)\]\n(.*?)\n\[/poll\]", post["raw"], re.S):
            name, votes = match.group(1), self.native_votes.get(match.group(1), {})
            options = [line[2:] for line in match.group(3).splitlines()]
            close = re.search(r"close=(\S+)", match.group(2))
            # `results=on_close`: the votes are left out until the forum's own clock passes the close time.
            shown = close is None or datetime.fromisoformat(close.group(1)) <= self.forum_clock()
            polls.append({"name": name, "status": "closed" if shown else "open", "voters": sum(votes.values()),
                          "options": [{"id": f"o{i}", "html": option, **({"votes": votes.get(option, 0)}
                                                                         if shown else {})}
                                      for i, option in enumerate(options)]})
        return 200, {**post, "polls": polls}

    def _dc_user(self, request: RecordedRequest, username: str) -> tuple[int, Any]:
        found = self.users.get(username)
        if found is None:
            return 404, {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
        return 200, {"user": found}

    def _dc_create_user(self, request: RecordedRequest) -> tuple[int, Any]:
        """As `UsersController#create`: a refusal is a 200 with `success: false`; a new user is trust
        level 0 and not staff."""
        if self.registration_refusal is not None:
            return 200, {"success": False, "active": False, "message": self.registration_refusal}
        body = json_body(request)
        user_id = next(self._ids)
        self.users[body["username"]] = {"id": user_id, "username": body["username"], "name": body.get("name"),
                                        "trust_level": 0, "moderator": False, "admin": False}
        return 200, {"success": True, "active": True, "message": "created", "user_id": user_id}

    def _dc_latest_posts(self, request: RecordedRequest) -> tuple[int, Any]:
        """As `PostsController#latest`: the newest posts first, a page of 50, older ones with ``before``."""
        before = int(request.query["before"]) if "before" in request.query else None
        posts = sorted([*self.member_forum_posts.values(), *self.discourse_posts.values()],
                       key=lambda p: int(p["id"]), reverse=True)
        return 200, {"latest_posts": [p for p in posts if before is None or int(p["id"]) < before][:50]}

    def _dc_about(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, {"about": {"title": "Forum", "version": self.discourse_version}}

    def _dc_category(self, request: RecordedRequest, category_id: str) -> tuple[int, Any]:
        if int(category_id) in self.hidden_categories:
            return 403, {"errors": ["You are not permitted to view the requested resource."],
                         "error_type": "invalid_access"}
        return 200, {"category": {"id": int(category_id), "name": f"Category {category_id}"}}

    def _dc_site_settings(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, {"site_settings": [{"setting": name, "value": value} for name, value in self.site_settings.items()]}

    def _dc_create_api_key(self, request: RecordedRequest) -> Answered:
        """As `Admin::ApiController#create`: a key bound to ``username``; its secret is shown this once."""
        if not self.users[request.headers["Api-Username"]].get("admin"):
            return 403, {"errors": ["You are not permitted to view the requested resource."],
                         "error_type": "invalid_access"}
        body = json_body(request)["key"]
        if body.get("username") not in self.users:
            return 404, {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
        secret = f"user-key-{next(self._ids):04d}-{body['username']}"
        self.api_keys[secret] = body["username"]
        return 200, {"key": {"id": len(self.api_keys), "key": secret, "truncated_key": secret[:4],
                             "description": body.get("description"), "user": {"username": body["username"]}}}

    def _dc_grant_moderation(self, request: RecordedRequest, user_id: str) -> tuple[int, Any]:
        user = next((u for u in self.users.values() if u.get("id") == int(user_id)), None)
        if user is None:
            return 404, {"errors": ["not found"], "error_type": "not_found"}
        user["moderator"] = True
        return 200, {"success": "OK"}

    def _dc_web_hooks(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, {"web_hooks": list(self.web_hooks.values())}

    def _web_hook(self, web_hook_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """As `AdminWebHookSerializer`: the filters as `category_ids` and `group_ids`."""
        return {**body["web_hook"], "id": web_hook_id, "category_ids": list(body["web_hook"].get("category_ids", [])),
                "group_ids": list(body["web_hook"].get("group_ids", [])), "last_delivery_status": 1}

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
        if name in self.hidden_groups:  # `ensure_can_see_group_members!`
            return 403, {"errors": ["You are not permitted to view the requested resource."],
                         "error_type": "invalid_access"}
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
