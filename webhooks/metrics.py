"""`GET /metrics` in Prometheus' text format, and a request id on every request and log line."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter

import redis
from flask import Blueprint, Flask, Response, current_app, g, request

from plugin.metrics import counters, gauges
from webhooks.context import runtime

blueprint = Blueprint("metrics", __name__)
_lock = threading.Lock()
REQUEST_ID_HEADER = "X-Request-Id"
COUNTER_KEY = "kring.requests"


def _requests() -> Counter[tuple[str, str, int]]:
    """This app's request counts: per process, as Prometheus expects of a scraped target."""
    counted: Counter[tuple[str, str, int]] = current_app.extensions[COUNTER_KEY]
    return counted


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (or "-") to every log record, for the JSON log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside a request
            record.request_id = "-"
        return True


def init_app(app: Flask) -> None:
    app.extensions[COUNTER_KEY] = Counter()

    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given[:64] if given.isprintable() and given else uuid.uuid4().hex

    @app.after_request
    def count_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        with _lock:
            _requests()[(endpoint, request.method, response.status_code)] += 1
        return response


def _line(name: str, labels: dict[str, str], value: float) -> str:
    shown = ",".join(f'{key}="{val}"' for key, val in sorted(labels.items()))
    return f"{name}{{{shown}}} {value:g}" if shown else f"{name} {value:g}"


@blueprint.get("/metrics")
def metrics() -> Response:
    current = runtime()
    lines = ["# TYPE kring_http_requests_total counter"]
    with _lock:
        lines += [_line("kring_http_requests_total", {"endpoint": endpoint, "method": method, "status": str(status)},
                        number) for (endpoint, method, status), number in sorted(_requests().items())]
    with current.database.session() as session:
        lines += [_line(name, labels, value) for name, labels, value in gauges(session, current.clock.now())]
    try:
        lines.append(_line("kring_queue_depth", {}, current.queue.count))
        lines += [_line(name, {}, value) for name, value in sorted(counters(current.redis).items())]
        lines.append(_line("kring_redis_up", {}, 1))
    except redis.RedisError:
        lines.append(_line("kring_redis_up", {}, 0))
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
