"""A small local stand-in for Mattermost and Discourse that records what Kring sends it.

It is a real HTTP server (Werkzeug), answers with bodies shaped like the platforms' own, and can
be told to fail (status codes, ``Retry-After``) so tests can watch Kring cope. Tests wrap it with
an OpenAPI check of every request.
"""

from __future__ import annotations

import itertools
import json
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


@dataclass
class Failure:
    """Answer the next ``times`` requests with ``status`` (and optional headers), after ``delay`` seconds."""

    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Check = Callable[[RecordedRequest], None]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The recorded requests are the log; nothing goes to the terminal."""


class StandInPlatform:
    """Serves ``/api/v4/posts`` (Mattermost) and ``/posts.json`` (Discourse) on 127.0.0.1."""

    def __init__(self, check: Check | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.failures: list[Failure] = []
        self.check = check
        self.check_errors: list[str] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
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
                  delay: float = 0.0) -> None:
        with self._lock:
            self.failures.append(Failure(status, times, headers or {}, delay))

    def posts(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path in ("/api/v4/posts", "/posts.json")]

    def _take_failure(self) -> Failure | None:
        with self._lock:
            if not self.failures:
                return None
            failure = self.failures[0]
            failure.times -= 1
            if failure.times <= 0:
                self.failures.pop(0)
            return failure

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        raw = request.get_data()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        recorded = RecordedRequest(request.method, request.path, dict(request.headers), body)
        if self.check is not None:
            try:
                self.check(recorded)
            except AssertionError as exc:
                self.check_errors.append(str(exc))
                return Response(json.dumps({"message": str(exc)}), 400, mimetype="application/json")(
                    environ, start_response)
        failure = self._take_failure()
        if failure is not None:
            time.sleep(failure.delay)
            return Response(json.dumps({"message": "stand-in failure"}), failure.status,
                            headers=failure.headers, mimetype="application/json")(environ, start_response)
        with self._lock:
            self.requests.append(recorded)
        status, answer = self._answer(recorded)
        return Response(json.dumps(answer), status, mimetype="application/json")(environ, start_response)

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        number = next(self._ids)
        body = request.body if isinstance(request.body, dict) else {}
        if request.path == "/api/v4/posts" and request.method == "POST":
            post_id = f"post{number:022d}"
            return 201, {"id": post_id, "create_at": 0, "update_at": 0, "delete_at": 0, "user_id": "kringbot",
                         "channel_id": body.get("channel_id", ""), "root_id": body.get("root_id", ""),
                         "message": body.get("message", ""), "type": "", "props": body.get("props", {})}
        if request.path == "/api/v4/users/me" and request.method == "GET":
            return 200, {"id": "kringbot0000000000000000001", "username": "kring", "is_bot": True}
        if request.path == "/api/v4/channels/direct" and request.method == "POST":
            members = request.body if isinstance(request.body, list) else []
            return 201, {"id": "dm-" + "-".join(sorted(str(m) for m in members)), "type": "D"}
        if request.path == "/posts.json" and request.method == "POST":
            topic_id = body.get("topic_id") or 1000 + number
            return 200, {"id": number, "topic_id": topic_id, "post_number": 1, "raw": body.get("raw", ""),
                         "username": "kring", "cooked": body.get("raw", "")}
        return 404, {"message": f"the stand-in does not serve {request.method} {request.path}"}
