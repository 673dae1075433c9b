"""Every error the edge answers is JSON with a message a person can act on; never an HTML page."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from plugin.errors import InboundRefused

log = logging.getLogger(__name__)


def error_response(status: int, error: str, message: str, **extra: object) -> Response:
    response = jsonify({"error": error, "message": message, **extra})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_exc: RequestEntityTooLarge) -> Response:
        limit = app.config["MAX_CONTENT_LENGTH"]
        return error_response(413, "payload_too_large",
                              f"The request body is larger than {limit} bytes (KRING_MAX_BODY_BYTES).")

    @app.errorhandler(InboundRefused)
    def refused(exc: InboundRefused) -> Response:
        name = HTTP_STATUS_CODES.get(exc.status, "error").lower().replace(" ", "_")
        extra = {"fields": exc.fields} if exc.status == 400 else {}
        return error_response(exc.status, name, str(exc), **extra)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        name = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, name, exc.description or name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error while handling a request")
        return error_response(500, "internal_error", "Kring hit an unexpected error; it was logged.")
