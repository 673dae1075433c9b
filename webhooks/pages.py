"""The organiser pages over HTTP (:mod:`plugin.pages`): sign in with a `/cop dashboard` link, then a
session cookie (HttpOnly, SameSite=Lax, Secure behind https, 8 hours); every form carries the session's
CSRF token, and every request checks again that the member still organises the community.

A refused page is HTML too (a person reads it), with 403 for a link or a session that does not sign
anyone in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, redirect, request, session
from sqlalchemy.orm import Session

from plugin.cop.member_data import member_record
from plugin.digests.charts import all_charts
from plugin.digests.content import DigestContent
from plugin.digests.render import render as render_digest
from plugin.exports.record import community_record
from plugin.pages import render
from plugin.pages.access import organiser
from plugin.pages.actions import ACTIONS, Acting
from plugin.pages.links import ORGANISER, LinkRefused, SignIn, read_link, use_up
from plugin.pages.views import PAGES, Reading
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.storage.communities import current_member
from plugin.storage.models import Community, Digest, Member
from plugin.storage.numbers import MAX_INT
from webhooks.context import runtime

blueprint = Blueprint("pages", __name__)
SESSION_LIFETIME = timedelta(hours=8)

_HTML: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
_COMMUNITY: dict[str, Any] = {"name": "community_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _form(*fields: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": list(fields), "properties": {name: {"type": "string"} for name in fields}}}}}


def _answers(ok: str, ok_status: str = "200") -> dict[str, Any]:
    return {ok_status: {"description": ok, "content": _HTML if ok_status == "200" else {}},
            "403": {"description": "Not signed in: the link or session is not valid, or the form's CSRF token is "
                                   "wrong (a page says why).", "content": _HTML}}


#: The pages' part of `GET /openapi.json`.
OPENAPI_PATHS: dict[str, Any] = {
    "/pages/login": {
        "get": {"summary": "A `/cop dashboard` link opened: a button that signs in (uses nothing up).",
                "parameters": [{"name": "t", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": _answers("The sign-in page.")},
        "post": {"summary": "Sign in: uses the link up and starts a session cookie.", "requestBody": _form("t"),
                 "responses": _answers("Signed in: to the community page.", "303")}},
    "/pages/{community_id}/{page}": {"get": {
        "summary": "An organiser page: community, calendar, results, digests or workflows.",
        "parameters": [_COMMUNITY, {"name": "page", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {**_answers("The page."), "404": {"description": "No such page.", "content": _HTML}}}},
    "/pages/{community_id}/export.json": {"get": {
        "summary": "The community's record as `kring export --format json` writes it (plugin/exports/schema.json).",
        "parameters": [_COMMUNITY], "responses": {
            "200": {"description": "The record.", "content": {"application/json": {"schema": {"type": "object"}}}},
            "403": {"description": "Not signed in.", "content": _HTML}}}},
    "/pages/{community_id}/me": {"get": {
        "summary": "A member's own page (after a `/cop notes` link): everything Kring holds about them.",
        "parameters": [_COMMUNITY], "responses": _answers("The page.")}},
    "/pages/{community_id}/digest/{digest_id}": {"get": {
        "summary": "An archived digest as its audience received it.",
        "parameters": [_COMMUNITY, {"name": "digest_id", "in": "path", "required": True,
                                    "schema": {"type": "integer"}}],
        "responses": {**_answers("The digest."), "404": {"description": "No such digest here.", "content": _HTML}}}},
    "/pages/{community_id}/{action}": {"post": {
        "summary": "A page's button: `retry` (a given-up message, as `kring outbox retry`), `publish` (`on=1`, as "
                   "`/cop publish`), `move` (`meeting`, `date`, `time`, as `/cop meeting move`), `enable` "
                   "(`workflow`, `settings`), `ask` (`kind`, `target`: a cancellation or a disable, to confirm), "
                   "`confirm` and `undo` (`planned`).",
        "parameters": [_COMMUNITY, {"name": "action", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": _form("csrf"),
        "responses": {**_answers("Back to the page, which says what happened.", "303"),
                      "404": {"description": "No such action.", "content": _HTML}}}},
    "/pages/logout": {"post": {"summary": "End the session.", "requestBody": _form("csrf"),
                               "responses": _answers("Signed out.")}},
}


def _session_key(secret_key: str) -> str:
    """The cookie's signing key, derived so that it differs from every other use of KRING_SECRET_KEY."""
    return hmac.new(secret_key.encode(), b"kring-pages-session", hashlib.sha256).hexdigest()


def init_app(app: Flask, current: Runtime) -> None:
    config = current.config
    app.secret_key = _session_key(config.secret_key)
    app.config.update(
        SECRET_KEY_FALLBACKS=[_session_key(key) for key in config.previous_secret_keys],
        SESSION_COOKIE_NAME="kring_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=(config.public_url or "").startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME)
    app.register_blueprint(blueprint)


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/html", headers={
        "Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                   "form-action 'self'; frame-ancestors 'none'"})


def _refused(language: str, key: str, status: int = 403) -> Response:
    return _html(render.message(language, "pages.refused.title", key), status)


def _not_found(language: str) -> Response:
    """No such page, digest or action here."""
    return _html(render.message(language, "pages.refused.title", "pages.none"), 404)


def _signing_in(token: str, then: Callable[[Session, Community, Member, SignIn], Response]) -> Response:
    """``then`` for the member the link signs in, where, still allowed there; or the page that says why not."""
    current = runtime()
    try:
        sign_in = read_link(current.signer, token, current.clock.now())
    except LinkRefused as refused:
        return _refused(current.config.language, f"pages.link.{refused.reason}")
    with current.database.session() as db:
        community = db.get(Community, sign_in.community_id)
        allowed = organiser if sign_in.purpose == ORGANISER else current_member
        member = allowed(db, sign_in.community_id, sign_in.user_id) if community is not None else None
        if community is None or member is None:
            return _refused(community.language if community else current.config.language,
                            "pages.link.not_organiser")
        return then(db, community, member, sign_in)


@blueprint.get("/pages/login")
def login_form() -> Response:
    """The link opened: a button to sign in (a link preview that fetches the address uses nothing up)."""
    token = request.args.get("t", "")
    return _signing_in(token, lambda db, community, member, sign_in: _html(
        render.login(community.language, community.name, member.name, token)))


@blueprint.post("/pages/login")
def login() -> Response:
    return _signing_in(request.form.get("t", ""), _start_session)


def _start_session(db: Session, community: Community, member: Member, sign_in: SignIn) -> Response:
    """Use the link up and start the session: a new one (nothing of an earlier one is kept)."""
    try:
        use_up(db, sign_in, runtime().clock.now())
    except LinkRefused as refused:
        return _refused(community.language, f"pages.link.{refused.reason}")
    session.clear()
    session.update(community=community.id, user=member.platform_user_id, csrf=secrets.token_urlsafe(24))
    session.permanent = True
    start = "community" if sign_in.purpose == ORGANISER else "me"
    return redirect(render.page_url(community.id, start), 303)  # type: ignore[return-value]


def _signed_in(db: Session, community_id: int) -> tuple[Community, Member] | None:
    if session.get("community") != community_id:
        return None
    community = db.get(Community, community_id)
    member = organiser(db, community_id, str(session.get("user"))) if community is not None else None
    return (community, member) if community is not None and member is not None else None


def _csrf_ok() -> bool:
    expected, given = session.get("csrf"), request.form.get("csrf", "")
    return isinstance(expected, str) and hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


@blueprint.get("/pages/<int:community_id>/me")
def own_page(community_id: int) -> Response:
    """A member's own page: everything Kring holds about them, their private notes included — for them alone."""
    current = runtime()
    with current.database.session() as db:
        community = db.get(Community, community_id) if session.get("community") == community_id else None
        member = current_member(db, community_id, str(session.get("user"))) if community is not None else None
        if community is None or member is None:
            return _refused(current.config.language, "pages.session.missing")
        lines = member_record(db, member, community.language)
        return _html(render.own_page(community.language, community.name, lines, csrf=str(session["csrf"]),
                                     member_name=member.name))


@blueprint.get("/pages/<int:community_id>/<page>")
def show(community_id: int, page: str) -> Response:
    current = runtime()
    with current.database.session() as db:
        found = _signed_in(db, community_id)
        if found is None:
            return _refused(current.config.language, "pages.session.missing")
        community, member = found
        if page not in PAGES:
            return _not_found(community.language)
        blocks = PAGES[page](Reading(db, community, current.clock.now(), current.config.secret_key,
                                     member.platform_user_id))
        return _html(render.page(community.language, community.id, community.name, page, blocks, csrf=str(
            session["csrf"]), member_name=member.name, notice=session.pop("notice", None)))


@blueprint.get("/pages/<int:community_id>/export.json")
def download(community_id: int) -> Response:
    """The community's record, as `kring export --format json` writes it."""
    current = runtime()
    with current.database.session() as db:
        found = _signed_in(db, community_id)
        if found is None:
            return _refused(current.config.language, "pages.session.missing")
        record = community_record(db, found[0], current.clock.now())
    return Response(json.dumps(record, indent=2, ensure_ascii=False), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="kring-community-{community_id}.json"',
        "Cache-Control": "no-store"})


@blueprint.get("/pages/<int:community_id>/digest/<int:digest_id>")
def preview(community_id: int, digest_id: int) -> Response:
    """An archived digest as its audience received it (HTML, charts inline)."""
    current = runtime()
    with current.database.session() as db:
        found = _signed_in(db, community_id)
        if found is None:
            return _refused(current.config.language, "pages.session.missing")
        digest = db.get(Digest, digest_id) if digest_id <= MAX_INT else None
        if digest is None or digest.community_id != community_id:
            return _not_found(found[0].language)
        content = DigestContent.from_dict(digest.content)
    return _html(render_digest(content, all_charts(content)).html)


@blueprint.post("/pages/<int:community_id>/<action>")
def act(community_id: int, action: str) -> Response:
    """A button on a page (:mod:`plugin.pages.actions`): checked, done, and the page shown again with
    what happened."""
    current = runtime()
    with unit_of_work(current) as db:
        found = _signed_in(db, community_id)
        if found is None:
            return _refused(current.config.language, "pages.session.missing")
        community, member = found
        if not _csrf_ok():
            return _refused(community.language, "pages.csrf")
        chosen = ACTIONS.get(action)
        if chosen is None:
            return _not_found(community.language)
        done = chosen(Acting(db, community, member, current.clock.now(), current.config), request.form)
        session["notice"] = done.notice
    return redirect(render.page_url(community_id, done.page), 303)  # type: ignore[return-value]


@blueprint.post("/pages/logout")
def logout() -> Response:
    current = runtime()
    if not _csrf_ok():
        return _refused(current.config.language, "pages.csrf")
    session.clear()
    return _html(render.message(current.config.language, "pages.sign_out", "pages.signed_out"))
