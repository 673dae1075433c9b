"""The stand-in's server: recording, checking and failing requests, and routing them to the platforms.

A small local stand-in for Mattermost and Discourse that records what Kring sends it. It is a real
HTTP server (Werkzeug), answers with bodies shaped like the platforms' own, and can
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
from datetime import UTC, datetime
from typing import Any, Self

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
    headers, after ``delay`` seconds. With ``done_first`` the request is carried out before that (a
    platform that made the post and then answered too late, or an error)."""

    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    path: str = "/"
    done_first: bool = False


Check = Callable[[RecordedRequest], None]
#: What a route answers: a status and a JSON body, and perhaps headers.
Answered = tuple[int, Any] | tuple[int, Any, dict[str, str]]
BOT_USER_ID = "kringbot0000000000000000001"
ADMIN_USER_ID = "admin00000000000000000000001"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The recorded requests are the log; nothing goes to the terminal."""


def json_body(request: RecordedRequest) -> Any:
    return request.body if isinstance(request.body, dict | list) else {}


class StandInServer:
    """Records every request, checks it, fails it when told to, and answers it through :meth:`routes`."""

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
        #: Mattermost posts members made (by id), which Kring may read back, and outgoing webhooks.
        self.member_posts: dict[str, dict[str, Any]] = {}
        #: Mattermost posts Kring made, by id, as they are now (after any patch).
        self.kring_posts: dict[str, dict[str, Any]] = {}
        #: Mattermost's deduplication of repeated posts: pending post id -> the post made the first time
        #: and when (monotonic seconds); the server forgets one after about 30 s (its pending-post cache).
        self.pending_posts: dict[str, tuple[str, float]] = {}
        self.pending_post_seconds = 30.0
        #: Mattermost's settings as `GET /api/v4/config` reports them, at the server's defaults; a test (or
        #: the demo, as an admin would) switches on what Kring needs.
        self.mm_config: dict[str, dict[str, Any]] = {"ServiceSettings": {
            "SiteURL": "", "EnableBotAccountCreation": False, "EnableUserAccessTokens": False,
            "EnableCommands": True, "EnablePostUsernameOverride": False, "AllowedUntrustedInternalConnections": "",
            "EnableInsecureOutgoingConnections": False, "DisableBotsWhenOwnerIsDeactivated": True}}
        self.mm_version = "10.5.0"
        self.bot_deactivated = False
        #: ServiceSettings.PostEditTimeLimit of licensed servers, in seconds; -1 (the default): no limit.
        self.post_edit_time_limit = -1
        #: Mattermost team id -> the ids of its members; channel id -> the ids of users added to it.
        self.team_members: dict[str, set[str]] = {}
        self.channel_additions: dict[str, set[str]] = {}
        #: Discourse: categories whose new posts wait for approval; why `POST /users.json` refuses (when
        #: it does, with a 200 and `success: false`); the forum's clock (it decides when poll results
        #: show: a test on a virtual clock sets it to that clock).
        self.approval_categories: set[int] = set()
        #: Posts members made on the forum, by id, as `GET /posts.json` serialises them.
        self.member_forum_posts: dict[int, dict[str, Any]] = {}
        self.discourse_version = "3.4.2"
        #: Categories the bot may not see, groups whose members are hidden from it, and site settings.
        self.hidden_categories: set[int] = set()
        self.hidden_groups: set[str] = set()
        self.site_settings: dict[str, Any] = {"min_post_length": 20, "personal_message_enabled_groups": "11",
                                              "poll_create_allowed_groups": "11", "allowed_internal_hosts": "",
                                              "rate_limit_create_post": 5, "rate_limit_new_user_create_post": 30,
                                              "max_topics_in_first_day": 3, "max_replies_in_first_day": 10}
        self.registration_refusal: str | None = None
        #: The forum's users by name (`system` is on every forum), and when each non-staff one posted
        #: (and whether it opened a topic), for the rate limits.
        self.users: dict[str, dict[str, Any]] = {"system": {"id": -1, "username": "system", "name": "system",
                                                            "trust_level": 4, "moderator": False, "admin": True}}
        self.posts_made: dict[str, list[tuple[datetime, bool]]] = {}
        #: API keys made through the admin API: secret -> the user it acts as.
        self.api_keys: dict[str, str] = {}
        self.forum_clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        #: How many posts Mattermost's `posts?since=` answers at most (the server's limit).
        self.posts_since_limit = 1000
        #: Mattermost direct channels: channel id -> the two user ids.
        self.direct_channels: dict[str, tuple[str, ...]] = {}
        #: Requests that made nothing (refused, or a repeat the platform recognised), by identity.
        self.made_nothing: set[int] = set()
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
        self._routes = [(method, re.compile(path), handler) for method, path, handler in self.routes()]
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="standin", daemon=True)

    def routes(self) -> list[tuple[str, str, Callable[..., Answered]]]:
        """(method, path pattern, handler) of every route the stand-in serves; each platform adds its own."""
        return []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None,
                  delay: float = 0.0, path: str = "/", done_first: bool = False) -> None:
        with self._lock:
            self.failures.append(Failure(status, times, headers or {}, delay, path, done_first))

    def posts(self) -> list[RecordedRequest]:
        """The requests that made a post (a refused one, or a repeat the platform recognised, made none)."""
        return [r for r in self.requests if r.method == "POST" and r.path in ("/api/v4/posts", "/posts.json")
                and id(r) not in self.made_nothing]

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
        if failure is not None and failure.done_first:
            with self._lock:
                self.requests.append(recorded)
            self._answer(recorded)
        if failure is not None:
            time.sleep(failure.delay)
            return Response(json.dumps({"message": "stand-in failure"}), failure.status,
                            headers=failure.headers, mimetype="application/json")(environ, start_response)
        with self._lock:
            self.requests.append(recorded)
        status, answer, *headers = self._answer(recorded)
        if status >= 400:
            self.made_nothing.add(id(recorded))
        return Response(json.dumps(answer), status, headers=headers[0] if headers else None,
                        mimetype="application/json")(environ, start_response)

    def _answer(self, request: RecordedRequest) -> Answered:
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                with self._lock:
                    return handler(request, *match.groups())
        return 404, {"message": f"the stand-in does not serve {request.method} {request.path}"}
