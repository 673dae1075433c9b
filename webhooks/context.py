"""Access to the running app's :class:`Runtime` from inside a request."""

from __future__ import annotations

from flask import current_app

from plugin.runtime import Runtime

EXTENSION_KEY = "kring"


def runtime() -> Runtime:
    result: Runtime = current_app.extensions[EXTENSION_KEY]
    return result
