"""The workflow engine: parses, validates and interprets workflows.

Nothing here imports Flask, Redis or SQLAlchemy; the engine reaches the world only through the
:class:`~plugin.engine.host.Host` protocol, so its tests need no services.
"""
