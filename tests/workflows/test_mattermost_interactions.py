"""Buttons and dialogs on Mattermost: signed contexts, votes counted once, forms with field errors."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from plugin.signing import Signer
from plugin.storage.models import Answer, Vote
from tests.conftest import COMMAND_TOKEN
from tests.support.mattermost import DialogAfterSubmit, dialog_after_submit, seen_after_click
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.workflows.conftest import Cop, T, workflow

POLL = workflow("vote", f"""\
    triggers: [{{manual: true}}]
    steps:
      - poll: {{id: score, question: {T.format("How was it?")}, scale: 5, closes_after: 1d}}
      - post: {{text: {T.format("{{ score.votes }} votes, average {{ score.average }}")}}}
    """)
ASK = workflow("ask", f"""\
    triggers: [{{manual: true}}]
    steps:
      - ask:
          questions: [{T.format("What did you learn?")}, {T.format("What will you try?")}]
          to: "[members[1]]"
      - post: {{text: {T.format("thanks")}}}
    """)


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": "https://kring.example.org", "KRING_PREVIOUS_SECRET_KEYS": "old-key"}


def buttons(cop: Cop) -> list[dict[str, Any]]:
    post = next(p for p in cop.platform.posts() if p.body.get("props", {}).get("attachments"))
    actions: list[dict[str, Any]] = post.body["props"]["attachments"][0]["actions"]
    return actions


def click(cop: Cop, context: Any, user: str) -> tuple[int, dict[str, Any]]:
    response = cop.client.post("/mattermost/action", json={
        "user_id": f"user-{user}", "user_name": user, "channel_id": CHANNEL_ID, "post_id": "p1",
        "trigger_id": "t", "type": "", "context": context})
    cop.settle()
    return response.status_code, response.get_json()


def votes(cop: Cop) -> list[list[int]]:
    with cop.runtime.database.session() as session:
        return [v.choices for v in session.scalars(sa.select(Vote).order_by(Vote.id))]


def test_a_poll_has_signed_buttons_and_a_click_counts_once(cop: Cop) -> None:
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    actions = buttons(cop)
    assert [a["name"] for a in actions] == ["1", "2", "3", "4", "5"]
    assert {a["integration"]["url"] for a in actions} == {"https://kring.example.org/mattermost/action"}
    four = actions[3]["integration"]["context"]
    assert four["data"] == {"action": "vote", "community": cop.community_id, "poll": 1, "choice": 3}

    assert click(cop, four, "anna") == (200, {"ephemeral_text": "Your vote is counted. You can change it until "
                                                                "the poll closes."})
    status, body = click(cop, four, "anna")  # clicked twice, or the request replayed
    assert status == 200 and "nothing changed" in body["ephemeral_text"]
    assert votes(cop) == [[3]]
    click(cop, actions[1]["integration"]["context"], "anna")  # changing her mind is another button
    click(cop, four, "bram")
    assert votes(cop) == [[1], [3]]


def test_forged_and_tampered_contexts_change_nothing(cop: Cop) -> None:
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    context = buttons(cop)[0]["integration"]["context"]
    tampered = copy.deepcopy(context)
    tampered["data"]["choice"] = 4
    # Refusals are a 200 with the reason: for anything else Mattermost shows only a generic error.
    seen = seen_after_click(*click(cop, tampered, "anna"))
    assert "not valid" in seen and "changed after Kring signed it" in seen
    forged = Signer("someone-elses-key").sign({"action": "vote", "poll": 1, "choice": 0},
                                              cop.clock.now() + timedelta(days=1))
    assert "unknown key" in seen_after_click(*click(cop, forged, "anna"))
    assert "not signed by Kring" in seen_after_click(*click(cop, {"action": "vote", "poll": 1, "choice": 0}, "anna"))
    assert click(cop, "not even a mapping", "anna")[0] == 400  # not what Mattermost sends
    assert votes(cop) == []


def test_expired_buttons_and_rotated_keys(cop: Cop) -> None:
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    old = Signer("old-key").sign({"action": "vote", "poll": 1, "choice": 1}, cop.clock.now() + timedelta(hours=1))
    assert click(cop, old, "anna")[0] == 200  # signed with the previous key: still verifies
    context = buttons(cop)[2]["integration"]["context"]
    cop.advance(timedelta(days=1, minutes=1))
    assert "expired" in seen_after_click(*click(cop, context, "bram"))
    assert votes(cop) == []  # closed: the count is in its result (below), its ballots are gone
    assert cop.texts()[-1] == "1 votes, average 2.0"


def test_a_stranger_cannot_vote_by_button(cop: Cop) -> None:
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    status, body = click(cop, buttons(cop)[0]["integration"]["context"], "stranger")
    assert status == 200 and "not a member" in body["ephemeral_text"]
    assert votes(cop) == []


def open_form(cop: Cop, user: str = "anna") -> dict[str, Any]:
    cop.write("ask", ASK)
    cop.command("enable ask")
    cop.command("run ask")
    ref = cop.texts()[0].split("/cop answer ")[1].split()[0]
    answer = cop.client.post("/mattermost/command", data=slash_command(f"answer {ref}", COMMAND_TOKEN, user=user))
    assert answer.get_json()["text"] == "The form is open."
    [opened] = cop.platform.dialogs
    return opened


def submit(cop: Cop, opened: dict[str, Any], submission: dict[str, str], user: str = "anna",
           state: str | None = None) -> tuple[int, dict[str, Any]]:
    response = cop.client.post("/mattermost/dialog", json={
        "type": "dialog_submission", "callback_id": opened["dialog"]["callback_id"],
        "state": state if state is not None else opened["dialog"]["state"], "user_id": f"user-{user}",
        "channel_id": CHANNEL_ID, "team_id": "team", "submission": submission, "cancelled": False})
    cop.settle()
    return response.status_code, response.get_json()


def answers(cop: Cop) -> list[str]:
    with cop.runtime.database.session() as session:
        return [a.text for a in session.scalars(sa.select(Answer).order_by(Answer.id))]


def test_a_dialog_answers_every_question_and_names_missing_fields(cop: Cop) -> None:
    opened = open_form(cop)
    assert opened["trigger_id"].startswith("trigger-")
    assert opened["url"] == "https://kring.example.org/mattermost/dialog"
    assert [e["name"] for e in opened["dialog"]["elements"]] == ["q1", "q2"]
    assert opened["dialog"]["elements"][0]["help_text"] == "What did you learn?"

    shown = dialog_after_submit(*submit(cop, opened, {"q1": "Patience", "q2": "  "}))
    assert shown == DialogAfterSubmit(open=True, field_errors={"q2": "Please answer this question."})
    assert answers(cop) == []
    assert dialog_after_submit(*submit(cop, opened, {"q1": "Patience", "q2": "Pairs"})) == DialogAfterSubmit(open=False)
    assert answers(cop) == ["Patience", "Pairs"]
    assert cop.texts()[-1] == "thanks"  # everyone asked answered everything: the run went on


def test_a_forged_dialog_state_is_refused(cop: Cop) -> None:
    opened = open_form(cop)
    state = json.loads(opened["dialog"]["state"])
    state["data"]["ref"] = 99
    shown = dialog_after_submit(*submit(cop, opened, {"q1": "a", "q2": "b"}, state=json.dumps(state)))
    assert shown.open and shown.error is not None and "no longer valid" in shown.error
    shown = dialog_after_submit(*submit(cop, opened, {"q1": "a", "q2": "b"}, state="{not json"))
    assert shown.open and shown.error is not None and "no longer valid" in shown.error
    assert answers(cop) == []


def test_a_cancelled_dialog_changes_nothing(cop: Cop) -> None:
    opened = open_form(cop)
    response = cop.client.post("/mattermost/dialog", json={
        "state": opened["dialog"]["state"], "user_id": "user-anna", "channel_id": CHANNEL_ID, "cancelled": True})
    assert (response.status_code, response.get_json()) == (200, {})
    assert answers(cop) == []


def test_a_closed_poll_loses_its_buttons(cop: Cop) -> None:
    cop.write("vote", POLL)
    cop.command("enable vote")
    cop.command("run vote")
    [poll_post] = [post for post in cop.platform.kring_posts.values() if post["props"].get("attachments")]
    click(cop, buttons(cop)[3]["integration"]["context"], "anna")
    cop.advance(timedelta(days=1, minutes=1))
    assert cop.texts()[-1] == "1 votes, average 4.0"
    closed = cop.platform.kring_posts[poll_post["id"]]
    assert "attachments" not in closed["props"] and closed["props"]["from_kring"] is True
    assert closed["message"] == poll_post["message"] + "\n\n**Closed** (1 votes)."
    patches = [r for r in cop.platform.requests if r.method == "PUT" and r.path.endswith("/patch")]
    assert len(patches) == 1  # checked against the spec like every call
