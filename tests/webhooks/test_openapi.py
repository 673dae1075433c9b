"""Kring publishes an OpenAPI description of its endpoints; schemathesis generates requests from it
and none may get a server error."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

from tests.conftest import COMMAND_TOKEN
from webhooks.openapi import document


def test_every_route_is_described_and_every_description_is_a_route(app: Flask) -> None:
    routes = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())  # Flask's <int:x> is OpenAPI's {x}
              for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in (rule.methods or ()) - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, item in document()["paths"].items() for method in item}
    assert routes == described


def test_the_description_is_served_and_its_bodies_follow_the_schemas(client: FlaskClient) -> None:
    served = client.get("/openapi.json").get_json()
    assert served["openapi"] == "3.0.3" and served == document()
    command = served["paths"]["/mattermost/command"]["post"]["requestBody"]["content"]
    form = command["application/x-www-form-urlencoded"]["schema"]
    assert {"token", "channel_id", "user_id"} <= set(form["required"])
    assert form["properties"]["text"] == {"type": "string", "default": ""}  # its length: the connector's answer


#: A valid token, so that generated commands reach what lies behind the token check.
TOKENS = {"/mattermost/command": COMMAND_TOKEN}


def test_generated_requests_never_get_a_server_error(app: Flask) -> None:
    """schemathesis generates valid and invalid requests for every operation from the description."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    described = {f"{method.upper()} {path}" for path, item in document()["paths"].items() for method in item}
    assert {operation.label for operation in operations} == described - {"GET /openapi.json"}  # not itself
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def never_a_server_error(case: Any) -> None:
            if isinstance(case.body, dict) and case.path in TOKENS and "token" in case.body:
                case.body["token"] = TOKENS[case.path]  # past the token check, into the commands
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])

        never_a_server_error()
