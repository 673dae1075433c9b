"""One blueprint per connector: read the request, let the connector verify and parse it, hand the
event to intake, and return the connector's answer. Nothing here knows a platform."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, jsonify, request

from plugin.errors import NotVerified
from plugin.intake import take
from plugin.platforms.connector import Connector
from plugin.platforms.inbound import InboundRequest
from webhooks.context import runtime


def _receive(platform: str, endpoint: str) -> Response:
    current = runtime()
    connector = current.connector(platform)
    inbound = InboundRequest(endpoint=endpoint, headers=dict(request.headers), body=request.get_data(cache=True),
                             mimetype=request.mimetype, form=request.form.to_dict())
    stored = partial(current.installations.get, platform)
    try:
        received = connector.receive(inbound, stored)
    except NotVerified:
        if not current.installations.reread(platform):  # a credential installed since this process read them
            raise
        received = connector.receive(inbound, stored)
    answer = received.answer or connector.answer(received, take(current, received))
    response = jsonify(answer.body)
    response.status_code = answer.status
    return response


def blueprint_for(connector: type[Connector]) -> Blueprint:
    """`POST /<platform>/<endpoint>` for each endpoint the connector declares."""
    blueprint = Blueprint(connector.name, __name__, url_prefix=f"/{connector.name}")
    for endpoint in connector.endpoints:
        def view(platform: str = connector.name, name: str = endpoint.name) -> Response:
            return _receive(platform, name)

        blueprint.add_url_rule(f"/{endpoint.name}", endpoint.name, view, methods=["POST"])
    return blueprint
