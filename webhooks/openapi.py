"""Kring's own HTTP interface as OpenAPI 3.0, served at `GET /openapi.json`.

The request bodies are derived from the marshmallow schemas that validate them, so the description
cannot drift from what the endpoints accept; a test checks that every route is described.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, jsonify
from marshmallow import Schema

import plugin
from plugin.platforms.connector import Connector
from plugin.platforms.inbound import EndpointDoc
from plugin.platforms.registry import CONNECTORS
from webhooks import pages, public
from webhooks.context import runtime

blueprint = Blueprint("openapi", __name__)

#: Turns the marshmallow schemas that validate the bodies into JSON Schema (apispec's plugin).
_converter = MarshmallowPlugin()
_converter.init_spec(APISpec("Kring", plugin.__version__, "3.0.3", plugins=[_converter]))


def object_schema(schema: Schema) -> dict[str, Any]:
    """The JSON Schema of a body ``schema`` accepts; fields Kring ignores may come along (a platform
    sends more than Kring reads)."""
    assert _converter.converter is not None
    converted: dict[str, Any] = _converter.converter.schema2jsonschema(schema)  # type: ignore[no-untyped-call]
    return {**converted, "additionalProperties": True}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
REFUSALS = {
    400: "The body does not fit the schema; the answer names every bad field.",
    401: "A wrong or missing token or signature.",
    403: "A signed context or state that is forged, expired or replayed.",
    413: "The body is larger than KRING_MAX_BODY_BYTES.",
    415: "A content type the endpoint does not take.",
}


def _header(name: str, description: str, required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description,
            "schema": {"type": "string", "maxLength": 256}}


def _body(endpoint: EndpointDoc) -> dict[str, Any]:
    if endpoint.schema is not None:
        return object_schema(endpoint.schema)
    body: dict[str, Any] = {"type": "object",
                            "properties": {name: object_schema(schema) for name, schema in endpoint.nested}}
    if endpoint.body_description:
        body["description"] = endpoint.body_description
    return body


def _operation(endpoint: EndpointDoc) -> dict[str, Any]:
    body = _body(endpoint)
    responses: dict[str, Any] = {"200": {"description": endpoint.answer, "content": _json({"type": "object"})}}
    responses.update({str(status): {"description": REFUSALS[status], "content": _json(ERROR)}
                      for status in endpoint.refusals})
    operation: dict[str, Any] = {"summary": endpoint.summary, "requestBody": {
        "required": True, "content": {kind: {"schema": body} for kind in endpoint.content_types}},
        "responses": responses}
    if endpoint.headers:
        operation["parameters"] = [_header(name, description) for name, description in endpoint.headers]
    return {"post": operation}


def connector_paths(connectors: list[type[Connector]]) -> dict[str, Any]:
    return {f"/{connector.name}/{endpoint.name}": _operation(endpoint)
            for connector in connectors for endpoint in connector.endpoints}


def document(connectors: list[type[Connector]] | None = None) -> dict[str, Any]:
    """The description of Kring's endpoints: its own, and those of ``connectors`` (default: all known)."""
    spec = APISpec("Kring", plugin.__version__, "3.0.3",
                   info={"description": "The webhook endpoints Mattermost and Discourse call (see manifest.json)."})
    paths: dict[str, Any] = {
        "/healthz": {"get": {"summary": "Liveness and readiness: database and Redis.",
                             "responses": {"200": {"description": "Ready.", "content": _json({"type": "object"})},
                                           "503": {"description": "Not ready.",
                                                   "content": _json({"type": "object"})}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics, with `Authorization: Bearer <KRING_METRICS_TOKEN>`.",
                             "responses": {"200": {"description": "Text exposition format.",
                                                   "content": {"text/plain": {"schema": {"type": "string"}}}},
                                           "401": {"description": "No token, a wrong one, or none configured.",
                                                   "content": _json({"type": "object"})}}}},
        "/calendar/{community_id}/{token}.ics": {"get": {
            "summary": "A community's meetings as an iCalendar feed; the token is the secret part of the address.",
            "parameters": [{"name": "community_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                           {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "iCalendar (RFC 5545).",
                                  "content": {"text/calendar": {"schema": {"type": "string"}}}},
                          "404": {"description": "No such community, or not its token."}}}},
        "/openapi.json": {"get": {"summary": "This description.", "responses": {"200": {
            "description": "OpenAPI 3.0.", "content": _json({"type": "object"})}}}},
        **pages.OPENAPI_PATHS,
        **public.OPENAPI_PATHS,
        **connector_paths(list(CONNECTORS.values()) if connectors is None else connectors),
    }
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document([type(connector) for connector in runtime().connectors.values()]))
