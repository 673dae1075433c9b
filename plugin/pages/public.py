"""The results page for the field (toolbox step 8, "vergroten effect": results reach the trade through
its own channels): public only while an admin has published it.

It holds the field's digest as it stands — the domain statement, what the CoP decided, its experiments
and coalitions, the charts — with the digests' consent and anonymity rules (nothing about one member
who did not consent, no result of an anonymous poll with too few votes). Newsletters and sites follow
its Atom feed (one entry per field digest in the archive, built with feedgen); a trade journal takes
its summary as Markdown or HTML.
"""

from __future__ import annotations

import html
from datetime import datetime

import sqlalchemy as sa
from feedgen.feed import FeedGenerator
from sqlalchemy.orm import Session

from plugin.digests.charts import all_charts
from plugin.digests.content import FIELD, DigestContent, build, community_now
from plugin.digests.render import Rendered, render, sections
from plugin.storage.audit import audit
from plugin.storage.models import Community, Digest
from plugin.texts import text

#: How many field digests the feed carries (newest first).
FEED_ENTRIES = 20


def public_path(community_id: int) -> str:
    return f"/public/{community_id}"


def published(session: Session, community_id: int) -> Community | None:
    """The community when its results page is published, else None (a 404 either way)."""
    community = session.get(Community, community_id)
    return community if community is not None and community.published_at is not None else None


def set_published(session: Session, community: Community, on: bool, *, actor: str, now: datetime) -> None:
    """Publish the results page (``on``) or take it down, in the audit log as ``actor``'s."""
    community.published_at = now if on else None
    audit(session, actor=actor, action="publish" if on else "unpublish", now=now, community_id=community.id)


def field_content(session: Session, community: Community, now: datetime) -> DigestContent:
    return build(session, community, FIELD, None, community_now(session, community, now))


def summary(content: DigestContent) -> Rendered:
    """The press-ready summary: the field digest as Markdown and as HTML, its charts inline."""
    return render(content, all_charts(content))


def _fragment(content: DigestContent) -> str:
    """A field digest as a small HTML fragment for a feed reader (no charts: readers fetch no data URIs)."""
    parts = []
    for section in sections(content, {}):
        parts.append(f"<h3>{html.escape(section.title)}</h3>")
        parts += [f"<p>{html.escape(line)}</p>" for line in section.lines]
    return "\n".join(parts)


def atom_feed(session: Session, community: Community, base_url: str) -> bytes:
    """The community's field digests as an Atom feed, newest first; each entry keeps its id for good."""
    page = base_url.rstrip("/") + public_path(community.id)
    feed = FeedGenerator()
    feed.id(page)
    feed.title(text("public.feed.title", community.language, name=community.name))
    feed.link(href=page, rel="alternate")
    feed.link(href=f"{page}/feed.atom", rel="self")
    feed.language(community.language)
    feed.author(name=community.name)
    digests = list(session.scalars(sa.select(Digest).where(Digest.community_id == community.id,
                                                           Digest.audience == FIELD)
                                   .order_by(Digest.created_at.desc(), Digest.id.desc()).limit(FEED_ENTRIES)))
    feed.updated(digests[0].created_at if digests else community.published_at or community.created_at)
    for digest in reversed(digests):  # feedgen puts the entry added last first
        content = DigestContent.from_dict(digest.content)
        entry = feed.add_entry()
        entry.id(f"{page}/digest/{digest.id}")
        entry.title(text("public.feed.entry", community.language, name=community.name,
                         date=digest.created_at.date().isoformat()))
        entry.link(href=page)
        entry.updated(digest.created_at)
        entry.published(digest.created_at)
        entry.content(_fragment(content), type="html")
    result: bytes = feed.atom_str(pretty=True)
    return result
