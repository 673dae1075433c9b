"""A local stand-in for Mattermost and Discourse: a real HTTP server that records what Kring sends it,
answers with bodies shaped like the platforms' own, and can be told to fail. The demo uses it, and
tests wrap it with an OpenAPI check of every request. It is never on Kring's production path."""

from __future__ import annotations

from plugin.demo.standin.discourse import DiscourseRoutes
from plugin.demo.standin.mattermost import MattermostRoutes
from plugin.demo.standin.server import ADMIN_USER_ID, BOT_USER_ID, Failure, RecordedRequest


class StandInPlatform(MattermostRoutes, DiscourseRoutes):
    """Serves the Mattermost and Discourse routes Kring uses, on 127.0.0.1."""


__all__ = ["ADMIN_USER_ID", "BOT_USER_ID", "Failure", "RecordedRequest", "StandInPlatform"]
