"""`/public/<community>`: the results page for the field, its Atom feed and its press summary — a 404,
like a community that does not exist, until an admin publishes it and again once they take it down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response
from sqlalchemy.orm import Session

from plugin.pages import public, render
from plugin.pages.views import digest_blocks
from plugin.runtime import Runtime
from plugin.storage.models import Community
from plugin.storage.numbers import MAX_INT
from webhooks.context import runtime

blueprint = Blueprint("public", __name__)
#: Newsletters and sites may cache a page for a minute: a page taken down is gone within that.
CACHE = {"Cache-Control": "public, max-age=60"}


def _not_published() -> Response:
    language = runtime().config.language
    return Response(render.message(language, "public.missing.title", "public.missing"), status=404,
                    mimetype="text/html")


def _published(community_id: int, shown: Callable[[Session, Community, Runtime], tuple[str | bytes, str]]
               ) -> Response:
    """What ``shown`` makes of a published community (a body and its type), or the 404 of one that is not."""
    current = runtime()
    with current.database.session() as db:
        community = public.published(db, community_id) if community_id <= MAX_INT else None
        if community is None:
            return _not_published()
        body, mimetype = shown(db, community, current)
    return Response(body, mimetype=mimetype, headers=CACHE)


@blueprint.get("/public/<int:community_id>")
def page(community_id: int) -> Response:
    return _published(community_id, lambda db, community, current: (render.public_page(
        community.language, community.name, public.public_path(community.id),
        digest_blocks(public.field_content(db, community, current.clock.now()))), "text/html"))


@blueprint.get("/public/<int:community_id>/feed.atom")
def feed(community_id: int) -> Response:
    return _published(community_id, lambda db, community, current: (public.atom_feed(
        db, community, current.config.public_url or "http://localhost"), "application/atom+xml"))


@blueprint.get("/public/<int:community_id>/summary.md")
def summary_markdown(community_id: int) -> Response:
    return _published(community_id, lambda db, community, current: (public.summary(
        public.field_content(db, community, current.clock.now())).markdown, "text/markdown"))


@blueprint.get("/public/<int:community_id>/summary.html")
def summary_html(community_id: int) -> Response:
    return _published(community_id, lambda db, community, current: (public.summary(
        public.field_content(db, community, current.clock.now())).html, "text/html"))


def _get(summary_text: str, content_type: str) -> dict[str, Any]:
    return {"get": {"summary": summary_text, "parameters": [
        {"name": "community_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Published.", "content": {content_type: {"schema": {"type": "string"}}}},
                      "404": {"description": "Not published (or no such community).",
                              "content": {"text/html": {"schema": {"type": "string"}}}}}}}


#: The public part of `GET /openapi.json`.
OPENAPI_PATHS: dict[str, Any] = {
    "/public/{community_id}": _get("The results page for the field, once an admin published it.", "text/html"),
    "/public/{community_id}/feed.atom": _get("Its Atom feed: one entry per field digest.", "application/atom+xml"),
    "/public/{community_id}/summary.md": _get("The press summary as Markdown.", "text/markdown"),
    "/public/{community_id}/summary.html": _get("The press summary as HTML.", "text/html"),
}
