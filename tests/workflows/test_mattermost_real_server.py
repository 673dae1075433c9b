"""What a real Mattermost sends and shows, with its default settings (`real-servers.md`): clicks and
commands in direct messages, dialog states a member can read, refusals Mattermost would hide, a
SiteURL docker gives, long commands, the posts the server makes of Kring's own answers, the bot's
own join, and an install with every option the README shows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.demo.standin import BOT_USER_ID, StandInPlatform
from plugin.intake import take
from plugin.platforms.base import Form, FormField, OutboundPost
from plugin.platforms.inbound import Received
from plugin.platforms.mattermost.listener import Listener
from plugin.queue.jobs import process_inbound_event
from plugin.runtime import build_runtime
from plugin.signing import key_id
from plugin.storage import outbox
from plugin.storage.communities import add_community, upsert_member
from plugin.storage.models import Assignment, InboundEvent, Member, OutboxMessage
from plugin.storage.states import MemberRole, OutboxStatus
from tests.conftest import COMMAND_TOKEN
from tests.platforms.test_mattermost_installer import install
from tests.support.cli import run
from tests.support.mattermost import dialog_after_submit, seen_after_click
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import fast_retries
from tests.support.waiting import wait_for
from tests.workflows.conftest import Cop
from tests.workflows.test_mattermost_interactions import POLL, open_form, submit
from tests.workflows.test_mattermost_interactions import answers as form_answers
from tests.workflows.test_mattermost_replies import (
    OUTGOING_TOKEN,
    FakeMattermostSocket,
    answers,
    listener,
    listening,
    outgoing,
    post_events,
    reply,
    socket,
    started,
)
from tests.workflows.test_toolbox import MEETING_1, until

__all__ = ["listener", "socket"]  # fixtures used here


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": "https://kring.example.org", "KRING_MATTERMOST_OUTGOING_TOKENS": OUTGOING_TOKEN}


def dm_click(cop: Cop, post_body: dict[str, object], index: int, user: str) -> str:
    """A click on a button of a post in a direct channel, as the server sends it: the DM's channel id
    and an empty team."""
    props = post_body["props"]
    assert isinstance(props, dict)
    context = props["attachments"][0]["actions"][index]["integration"]["context"]
    response = cop.client.post("/mattermost/action", json={
        "user_id": f"user-{user}", "user_name": user, "channel_id": post_body["channel_id"],
        "channel_name": f"{BOT_USER_ID}__user-{user}", "team_id": "", "team_domain": "", "post_id": "p1",
        "trigger_id": "t", "type": "button", "data_source": "", "context": context})
    cop.settle()
    return seen_after_click(response.status_code, response.get_json())


def confirmation_to(cop: Cop, user: str) -> dict[str, object]:
    channel = cop.platform.direct_channel_with(f"user-{user}")
    return next(p.body for p in cop.platform.posts() if p.body.get("channel_id") == channel
                and p.body.get("props", {}).get("attachments"))


def facilitator_asked(cop: Cop) -> tuple[str, str]:
    """Run facilitators until the pair of meeting 1 is asked; (the content facilitator, someone else)."""
    cop.say("enable facilitators")
    until(cop, MEETING_1 - timedelta(days=2))
    with cop.runtime.database.session() as session:
        [assignment] = session.scalars(sa.select(Assignment)).all()
        names = {m.id: m.username for m in session.scalars(sa.select(Member))}
    asked = names[int(assignment.roles["content"])]
    other = next(n for n in names.values() if n not in (asked, names[int(assignment.roles["process"])]))
    return str(asked), str(other)


def test_a_facilitator_confirms_by_the_buttons_in_a_direct_message(cop: Cop) -> None:
    asked, other = facilitator_asked(cop)
    confirmation = confirmation_to(cop, asked)
    assert "meant for someone else" in dm_click(cop, confirmation, 0, other)  # her button, his click
    assert dm_click(cop, confirmation, 0, asked).startswith("Thank you! You facilitate meeting 1 (content)")
    assert "(accepted)" in cop.say("facilitators", user=other)


def test_a_command_in_the_bots_direct_channel_is_about_the_members_community(cop: Cop) -> None:
    in_the_dm = {**slash_command("status", COMMAND_TOKEN, channel_id="dmchannel00000000000000001", user="anna"),
                 "channel_name": f"{BOT_USER_ID}__h8sqmjwi7pgm5kcw4fz9x1mzno"}
    typed = cop.client.post("/mattermost/command", data=in_the_dm)
    assert "CoP Water" in typed.get_json()["text"]
    elsewhere = slash_command("status", COMMAND_TOKEN, channel_id="townsquare0000000000000001", user="anna")
    assert "CoP Water" not in cop.client.post("/mattermost/command", data=elsewhere).get_json()["text"]
    with cop.runtime.database.session() as session:
        second = add_community(session, platform="mattermost", group_id="otherchannel0000000000001",
                               name="CoP Zorg", language="en", timezone="Europe/Amsterdam", now=cop.clock.now())
        upsert_member(session, community_id=second.id, user_id="user-anna", name="Anna", username="anna",
                      organisation=None, role=MemberRole.MEMBER, now=cop.clock.now())
    asked = cop.client.post("/mattermost/command", data=in_the_dm).get_json()["text"]
    assert "more than one community: CoP Water, CoP Zorg" in asked


def test_a_dialog_state_opened_for_one_member_cannot_be_submitted_by_another(cop: Cop) -> None:
    opened = open_form(cop, user="anna")
    shown = dialog_after_submit(*submit(cop, opened, {"q1": "not mine", "q2": "to give"}, user="bram"))
    assert shown.open and shown.error is not None and "opened for someone else" in shown.error
    assert form_answers(cop) == []
    assert not dialog_after_submit(*submit(cop, opened, {"q1": "Patience", "q2": "Pairs"}, user="anna")).open
    assert form_answers(cop) == ["Patience", "Pairs"]


def test_a_refusal_in_a_dialog_keeps_it_open_with_the_reason(cop: Cop) -> None:
    opened = open_form(cop, user="anna")
    with cop.runtime.database.session() as session:
        session.execute(sa.update(Member).where(Member.username == "anna").values(left_at=cop.clock.now()))
    shown = dialog_after_submit(*submit(cop, opened, {"q1": "a", "q2": "b"}, user="anna"))
    assert shown.open and shown.error is not None and "not a member" in shown.error  # not closed silently


def test_a_site_url_with_an_underscore_is_no_reason_to_refuse_a_command(cop: Cop) -> None:
    form = {**slash_command("help", COMMAND_TOKEN), "response_url": "http://mm_app:8065/hooks/commands/8h3qk1x9f",
            "root_id": "", "channel_name": "circulair-bouwen"}
    response = cop.client.post("/mattermost/command", data=form, headers={"Authorization": f"Token {COMMAND_TOKEN}"})
    assert response.status_code == 200 and "CoP toolbox" in response.get_json()["text"]


def test_kring_does_not_take_the_post_made_of_its_own_reply_for_a_members_answer(cop: Cop) -> None:
    root = started(cop)  # an open question in a thread, to anna and bram
    typed = {**slash_command("signal The dikes are rising", COMMAND_TOKEN, user="anna"), "root_id": root}
    response = cop.client.post("/mattermost/command", data=typed).get_json()
    assert response["response_type"] == "in_channel" and response["props"] == {"from_kring": True}
    # The server posts the response as anna's, with the response's props, and sends it to the hooks.
    echo = reply(cop, "p-echo", "anna", response["text"], root, props={**response["props"], "from_webhook": "true"})
    assert outgoing(cop, echo) == 200
    assert answers(cop) == []
    assert outgoing(cop, reply(cop, "p-anna", "anna", "Listening first", root)) == 200
    assert answers(cop) == ["Listening first"]


def test_the_bot_added_to_a_channel_is_no_member(cop: Cop) -> None:
    heard: list[Received] = []
    listener = cop.runtime.connector("mattermost").listener(cop.runtime.database, heard.append, "ws://unused")
    assert listener is not None
    listener.handle({"event": "user_added", "data": {"team_id": "t", "user_id": BOT_USER_ID},  # type: ignore[attr-defined]
                     "broadcast": {"omit_users": {BOT_USER_ID: True}, "channel_id": CHANNEL_ID}, "seq": 8})
    assert heard == []
    listener.handle({"event": "user_added", "data": {"team_id": "t", "user_id": "user-newcomer"},  # type: ignore[attr-defined]
                     "broadcast": {"channel_id": CHANNEL_ID}, "seq": 9})
    for received in heard:
        take(cop.runtime, received)
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(InboundEvent).where(
            InboundEvent.kind == "member_joined")) == 1


def test_an_install_in_one_go_with_a_channel_keeps_the_bot_token(process_env: dict[str, str],
                                                                  platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if k not in ("KRING_MATTERMOST_BOT_TOKEN",
                                                              "KRING_MATTERMOST_COMMAND_TOKENS")}
    assert run(["db", "upgrade"], env).returncode == 0
    done = install(env, platform, "--channel", "publicchannel000000000001")
    assert done.returncode == 0, done.stderr
    from plugin.config import load_config

    runtime = build_runtime(load_config(env))
    try:
        assert runtime.connector("mattermost").outbound is not None  # Kring can post and look names up
    finally:
        runtime.close()
    platform.mm_channels["cop-team/circulair-bouwen"] = "circulair000000000000000001"
    added = run(["community", "add", "--platform", "mattermost", "--group", "cop-team/circulair-bouwen",
                 "--name", "CoP"], env)
    assert added.returncode == 0, added.stderr
    assert "Kring's bot is in circulair000000000000000001" in added.stdout  # it joined the linked channel
    assert BOT_USER_ID in platform.channel_additions["circulair000000000000000001"]



def test_the_catch_up_pages_skips_deleted_posts_and_takes_edits(cop: Cop, socket: FakeMattermostSocket) -> None:
    root = started(cop)
    cop.platform.posts_since_limit = 3  # the server's page is 1,000 posts; smaller here, so that it pages
    with listening(cop, socket):
        socket.posted(reply(cop, "p-first", "dewi", "Hello all", None))
        wait_for(lambda: post_events(cop) == 1, "the posted event")
    cop.clock.advance(timedelta(hours=1))  # nobody listens meanwhile
    for number in range(5):
        reply(cop, f"p-chat{number}", "dewi", f"Chat {number}", None)
    anna = reply(cop, "p-anna", "anna", "First thought", root)
    bram = reply(cop, "p-bram", "bram", "Posted, then deleted", root)
    later = int(anna["create_at"]) + 10
    anna.update(message="Second thought", edit_at=later, update_at=later)
    bram.update(delete_at=later, update_at=later)
    with listening(cop, socket):
        wait_for(lambda: post_events(cop) == 7, "every missed post, over three pages")
    cop.settle()
    assert answers(cop) == ["Second thought"]


def test_an_edited_reply_replaces_its_answer(cop: Cop, socket: FakeMattermostSocket, listener: Listener) -> None:
    root = started(cop)
    post = reply(cop, "p-anna", "anna", "First thought", root)
    socket.posted(post)
    wait_for(lambda: post_events(cop) == 1, "the posted event")
    edited = {**post, "message": "Second thought", "edit_at": int(post["create_at"]) + 5,
              "update_at": int(post["create_at"]) + 5}
    socket.events.put({"event": "post_edited", "data": {"post": json.dumps(edited)},
                       "broadcast": {"channel_id": CHANNEL_ID}, "seq": 3})
    wait_for(lambda: post_events(cop) == 2, "the edit")
    cop.settle()
    assert answers(cop) == ["Second thought"]


def test_a_delivery_tried_again_after_its_lease_finds_the_post_an_earlier_attempt_made(cop: Cop) -> None:
    """A worker that dies after Mattermost made the post but before Kring recorded it: once its lease
    has run out, the next attempt finds the post by Kring's key instead of posting it again (the
    server's own deduplication of a repeat lasts only about 30 s)."""
    cop.client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN))
    with cop.runtime.database.session() as session:
        event_id = session.scalars(sa.select(InboundEvent.id)).one()
    # The command's job alone (a worker would deliver the post right after it, in its continuation:
    # here the post goes to the queue as a job of its own)…
    process_inbound_event(event_id)
    cop.runtime.queue.empty()  # …and the worker that took the post's job dies…
    with cop.runtime.database.session() as session:
        [message] = session.scalars(sa.select(OutboxMessage)).all()
        assert outbox.claim_message(session, message.id, cop.clock.now(), cop.runtime.lease) is not None
        post, key = OutboundPost.from_payload(dict(message.payload)), message.idempotency_key
    outbound = cop.runtime.connector("mattermost").outbound
    assert outbound is not None
    made = outbound.post(post, key)  # …after its call reached the platform
    cop.platform.pending_posts.clear()  # minutes later: the server no longer recognises a repeat
    cop.clock.advance(cop.runtime.lease + timedelta(seconds=1))
    cop.settle()
    assert len(cop.platform.posts()) == 1
    with cop.runtime.database.session() as session:
        sent = session.get_one(OutboxMessage, message.id)
        assert (sent.status, sent.attempts, sent.result["post_id"]) == (OutboxStatus.SENT, 2, made.post_id)


def test_where_editing_is_refused_a_closed_poll_says_so_in_its_thread(cop: Cop) -> None:
    cop.platform.post_edit_time_limit = 300  # a licensed server's PostEditTimeLimit
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    [poll_post] = [post for post in cop.platform.kring_posts.values() if post["props"].get("attachments")]
    cop.advance(timedelta(days=1, minutes=1))
    replies = [p for p in cop.platform.kring_posts.values() if p["root_id"] == poll_post["id"]]
    assert [p["message"] for p in replies] == ["**Closed** (0 votes)."]
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.SENT)) == 0  # nothing left failing


def test_dialog_titles_and_labels_are_cut_by_bytes_not_characters(cop: Cop) -> None:
    outbound = cop.runtime.connector("mattermost").outbound
    assert outbound is not None
    title, label = "Évaluatie — ronde één", "Wat heb je geleerd van de één-op-één gesprekken?"
    outbound.open_form("trigger-1", "https://kring.example.org/mattermost/dialog",  # type: ignore[attr-defined]
                       Form(title, (FormField("q1", label, "…"),), {"action": "answer", "ref": 1}, "Send"),
                       cop.clock.now() + timedelta(hours=1))
    [opened] = cop.platform.dialogs
    shown_title = opened["dialog"]["title"]
    shown_label = opened["dialog"]["elements"][0]["display_name"]
    assert len(shown_title.encode()) <= 24 and title.startswith(shown_title)
    assert len(shown_label.encode()) <= 48 and label.startswith(shown_label)


def test_a_signature_in_any_characters_is_refused_not_a_server_error(cop: Cop) -> None:
    """With Kring's own key id, the signature itself is compared: as bytes, whatever its characters."""
    forged = {"v": 1, "kid": key_id(cop.runtime.config.secret_key), "exp": 9_999_999_999, "nonce": "n",
              "data": {"action": "vote"}, "sig": "é☃"}
    response = cop.client.post("/mattermost/action", json={"user_id": "user-anna", "channel_id": CHANNEL_ID,
                                                            "context": forged})
    assert response.status_code == 200 and "changed after Kring signed it" in response.get_json()["ephemeral_text"]


def test_a_post_the_server_made_but_answered_too_late_is_not_made_twice(cop: Cop) -> None:
    """The server makes the post, then the answer comes after Kring's timeout: Kring asks again with the
    same pending_post_id, and the server answers with the post it made."""
    from dataclasses import replace

    from plugin.platforms.mattermost.connector import MattermostConnector

    cop.runtime.connectors["mattermost"] = MattermostConnector(replace(cop.runtime.config, http_timeout=0.3), [],
                                                               cop.runtime.signer, cop.runtime.clock)
    fast_retries(cop.runtime)
    cop.platform.fail_next(201, delay=1.0, path="/api/v4/posts", done_first=True)
    cop.command("intro")
    posts = [p for p in cop.platform.requests if p.path == "/api/v4/posts"]
    assert len(posts) == 2 and len(cop.platform.posts()) == 1  # asked twice, made once
