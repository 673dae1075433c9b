"""The organiser pages over HTTP: a one-time sign-in link from `/cop dashboard`, a session cookie, CSRF
on every form, and a fresh check on every request that the member still organises the community."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.test import TestResponse

from plugin.pages.links import LINK_VALIDITY
from plugin.pages.views import PAGES
from plugin.storage.models import Community, Member, OutboxMessage
from plugin.storage.states import MemberRole, OutboxStatus
from tests.workflows.conftest import Cop

PUBLIC_URL = "https://kring.example.org"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": PUBLIC_URL}


def link(cop: Cop, user: str = "admin") -> str:
    """The sign-in token `/cop dashboard` hands ``user``."""
    answer = cop.command("dashboard", user=user)
    assert answer["response_type"] == "ephemeral"
    found = re.search(rf"{re.escape(PUBLIC_URL)}/pages/login\?t=(\S+)", answer["text"])
    assert found, answer["text"]
    return parse_qs(urlsplit(found[0]).query)["t"][0]


def sign_in(cop: Cop, user: str = "admin") -> TestResponse:
    return cop.client.post("/pages/login", data={"t": link(cop, user)})


def csrf_of(page: TestResponse) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True))
    assert found
    return found[1]


def _set_role(cop: Cop, user: str, role: MemberRole) -> None:
    with cop.runtime.database.session() as session:
        member = session.scalar(sa.select(Member).where(Member.platform_user_id == f"user-{user}"))
        assert member is not None
        member.role = role


def test_a_dashboard_link_signs_an_admin_in_once_with_a_safe_cookie(cop: Cop) -> None:
    token = link(cop)
    for _ in range(2):  # opening the link (or a chat's link preview fetching it) uses nothing up
        opened = cop.client.get(f"/pages/login?t={token}")
        assert opened.status_code == 200 and opened.mimetype == "text/html"
        assert 'method="post" action="/pages/login"' in opened.get_data(as_text=True)
    signed_in = cop.client.post("/pages/login", data={"t": token})
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == f"/pages/{cop.community_id}/community"
    cookie = SimpleCookie(signed_in.headers["Set-Cookie"])["kring_session"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax" and cookie["expires"]
    page = cop.client.get(signed_in.headers["Location"])
    assert page.status_code == 200 and "Anna" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
        "Content-Security-Policy"]
    again = cop.client.post("/pages/login", data={"t": token})
    assert again.status_code == 403 and "has been used already" in again.get_data(as_text=True)


def test_expired_forged_and_foreign_links_are_refused(cop: Cop) -> None:
    token = link(cop)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad, why in ((forged, "not a sign-in link"), ("nonsense!", "not a sign-in link"), ("", "not a sign-in link")):
        refused = cop.client.post("/pages/login", data={"t": bad})
        assert refused.status_code == 403 and why in refused.get_data(as_text=True), bad
    cop.clock.advance(LINK_VALIDITY + timedelta(seconds=1))
    expired = cop.client.post("/pages/login", data={"t": token})
    assert expired.status_code == 403 and "has expired" in expired.get_data(as_text=True)
    assert "Only admins" in cop.command("dashboard", user="anna")["text"]  # a member gets no link


def test_someone_no_longer_an_admin_is_refused_at_sign_in_and_on_every_page(cop: Cop) -> None:
    token = link(cop)
    _set_role(cop, "admin", MemberRole.MEMBER)
    refused = cop.client.post("/pages/login", data={"t": token})
    assert refused.status_code == 403 and "do not organise this community" in refused.get_data(as_text=True)
    _set_role(cop, "admin", MemberRole.ADMIN)
    assert sign_in(cop).status_code == 303
    assert cop.client.get(f"/pages/{cop.community_id}/calendar").status_code == 200
    _set_role(cop, "admin", MemberRole.MEMBER)
    demoted = cop.client.get(f"/pages/{cop.community_id}/calendar")
    assert demoted.status_code == 403 and "not signed in" in demoted.get_data(as_text=True)


def test_a_workflow_admin_signs_in_too(cop: Cop) -> None:
    cop.command("enable facilitators admins=@anna")
    assert sign_in(cop, "anna").status_code == 303
    assert cop.client.get(f"/pages/{cop.community_id}/workflows").status_code == 200


def test_every_page_shows_its_records_escaped_and_no_private_notes(cop: Cop) -> None:
    cop.command("enable cop-lifecycle")
    cop.command("log My private worry about the budget", user="anna")
    cop.command("signal <script>alert(1)</script> Water prices rise", user="bram")
    with cop.runtime.database.session() as session:
        session.scalars(sa.select(Member).where(Member.platform_user_id == "user-chidi")).one().name = "Chidi <b>"
    sign_in(cop)
    shown = {}
    for name in PAGES:
        page = cop.client.get(f"/pages/{cop.community_id}/{name}")
        assert page.status_code == 200, name
        shown[name] = page.get_data(as_text=True)
        assert f'href="/pages/{cop.community_id}/{name}" aria-current="page"' in shown[name]
        assert '<html lang="en">' in shown[name]
        assert "My private worry" not in shown[name] and "<script>" not in shown[name]
        assert not re.search(r">\s*(None|True|False)\s*<", shown[name]), f"a Python value on the {name} page"
    assert "Chidi &lt;b&gt;" in shown["community"] and "Chidi <b>" not in shown["community"]
    assert "2027-01-12 14:00" in shown["calendar"] and "planned" in shown["calendar"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Water prices rise" in shown["results"]  # the journal's signals
    assert "cop-lifecycle" in shown["workflows"]
    assert "Every message was delivered." in shown["digests"]
    assert cop.client.get(f"/pages/{cop.community_id}/secrets").status_code == 404


def test_a_session_is_for_its_own_community_and_ends_on_sign_out(cop: Cop) -> None:
    sign_in(cop)
    assert cop.client.get(f"/pages/{cop.community_id + 1}/community").status_code == 403
    page = cop.client.get(f"/pages/{cop.community_id}/community")
    assert cop.client.post("/pages/logout", data={}).status_code == 403  # no CSRF token: still signed in
    assert cop.client.get(f"/pages/{cop.community_id}/community").status_code == 200
    out = cop.client.post("/pages/logout", data={"csrf": csrf_of(page)})
    assert out.status_code == 200 and "You are signed out" in out.get_data(as_text=True)
    assert cop.client.get(f"/pages/{cop.community_id}/community").status_code == 403


def _given_up(cop: Cop) -> int:
    """A post Kring gave up on: the platform refused it (a 400 is not tried again)."""
    cop.platform.fail_next(400, times=1, path="/api/v4/posts")
    cop.command("intro")
    with cop.runtime.database.session() as session:
        [message_id] = session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.FAILED))
        return message_id


def test_retrying_a_given_up_message_needs_the_sessions_csrf_token(cop: Cop) -> None:
    message_id = _given_up(cop)
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/digests")
    assert f'name="message" value="{message_id}"' in page.get_data(as_text=True)
    for csrf in (None, "guessed", csrf_of(page) + "x"):
        data = {"message": str(message_id), **({"csrf": csrf} if csrf else {})}
        refused = cop.client.post(f"/pages/{cop.community_id}/retry", data=data)
        assert refused.status_code == 403 and "nothing changed" in refused.get_data(as_text=True)
    with cop.runtime.database.session() as session:
        assert session.get_one(OutboxMessage, message_id).status == OutboxStatus.FAILED
    done = cop.client.post(f"/pages/{cop.community_id}/retry", data={"message": str(message_id),
                                                                     "csrf": csrf_of(page)})
    assert done.status_code == 303
    cop.settle()
    with cop.runtime.database.session() as session:
        assert session.get_one(OutboxMessage, message_id).status == OutboxStatus.SENT
    after = cop.client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"Message {message_id} is queued again" in after and "Every message was delivered." in after


def test_a_dutch_community_has_dutch_pages(cop: Cop) -> None:
    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).language = "nl"
    answer = cop.command("dashboard")["text"]
    assert answer.startswith("Je organisatorpagina's van **")
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/calendar").get_data(as_text=True)
    assert '<html lang="nl">' in page and ">Kalender<" in page and "Afmelden" in page


def test_without_a_public_address_the_dashboard_says_what_to_set(cop: Cop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cop.runtime, "config", replace(cop.runtime.config, public_url=None))
    assert "KRING_PUBLIC_URL" in cop.command("dashboard")["text"]


def test_a_forgotten_member_is_on_no_page_by_name(cop: Cop) -> None:
    from plugin.storage.forget import forget_member

    cop.command("enable cop-lifecycle")
    cop.command("signal Water prices rise", user="anna")
    with cop.runtime.database.session() as session:
        anna = session.scalars(sa.select(Member).where(Member.platform_user_id == "user-anna")).one()
        forget_member(session, anna, "Former member 2")
    sign_in(cop)
    pages = [cop.client.get(f"/pages/{cop.community_id}/{name}").get_data(as_text=True) for name in PAGES]
    assert not any("anna" in page.lower() for page in pages)
    assert "Former member 2" in pages[0]


def test_the_calendar_page_links_the_feed_and_moves_a_meeting_as_the_command_does(cop: Cop) -> None:
    from plugin.cop.calendar_feed import feed_path
    from plugin.storage.models import AuditEntry

    cop.command("enable cop-lifecycle")
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/calendar")
    shown = page.get_data(as_text=True)
    assert f'href="{feed_path(cop.runtime.config.secret_key, cop.community_id)}"' in shown
    assert shown.count('name="meeting"') == 14
    labelled = re.findall(r'<label for="([^"]+)">Date</label>\s*<input id="([^"]+)" name="date"', shown)
    assert len(labelled) == 14 and all(label == field for label, field in labelled)
    form = {"csrf": csrf_of(page), "meeting": "2", "date": "2027-02-25", "time": "15:00"}
    assert cop.client.post(f"/pages/{cop.community_id}/move", data={**form, "csrf": "x"}).status_code == 403
    moved = cop.client.post(f"/pages/{cop.community_id}/move", data=form)
    assert moved.status_code == 303 and moved.headers["Location"] == f"/pages/{cop.community_id}/calendar"
    after = cop.client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Meeting 2 is moved to 2027-02-25 15:00" in after and "<td>2027-02-25 15:00</td>" in after
    assert cop.say("meeting list").count("2. 2027-02-25 at 15:00") == 1  # the same calendar as the command's
    refused = cop.client.post(f"/pages/{cop.community_id}/move", data={**form, "date": "25-02-2027"})
    assert "is not a date" in cop.client.get(refused.headers["Location"]).get_data(as_text=True)
    unknown = cop.client.post(f"/pages/{cop.community_id}/explode", data={"csrf": form["csrf"]})
    assert unknown.status_code == 404
    with cop.runtime.database.session() as session:
        assert [e.action for e in session.scalars(sa.select(AuditEntry))].count("meeting.move") == 1


def test_the_digests_page_previews_each_digest_as_it_was_sent(cop: Cop) -> None:
    from tests.workflows.conftest import T, workflow

    cop.write("field-digest", workflow("field-digest", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("ok")}}}
          - digest: {{audience: field}}
        """))
    cop.command("enable field-digest")
    cop.command("run field-digest")
    sign_in(cop)
    shown = cop.client.get(f"/pages/{cop.community_id}/digests").get_data(as_text=True)
    [address] = re.findall(rf'href="(/pages/{cop.community_id}/digest/\d+)"', shown)
    preview = cop.client.get(address)
    assert preview.status_code == 200 and "Results of CoP Water for the field" in preview.get_data(as_text=True)
    assert cop.client.get(f"/pages/{cop.community_id}/digest/999").status_code == 404


def test_a_member_reaches_their_own_page_from_cop_notes_and_nothing_else(cop: Cop) -> None:
    cop.command("log My private worry about the budget", user="anna")
    cop.command("log Bram's own doubt", user="bram")
    answer = cop.command("notes", user="anna")["text"]
    found = re.search(rf"{re.escape(PUBLIC_URL)}/pages/login\?t=(\S+)", answer)
    assert found and "only for you" in answer
    token = parse_qs(urlsplit(found[0]).query)["t"][0]
    signed_in = cop.client.post("/pages/login", data={"t": token})
    assert signed_in.headers["Location"] == f"/pages/{cop.community_id}/me"
    own = cop.client.get(signed_in.headers["Location"]).get_data(as_text=True)
    assert "My private worry about the budget" in own and "Bram&#39;s own doubt" not in own
    assert "<nav" not in own  # no menu of organiser pages
    for name in PAGES:  # a member's link opens no organiser page
        assert cop.client.get(f"/pages/{cop.community_id}/{name}").status_code == 403
    assert cop.client.post("/pages/login", data={"t": token}).status_code == 403  # used once


def _act(cop: Cop, page: TestResponse, action: str, **fields: str) -> str:
    """Post a page's form as the browser would, and the notice on the page it leads to."""
    done = cop.client.post(f"/pages/{cop.community_id}/{action}", data={"csrf": csrf_of(page), **fields})
    assert done.status_code == 303, done.get_data(as_text=True)
    found = re.search(r'<p class="notice" role="status">([^<]*)', cop.client.get(done.headers["Location"])
                      .get_data(as_text=True))
    assert found
    return found[1]


def test_workflows_are_enabled_and_disabled_from_the_page_with_the_confirmation_the_command_asks(cop: Cop) -> None:
    from plugin.workflows.planned import UNDO_WINDOW

    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/workflows")
    assert "Workflow **Facilitators" in _act(cop, page, "enable", workflow="facilitators", settings="pool=all")
    assert "There is no workflow `nope`" in _act(cop, page, "enable", workflow="nope", settings="")
    assert "is not a setting" in _act(cop, page, "enable", workflow="facilitators", settings="pool")
    asked = _act(cop, page, "ask", kind="disable", target="facilitators")
    assert asked.startswith("First confirm disabling the workflow `facilitators`")
    waiting = cop.client.get(f"/pages/{cop.community_id}/workflows").get_data(as_text=True)
    assert 'aria-label="Confirm 1"' in waiting and "Waiting for you" in waiting
    assert _act(cop, page, "confirm", planned="1", kind="disable").startswith("Confirmed: disabling the workflow")
    assert _act(cop, page, "undo", planned="1", kind="disable").startswith("Undone: ")
    cop.advance(UNDO_WINDOW * 2)
    assert re.search(r"<td>facilitators</td><td>[^<]*</td><td>yes</td>", cop.client.get(
        f"/pages/{cop.community_id}/workflows").get_data(as_text=True))
    _act(cop, page, "ask", kind="disable", target="facilitators")
    _act(cop, page, "confirm", planned="2", kind="disable")
    cop.advance(UNDO_WINDOW)
    assert re.search(r"<td>facilitators</td><td>[^<]*</td><td>no</td>", cop.client.get(
        f"/pages/{cop.community_id}/workflows").get_data(as_text=True))
    assert "Workflow `facilitators` is disabled" in cop.texts()[-1]  # announced as after `/cop disable`


def test_a_meeting_is_cancelled_from_the_calendar_page_after_its_confirmation(cop: Cop) -> None:
    from plugin.workflows.planned import UNDO_WINDOW

    cop.command("enable cop-lifecycle")
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/calendar")
    assert 'aria-label="Cancel 3"' in page.get_data(as_text=True)
    assert _act(cop, page, "ask", kind="meeting.cancel", target="3").startswith(
        "First confirm cancelling meeting 3 (Tuesday 6 April 2027)")
    _act(cop, page, "confirm", planned="1", kind="meeting.cancel")
    cop.advance(UNDO_WINDOW)
    assert "cancelled" in cop.client.get(f"/pages/{cop.community_id}/calendar").get_data(as_text=True)
    assert "Meeting 3 is cancelled" in cop.texts()[-1]
