"""Kring's own HTTP interface as OpenAPI 3.0, served at `GET /openapi.json`.

The request bodies are derived from the marshmallow schemas that validate them, so the description
cannot drift from what the endpoints accept; a test checks that every route is described.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, fields, validate

import plugin
from webhooks import schemas

blueprint = Blueprint("openapi", __name__)

_FIELD_TYPES: tuple[tuple[type[fields.Field[Any]], dict[str, Any]], ...] = (
    (fields.URL, {"type": "string", "format": "uri"}),
    (fields.String, {"type": "string"}),
    (fields.Integer, {"type": "integer"}),
    (fields.Boolean, {"type": "boolean"}),
    (fields.Dict, {"type": "object"}),
)


def field_schema(field: fields.Field[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = next((dict(s) for kind, s in _FIELD_TYPES if isinstance(field, kind)), {})
    validators = field.validators if isinstance(field.validators, list) else [field.validators]
    for validator in validators:
        if isinstance(validator, validate.Length):
            if validator.min is not None:
                schema["minLength"] = validator.min
            if validator.max is not None:
                schema["maxLength"] = validator.max
    if field.allow_none:
        schema["nullable"] = True
    return schema


def object_schema(schema: Schema, description: str | None = None) -> dict[str, Any]:
    properties = {f.data_key or name: field_schema(f) for name, f in schema.fields.items()}
    required = sorted(f.data_key or name for name, f in schema.fields.items() if f.required)
    result: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": True}
    if required:
        result["required"] = required
    if description:
        result["description"] = description
    return result


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
REFUSALS = {
    "400": {"description": "The body does not fit the schema; the answer names every bad field.",
            "content": _json(ERROR)},
    "401": {"description": "A wrong or missing token, signature or signed context.", "content": _json(ERROR)},
    "413": {"description": "The body is larger than KRING_MAX_BODY_BYTES.", "content": _json(ERROR)},
    "415": {"description": "A content type the endpoint does not take.", "content": _json(ERROR)},
}


def _post(summary: str, content: dict[str, Any], answer: str, parameters: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "requestBody": {"required": True, "content": content},
                                 "responses": {"200": {"description": answer, "content": _json({"type": "object"})},
                                               **REFUSALS}}
    if parameters:
        operation["parameters"] = parameters
    return {"post": operation}


def _header(name: str, description: str, required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description,
            "schema": {"type": "string", "maxLength": 256}}


def document() -> dict[str, Any]:
    command = object_schema(schemas.SlashCommandSchema())
    outgoing = object_schema(schemas.OutgoingWebhookSchema())
    discourse_body = {"type": "object", "description": "A Discourse webhook body: one object named after its "
                      "type, e.g. `post` (its fields as below) or `group`, `user`, `ping`.",
                      "properties": {"post": object_schema(schemas.DiscoursePostSchema())}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kring", "version": plugin.__version__,
                 "description": "The webhook endpoints Mattermost and Discourse call (see manifest.json)."},
        "paths": {
            "/healthz": {"get": {"summary": "Liveness and readiness: database and Redis.",
                                 "responses": {"200": {"description": "Ready.", "content": _json({"type": "object"})},
                                               "503": {"description": "Not ready.",
                                                       "content": _json({"type": "object"})}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics.", "responses": {"200": {
                "description": "Text exposition format.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "This description.", "responses": {"200": {
                "description": "OpenAPI 3.0.", "content": _json({"type": "object"})}}}},
            "/mattermost/command": _post("A `/cop` slash command (token-checked).",
                                         {"application/x-www-form-urlencoded": {"schema": command}},
                                         "The answer, ephemeral or in the channel."),
            "/mattermost/outgoing": _post("An outgoing-webhook post in a public channel (token-checked).",
                                          {"application/x-www-form-urlencoded": {"schema": outgoing},
                                           **_json(outgoing)}, "Recorded."),
            "/mattermost/action": _post("A button click; its context must be signed by Kring.",
                                        _json(object_schema(schemas.MattermostActionSchema())),
                                        "What the click did, as an ephemeral text."),
            "/mattermost/dialog": _post("A dialog submission; its state must be signed by Kring.",
                                        _json(object_schema(schemas.MattermostDialogSchema())),
                                        "Field errors, or nothing when recorded."),
            "/discourse/webhook": _post(
                "A Discourse webhook, verified by its HMAC-SHA256 signature and deduplicated by event id.",
                _json(discourse_body), "Recorded (or a duplicate).",
                [_header("X-Discourse-Event-Signature", "sha256=<hex HMAC-SHA256 of the body>"),
                 _header("X-Discourse-Event-Id", "The delivery's id (redeliveries repeat it)."),
                 _header("X-Discourse-Event", "The event, e.g. post_created.")]),
        },
    }


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())
