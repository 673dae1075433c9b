"""Every error the edge answers is JSON with a message a person can act on; never an HTML page."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)


class BadPayload(HTTPException):
    """The request was understood but its content is invalid; ``fields`` names each problem."""

    code = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class Unauthorised(HTTPException):
    code = 401


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

    @app.errorhandler(BadPayload)
    def bad_payload(exc: BadPayload) -> Response:
        return error_response(400, "bad_request", exc.description or "Invalid request.", fields=exc.fields)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        name = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, name, exc.description or name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error while handling a request")
        return error_response(500, "internal_error", "Kring hit an unexpected error; it was logged.")
