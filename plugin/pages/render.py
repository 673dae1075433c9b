"""The organiser pages as HTML: Jinja2 templates (autoescaped: every name and note a member wrote is
data) laid out around the blocks of :mod:`plugin.pages.views`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plugin.pages.views import PAGES, Block
from plugin.texts import text

_environment = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(["html.j2"]), trim_blocks=True, lstrip_blocks=True)


def page_url(community_id: int, page: str) -> str:
    return f"/pages/{community_id}/{page}"


def _frame(language: str, title: str, heading: str | None = None, nav: list[dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    return {"language": language, "title": title, "heading": heading, "nav": nav or [],
            "skip": text("pages.skip", language)}


def page(language: str, community_id: int, community_name: str, shown: str, blocks: list[Block], *,
         csrf: str, member_name: str, notice: str | None = None) -> str:
    nav = [{"url": page_url(community_id, name), "label": text(f"pages.title.{name}", language),
            "current": name == shown} for name in PAGES]
    return _environment.get_template("page.html.j2").render(
        **_frame(language, text(f"pages.title.{shown}", language),
                 text("pages.heading", language, community=community_name), nav),
        blocks=blocks, notice=notice, csrf=csrf, empty=text("pages.none", language),
        base_url=f"/pages/{community_id}",
        signed_in_as=text("pages.signed_in_as", language, name=member_name),
        sign_out=text("pages.sign_out", language), sign_out_url="/pages/logout")


def own_page(language: str, community_name: str, lines: list[str], *, csrf: str, member_name: str) -> str:
    """A member's own page: their record, no navigation to pages they may not see."""
    return _environment.get_template("page.html.j2").render(
        **_frame(language, text("pages.title.me", language), community_name),
        blocks=[Block(text("pages.me.what", language), lines)], notice=None, csrf=csrf, empty="",
        base_url="", signed_in_as=text("pages.signed_in_as", language, name=member_name),
        sign_out=text("pages.sign_out", language), sign_out_url="/pages/logout")


def login(language: str, community_name: str, member_name: str, token: str) -> str:
    return _environment.get_template("login.html.j2").render(
        **_frame(language, text("pages.login.title", language)), login_url="/pages/login", token=token,
        intro=text("pages.login.intro", language, community=community_name, name=member_name),
        button=text("pages.login.button", language))


def message(language: str, title_key: str, message_key: str) -> str:
    return _environment.get_template("message.html.j2").render(
        **_frame(language, text(title_key, language)), message=text(message_key, language))


def public_page(language: str, community_name: str, path: str, blocks: list[Block]) -> str:
    feed_title = text("public.feed.title", language, name=community_name)
    return _environment.get_template("public.html.j2").render(
        **_frame(language, text("public.title", language, name=community_name)), blocks=blocks,
        intro=text("public.intro", language, name=community_name), feed_title=feed_title,
        feed_url=f"{path}/feed.atom", summary_md=f"{path}/summary.md", summary_html=f"{path}/summary.html",
        summary_label=text("public.summary", language), colophon=text("public.colophon", language))
