"""The results page for the field: nothing is public until an admin publishes it, unpublishing removes
it, and it holds only what the digests for the field hold; its Atom feed follows the field digests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.storage.models import AuditEntry, Member
from tests.workflows.conftest import Cop, workflow
from tests.workflows.test_pages import csrf_of, sign_in

PUBLIC_URL = "https://kring.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = ("/public/{id}", "/public/{id}/feed.atom", "/public/{id}/summary.md", "/public/{id}/summary.html")
DIGEST = workflow("field-digest", """\
    triggers: [{manual: true}]
    steps:
      - digest: {audience: field}
    """)


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": PUBLIC_URL}


def _statuses(cop: Cop) -> list[int]:
    return [cop.client.get(path.format(id=cop.community_id)).status_code for path in PUBLIC]


def test_nothing_is_public_until_published_and_unpublishing_removes_it(cop: Cop) -> None:
    assert _statuses(cop) == [404] * 4
    assert "Only admins" in cop.command("publish", user="anna")["text"]
    assert _statuses(cop) == [404] * 4
    answer = cop.command("publish")
    assert answer["response_type"] == "in_channel"
    assert f"{PUBLIC_URL}/public/{cop.community_id}/feed.atom" in answer["text"]
    assert _statuses(cop) == [200] * 4
    page = cop.client.get(f"/public/{cop.community_id}")
    assert page.mimetype == "text/html" and page.headers["Cache-Control"] == "public, max-age=60"
    assert "What CoP Water learned" in page.get_data(as_text=True)
    assert "is no longer public" in cop.command("publish off")["text"]
    assert _statuses(cop) == [404] * 4
    assert cop.client.get(f"/public/{cop.community_id + 1}").status_code == 404
    assert cop.client.get("/public/99999999999").status_code == 404
    with cop.runtime.database.session() as session:
        assert [e.action for e in session.scalars(sa.select(AuditEntry))] == ["publish", "unpublish"]


def test_the_page_shows_only_what_the_field_may_see(cop: Cop) -> None:
    with cop.runtime.database.session() as session:
        for name, consent in (("anna", True), ("bram", False)):
            member = session.scalars(sa.select(Member).where(Member.platform_user_id == f"user-{name}")).one()
            member.consent = consent
    cop.command("log My private worry about the budget", user="anna")
    cop.command("coalition add Waterschap Ingenieursbureau <b>shared depot</b>", user="anna")
    cop.command("publish")
    shown = cop.client.get(f"/public/{cop.community_id}").get_data(as_text=True)
    summary = cop.client.get(f"/public/{cop.community_id}/summary.md").get_data(as_text=True)
    for output in (shown, summary):
        assert "My private worry" not in output
    assert "&lt;b&gt;shared depot&lt;/b&gt;" in shown and "<b>shared depot" not in shown
    assert '<link rel="alternate" type="application/atom+xml"' in shown


def test_the_feed_has_an_entry_per_field_digest_with_a_stable_id(cop: Cop) -> None:
    cop.write("field-digest", DIGEST)
    cop.command("enable field-digest")
    cop.command("publish")
    empty = ET.fromstring(cop.client.get(f"/public/{cop.community_id}/feed.atom").data)
    assert empty.tag == f"{ATOM}feed" and empty.findall(f"{ATOM}entry") == []
    assert empty.find(f"{ATOM}title").text == "Results of CoP Water"  # type: ignore[union-attr]
    ids = []
    for _ in range(2):
        cop.command("run field-digest")
        cop.advance(timedelta(days=1))
        feed = ET.fromstring(cop.client.get(f"/public/{cop.community_id}/feed.atom").data)
        ids.append([entry.find(f"{ATOM}id").text for entry in feed.findall(f"{ATOM}entry")])  # type: ignore[union-attr]
    assert len(ids[0]) == 1 and len(ids[1]) == 2 and ids[1][1] == ids[0][0]  # newest first; ids kept
    assert all(re.fullmatch(rf"{PUBLIC_URL}/public/{cop.community_id}/digest/\d+", entry_id or "")
               for entry_id in ids[1])
    content = feed.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.get("type") == "html" and "<h3>" in (content.text or "")


def test_the_community_page_publishes_and_takes_down_with_its_csrf_token(cop: Cop) -> None:
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/community")
    assert "Publish the results page" in page.get_data(as_text=True)
    refused = cop.client.post(f"/pages/{cop.community_id}/publish", data={"on": "1"})
    assert refused.status_code == 403 and _statuses(cop) == [404] * 4
    done = cop.client.post(f"/pages/{cop.community_id}/publish", data={"on": "1", "csrf": csrf_of(page)})
    assert done.status_code == 303 and _statuses(cop) == [200] * 4
    after = cop.client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The results page is public" in after and "Take the results page down" in after
    cop.client.post(f"/pages/{cop.community_id}/publish", data={"on": "", "csrf": csrf_of(page)})
    assert _statuses(cop) == [404] * 4


def test_a_dutch_page_and_feed(cop: Cop) -> None:
    from plugin.storage.models import Community

    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).language = "nl"
    assert "is nu openbaar" in cop.command("publish")["text"]
    page = cop.client.get(f"/public/{cop.community_id}").get_data(as_text=True)
    assert '<html lang="nl">' in page and "Wat CoP Water leerde" in page
    feed = ET.fromstring(cop.client.get(f"/public/{cop.community_id}/feed.atom").data)
    assert feed.find(f"{ATOM}title").text == "Resultaten van CoP Water"  # type: ignore[union-attr]
