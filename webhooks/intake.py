"""Reading a request's JSON body, with a clear 400 for anything that is not a JSON object."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from webhooks.errors import BadPayload


def json_body() -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying what is wrong with it."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadPayload(f"The body is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(body, dict):
        raise BadPayload("The body must be a JSON object.")
    return body
