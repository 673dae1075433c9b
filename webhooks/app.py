"""The Flask app factory: the only place where the HTTP edge is wired together."""

from __future__ import annotations

from flask import Flask

from plugin.config import Config, load_config
from plugin.runtime import Runtime, build_runtime
from webhooks import calendar, errors, health, metrics, openapi, pages, public
from webhooks.connectors import blueprint_for
from webhooks.context import EXTENSION_KEY


def create_app(config: Config | None = None, runtime: Runtime | None = None) -> Flask:
    """Build the app from ``config`` (default: the environment), or around an existing ``runtime``."""
    if runtime is None:
        runtime = build_runtime(config or load_config())
    app = Flask("kring")
    app.config["MAX_CONTENT_LENGTH"] = runtime.config.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION_KEY] = runtime
    errors.init_app(app)
    metrics.init_app(app, runtime)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(calendar.blueprint)
    pages.init_app(app, runtime)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(metrics.blueprint)
    for connector in runtime.connectors.values():
        app.register_blueprint(blueprint_for(type(connector)))
    app.register_blueprint(openapi.blueprint)
    return app
