"""A small local stand-in for Mattermost and Discourse that records what Kring sends it.

It is a real HTTP server (Werkzeug), answers with bodies shaped like the platforms' own, and can
be told to fail (status codes, ``Retry-After``) so tests can watch Kring cope. Tests wrap it with
an OpenAPI check of every request.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    """Answer the next ``times`` requests (to paths starting with ``path``) with ``status`` and optional
    headers, after ``delay`` seconds."""

    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    path: str = "/"


Check = Callable[[RecordedRequest], None]
BOT_USER_ID = "kringbot0000000000000000001"
ADMIN_USER_ID = "admin00000000000000000000001"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The recorded requests are the log; nothing goes to the terminal."""


def _json_body(request: RecordedRequest) -> Any:
    return request.body if isinstance(request.body, dict | list) else {}


class StandInPlatform:
    """Serves the Mattermost and Discourse routes Kring uses, on 127.0.0.1."""

    def __init__(self, check: Check | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.failures: list[Failure] = []
        self.check = check
        self.check_errors: list[str] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        #: State of the platform as Kring's installer leaves it.
        self.commands: dict[str, dict[str, Any]] = {}
        self.bots: dict[str, dict[str, Any]] = {}
        self.dialogs: list[dict[str, Any]] = []
        #: channel id -> [(user, channel roles)]; users as Mattermost's User objects.
        self.channels: dict[str, list[tuple[dict[str, Any], str]]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        #: Mattermost posts members made (by id), which Kring may read back, and outgoing webhooks.
        self.member_posts: dict[str, dict[str, Any]] = {}
        #: Mattermost posts Kring made, by id, as they are now (after any patch).
        self.kring_posts: dict[str, dict[str, Any]] = {}
        self.outgoing_hooks: dict[str, dict[str, Any]] = {}
        #: Posts made at the Discourse routes, by id, and votes cast in their native polls (by option text).
        self.discourse_posts: dict[int, dict[str, Any]] = {}
        self.native_votes: dict[str, dict[str, int]] = {}
        #: group name -> (owners, members), each a list of (id, username, name).
        self.groups: dict[str, tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]] = {}
        self.web_hooks: dict[int, dict[str, Any]] = {}
        #: Bodies of file uploads (Mattermost files, Discourse uploads), files described by size.
        self.uploads: list[dict[str, Any]] = []
        #: Mattermost users looked up by name (besides bots): username -> user id.
        self.mm_users: dict[str, str] = {}
        #: Mattermost channels looked up by "team name/channel name": channel id.
        self.mm_channels: dict[str, str] = {}
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]] = [
            (method, re.compile(path), handler) for method, path, handler in (
                ("POST", "/api/v4/posts", self._mm_post),
                ("POST", "/api/v4/files", self._mm_upload),
                ("POST", "/uploads\\.json", self._dc_upload),
                ("GET", "/api/v4/users/me", self._mm_me),
                ("POST", "/api/v4/channels/direct", self._mm_direct),
                ("GET", "/api/v4/users/username/([^/]+)", self._mm_user_by_name),
                ("GET", "/api/v4/teams/name/([^/]+)", self._mm_team_by_name),
                ("GET", "/api/v4/teams/name/([^/]+)/channels/name/([^/]+)", self._mm_channel_by_name),
                ("POST", "/api/v4/bots", self._mm_create_bot),
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
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="standin", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> StandInPlatform:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None,
                  delay: float = 0.0, path: str = "/") -> None:
        with self._lock:
            self.failures.append(Failure(status, times, headers or {}, delay, path))

    def posts(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path in ("/api/v4/posts", "/posts.json")]

    def _take_failure(self, path: str) -> Failure | None:
        with self._lock:
            failure = next((f for f in self.failures if path.startswith(f.path)), None)
            if failure is None:
                return None
            failure.times -= 1
            if failure.times <= 0:
                self.failures.remove(failure)
            return failure

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        if request.mimetype == "multipart/form-data":
            # A form with files (uploads): its fields, and each file as a short description.
            body: Any = {**request.form.to_dict(), **{name: f"<{len(item.read())} bytes {item.mimetype}>"
                                                       for name, item in request.files.items()}}
        else:
            raw = request.get_data()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
        recorded = RecordedRequest(request.method, request.path, dict(request.headers), body, request.args.to_dict())
        if self.check is not None:
            try:
                self.check(recorded)
            except AssertionError as exc:
                self.check_errors.append(str(exc))
                return Response(json.dumps({"message": str(exc)}), 400, mimetype="application/json")(
                    environ, start_response)
        failure = self._take_failure(request.path)
        if failure is not None:
            time.sleep(failure.delay)
            return Response(json.dumps({"message": "stand-in failure"}), failure.status,
                            headers=failure.headers, mimetype="application/json")(environ, start_response)
        with self._lock:
            self.requests.append(recorded)
        status, answer = self._answer(recorded)
        return Response(json.dumps(answer), status, mimetype="application/json")(environ, start_response)

    def _answer(self, request: RecordedRequest) -> tuple[int, Any]:
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                with self._lock:
                    return handler(request, *match.groups())
        return 404, {"message": f"the stand-in does not serve {request.method} {request.path}"}

    # -- Mattermost -------------------------------------------------------------------------------

    def _mm_post(self, request: RecordedRequest) -> tuple[int, Any]:
        body = _json_body(request)
        post_id = f"post{next(self._ids):022d}"
        self.kring_posts[post_id] = {
            "id": post_id, "create_at": 0, "update_at": 0, "delete_at": 0, "user_id": BOT_USER_ID,
            "channel_id": body.get("channel_id", ""), "root_id": body.get("root_id", ""),
            "message": body.get("message", ""), "type": "", "props": body.get("props", {})}
        return 201, self.kring_posts[post_id]

    def _mm_upload(self, request: RecordedRequest) -> tuple[int, Any]:
        self.uploads.append(request.body)
        return 201, {"file_infos": [{"id": f"file{next(self._ids):022d}", "name": "upload"}], "client_ids": []}

    def _dc_upload(self, request: RecordedRequest) -> tuple[int, Any]:
        self.uploads.append(request.body)
        number = next(self._ids)
        return 200, {"id": number, "url": f"/uploads/default/original/{number}.png",
                     "short_url": f"upload://file{number}.png", "original_filename": "upload.png"}

    def _mm_me(self, request: RecordedRequest) -> tuple[int, Any]:
        if "bot" in request.headers.get("Authorization", ""):  # bot tokens are named so in tests and demo
            return 200, {"id": BOT_USER_ID, "username": "kring", "is_bot": True}
        return 200, {"id": ADMIN_USER_ID, "username": "admin", "roles": "system_admin system_user"}

    def _mm_direct(self, request: RecordedRequest) -> tuple[int, Any]:
        body = _json_body(request)
        members = body if isinstance(body, list) else []
        return 201, {"id": "dm-" + "-".join(sorted(str(m) for m in members)), "type": "D"}

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

    def _mm_create_bot(self, request: RecordedRequest) -> tuple[int, Any]:
        body = _json_body(request)
        bot = {"user_id": BOT_USER_ID, "username": body["username"], "display_name": body.get("display_name", "")}
        self.bots[body["username"]] = bot
        return 201, bot

    def _mm_create_token(self, request: RecordedRequest, user_id: str) -> tuple[int, Any]:
        return 201, {"id": f"tok{next(self._ids)}", "user_id": user_id, "token": f"bot-token-{next(self._ids)}"}

    def _mm_list_commands(self, request: RecordedRequest) -> tuple[int, Any]:
        return 200, list(self.commands.values())

    def _mm_create_command(self, request: RecordedRequest) -> tuple[int, Any]:
        body = _json_body(request)
        command_id = f"cmd{next(self._ids):023d}"
        command = {**body, "id": command_id, "token": f"command-token-{next(self._ids)}"}
        self.commands[command_id] = command
        return 201, command

    def _mm_update_command(self, request: RecordedRequest, command_id: str) -> tuple[int, Any]:
        body = _json_body(request)
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
        body = _json_body(request)
        self.dialogs.append(body)
        return 200, {"status": "OK"}

    def _mm_channel_members(self, request: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        page, per_page = int(request.query.get("page", 0)), int(request.query.get("per_page", 60))
        members = [{"channel_id": channel_id, "user_id": user["id"], "roles": roles}
                   for user, roles in self.channels.get(channel_id, [])]
        return 200, members[page * per_page:(page + 1) * per_page]

    def _mm_channel_posts(self, request: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        since = int(request.query.get("since", 0))
        posts = {p["id"]: p for p in self.member_posts.values()
                 if p["channel_id"] == channel_id and int(p["create_at"]) > since}
        return 200, {"order": list(posts), "posts": posts}

    def _mm_get_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        post = self.member_posts.get(post_id) or self.kring_posts.get(post_id)
        return (200, post) if post else (404, {"message": "post not found", "status_code": 404})

    def _mm_patch_post(self, request: RecordedRequest, post_id: str) -> tuple[int, Any]:
        if post_id not in self.kring_posts:
            return 403, {"message": "only the author may edit a post", "status_code": 403}
        self.kring_posts[post_id] = {**self.kring_posts[post_id], **_json_body(request)}
        return 200, self.kring_posts[post_id]

    def _mm_outgoing_hooks(self, request: RecordedRequest) -> tuple[int, Any]:
        channel = request.query.get("channel_id")
        return 200, [h for h in self.outgoing_hooks.values() if channel in (None, h["channel_id"])]

    def _mm_create_outgoing_hook(self, request: RecordedRequest) -> tuple[int, Any]:
        hook_id = f"hook{next(self._ids):022d}"
        self.outgoing_hooks[hook_id] = {**_json_body(request), "id": hook_id, "token": f"outgoing-{next(self._ids)}"}
        return 201, self.outgoing_hooks[hook_id]

    def _mm_update_outgoing_hook(self, request: RecordedRequest, hook_id: str) -> tuple[int, Any]:
        if hook_id not in self.outgoing_hooks:
            return 404, {"message": "not found"}
        self.outgoing_hooks[hook_id] = {**self.outgoing_hooks[hook_id], **_json_body(request), "id": hook_id,
                                        "token": self.outgoing_hooks[hook_id]["token"]}
        return 200, self.outgoing_hooks[hook_id]

    def _mm_delete_outgoing_hook(self, request: RecordedRequest, hook_id: str) -> tuple[int, Any]:
        return (200, {"status": "OK"}) if self.outgoing_hooks.pop(hook_id, None) else (404, {"message": "no"})

    def _mm_users_by_ids(self, request: RecordedRequest) -> tuple[int, Any]:
        wanted = set(_json_body(request))
        return 200, [user for members in self.channels.values() for user, _ in members if user["id"] in wanted]

    # -- Discourse --------------------------------------------------------------------------------

    def _dc_post(self, request: RecordedRequest) -> tuple[int, Any]:
        body = _json_body(request)
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
        body = _json_body(request)
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
        self.web_hooks[web_hook_id] = self._web_hook(web_hook_id, _json_body(request))
        return 200, {"web_hook": self.web_hooks[web_hook_id]}

    def _dc_update_web_hook(self, request: RecordedRequest, web_hook_id: str) -> tuple[int, Any]:
        if int(web_hook_id) not in self.web_hooks:
            return 404, {"errors": ["not found"]}
        self.web_hooks[int(web_hook_id)] = self._web_hook(int(web_hook_id), _json_body(request))
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
