"""`GET /healthz`: is the database reachable, and Redis? 503 when either is not."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from webhooks.context import runtime

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    current = runtime()
    checks: dict[str, str] = {}
    for name, ping in (("database", current.database.ping), ("redis", current.redis.ping)):
        try:
            ping()
            checks[name] = "ok"
        except Exception as exc:
            log.warning("health: %s unavailable: %s", name, type(exc).__name__)
            checks[name] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    response = jsonify({"status": "ok" if healthy else "unavailable", **checks})
    response.status_code = 200 if healthy else 503
    return response
