"""`GET /calendar/<community>/<token>.ics`: a community's meetings for members' own calendars.

The token is the secret part of the address (:mod:`plugin.cop.calendar_feed`); a wrong one is a 404,
as a community that does not exist, so the address cannot be guessed community by community.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort

from plugin.cop.calendar_feed import calendar_feed, token_is_valid
from plugin.storage.models import Community
from plugin.storage.numbers import MAX_INT
from webhooks.context import runtime

blueprint = Blueprint("calendar", __name__)


@blueprint.get("/calendar/<int:community_id>/<token>.ics")
def feed(community_id: int, token: str) -> Response:
    current = runtime()
    config = current.config
    if community_id > MAX_INT or not token_is_valid((config.secret_key, *config.previous_secret_keys),
                                                   community_id, token):
        abort(404)
    with current.database.session() as session:
        community = session.get(Community, community_id)
        if community is None:
            abort(404)
        body = calendar_feed(session, community, current.clock.now())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="kring-{community_id}.ics"',
        # Calendar apps poll; a few minutes' staleness is fine, and the address is not for shared caches.
        "Cache-Control": "private, max-age=300"})
