"""Destructive admin actions (cancel a meeting, disable a workflow, cancel a run) ask for a confirmation,
then wait out an undo window before they are carried out and announced to the group."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from plugin.storage.models import AuditEntry, Community, Meeting, WorkflowEnablement, WorkflowRun
from plugin.storage.states import MeetingStatus, RunStatus
from plugin.workflows.planned import CONFIRM_WITHIN, UNDO_WINDOW
from tests.support.mattermost import seen_after_click
from tests.support.payloads import CHANNEL_ID
from tests.workflows.conftest import Cop, T, workflow

SLOW = workflow("slow", f"""\
    triggers: [{{manual: true}}]
    steps:
      - post: {{text: {T.format("slow start")}}}
      - wait: {{for: "7d"}}
      - post: {{text: {T.format("slow end")}}}
    """)


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_PUBLIC_URL": "https://kring.example.org"}


def _meeting_3(cop: Cop) -> object:
    with cop.runtime.database.session() as session:
        return session.scalar(sa.select(Meeting.status).where(Meeting.community_id == cop.community_id,
                                                               Meeting.number == 3))


def _enabled(cop: Cop) -> object:
    with cop.runtime.database.session() as session:
        return session.scalar(sa.select(WorkflowEnablement.enabled).where(WorkflowEnablement.workflow_id == "slow"))


def _run_1(cop: Cop) -> object:
    with cop.runtime.database.session() as session:
        return session.get_one(WorkflowRun, 1).status


def _audited(cop: Cop) -> list[str]:
    with cop.runtime.database.session() as session:
        return [e.action for e in session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


#: Each destructive action: its command, what it changes (before → after), and its announcement.
ACTIONS: dict[str, tuple[str, Callable[[Cop], object], object, object, str]] = {
    "meeting cancel": ("meeting cancel 3", _meeting_3, MeetingStatus.PLANNED, MeetingStatus.CANCELLED,
                       "Meeting 3 is cancelled; its agenda and evaluation are called off."),
    "disable": ("disable slow", _enabled, True, False, "Workflow `slow` is disabled. Runs under way finish."),
    "cancel": ("cancel 1", _run_1, RunStatus.WAITING, RunStatus.CANCELLED, "Run 1 is cancelled."),
}


def _prepared(cop: Cop) -> None:
    cop.write("slow", SLOW)
    cop.command("enable cop-lifecycle")  # plans the meetings
    cop.command("enable slow")
    cop.command("run slow")


def _ref(answer: str) -> str:
    found = re.search(r"`/cop confirm (\d+)`", answer)
    assert found, answer
    return found[1]


@pytest.mark.parametrize("name", ACTIONS)
def test_nothing_changes_until_confirmed_and_the_undo_window_has_passed(cop: Cop, name: str) -> None:
    command, state, before, after, announcement = ACTIONS[name]
    _prepared(cop)
    told = len(cop.texts())
    asked = cop.command(command)
    assert asked["response_type"] == "ephemeral" and asked["text"].startswith("First confirm ")
    assert "within 10 minutes" in asked["text"]
    cop.advance(timedelta(minutes=5))
    assert state(cop) == before and cop.texts()[told:] == []
    confirmed = cop.command(f"confirm {_ref(asked['text'])}")
    assert confirmed["response_type"] == "ephemeral" and confirmed["text"].startswith("Confirmed: ")
    assert "and then the group is told" in confirmed["text"]
    cop.advance(UNDO_WINDOW - timedelta(seconds=1))
    assert state(cop) == before and cop.texts()[told:] == []  # still nobody has seen a thing
    cop.advance(timedelta(seconds=1))
    assert state(cop) == after
    assert cop.texts()[told:] == [announcement]
    assert _audited(cop)[-1] == {"meeting cancel": "meeting.cancel"}.get(name, name)


@pytest.mark.parametrize("name", ACTIONS)
def test_undo_within_the_window_keeps_everything_and_tells_nobody(cop: Cop, name: str) -> None:
    command, state, before, _, _ = ACTIONS[name]
    _prepared(cop)
    told, audited = len(cop.texts()), _audited(cop)
    ref = _ref(cop.command(command)["text"])
    cop.command(f"confirm {ref}")
    cop.advance(UNDO_WINDOW / 2)
    undone = cop.command(f"undo {ref}")["text"]
    assert undone.startswith("Undone: ") and "nobody else was told" in undone
    cop.advance(UNDO_WINDOW * 5)
    assert state(cop) == before and cop.texts()[told:] == [] and _audited(cop) == audited
    assert "carried out or undone already" in cop.command(f"confirm {ref}")["text"]
    assert "carried out or undone already" in cop.command(f"undo {ref}")["text"]


def test_an_action_carried_out_cannot_be_undone_nor_done_twice(cop: Cop) -> None:
    _prepared(cop)
    ref = _ref(cop.command("meeting cancel 3")["text"])
    cop.command(f"confirm {ref}")
    assert "confirmed already" in cop.command(f"confirm {ref}")["text"]  # typed twice
    cop.advance(UNDO_WINDOW)
    assert "carried out or undone already" in cop.command(f"undo {ref}")["text"]
    assert _audited(cop).count("meeting.cancel") == 1
    assert "cancelled already" in cop.command("meeting cancel 3")["text"]  # refused when asked: nothing to confirm


def test_only_the_admin_who_asked_confirms_and_only_for_ten_minutes(cop: Cop) -> None:
    _prepared(cop)
    ref = _ref(cop.command("meeting cancel 3")["text"])
    assert "Only whoever asked for action" in cop.command(f"confirm {ref}", user="anna")["text"]
    assert "Only whoever asked for action" in cop.command(f"undo {ref}", user="anna")["text"]
    assert "no action 99 waiting" in cop.command("confirm 99")["text"]
    assert "no action x waiting" in cop.command("confirm x")["text"]
    assert "no action 99999999999999999999 waiting" in cop.command("confirm 99999999999999999999")["text"]
    assert "There is no run 99999999999999999999" in cop.command("cancel 99999999999999999999")["text"]
    cop.advance(CONFIRM_WITHIN + timedelta(seconds=1))
    assert "not confirmed within 10 minutes, so nothing happened" in cop.command(f"confirm {ref}")["text"]
    cop.advance(UNDO_WINDOW * 2)
    assert _meeting_3(cop) == MeetingStatus.PLANNED


def test_an_action_that_became_impossible_in_its_window_is_dropped(cop: Cop) -> None:
    """The run finished (it was short) before the window passed: nothing is done or announced."""
    cop.write("quick", workflow("quick", f"""\
        triggers: [{{manual: true}}]
        steps:
          - wait: {{for: "1m"}}
          - post: {{text: {T.format("quick end")}}}
        """))
    cop.command("enable quick")
    cop.command("run quick")
    cop.command(f"confirm {_ref(cop.command('cancel 1')['text'])}")
    cop.advance(UNDO_WINDOW)
    assert cop.texts() == ["quick end"] and "cancel" not in _audited(cop)


def _click(cop: Cop, answer: dict[str, Any], user: str = "admin") -> str:
    """A click on the first button under a command's ephemeral answer, as Mattermost sends it."""
    [attachment] = answer["attachments"]
    [button] = attachment["actions"]
    response = cop.client.post("/mattermost/action", json={
        "user_id": f"user-{user}", "user_name": user, "channel_id": CHANNEL_ID, "post_id": "",
        "trigger_id": "t", "type": "button", "data_source": "", "context": button["integration"]["context"]})
    cop.settle()
    return seen_after_click(response.status_code, response.get_json())


def test_on_mattermost_the_answers_carry_confirm_and_undo_buttons(cop: Cop) -> None:
    _prepared(cop)
    asked = cop.command("meeting cancel 3")
    [button] = asked["attachments"][0]["actions"]
    assert (button["name"], button["integration"]["url"]) == ("Confirm", "https://kring.example.org/mattermost/action")
    assert button["integration"]["context"]["data"]["action"] == "confirm"
    assert "meant for someone else" in _click(cop, asked, user="anna")
    assert _click(cop, asked).startswith("Confirmed: cancelling meeting 3 (Tuesday 6 April 2027) happens at ")
    assert "nothing changed" in _click(cop, asked)  # the same button again
    undo = cop.command("confirm 1")  # confirmed already: told when it happens, no second timer
    assert "confirmed already" in undo["text"] and "attachments" not in undo
    ref = _ref(cop.command("disable slow")["text"])
    with_undo = cop.command(f"confirm {ref}")
    assert with_undo["attachments"][0]["actions"][0]["name"] == "Undo"
    assert _click(cop, with_undo).startswith("Undone: disabling the workflow `slow` will not happen")
    cop.advance(UNDO_WINDOW)
    assert _meeting_3(cop) == MeetingStatus.CANCELLED and _enabled(cop) is True


def test_without_a_public_address_the_answer_says_what_to_type(cop: Cop, monkeypatch: pytest.MonkeyPatch) -> None:
    _prepared(cop)
    connector = cop.runtime.connector("mattermost")
    assert connector.outbound is not None
    monkeypatch.setattr(connector.outbound, "action_url", None)  # as without KRING_PUBLIC_URL
    asked = cop.command("meeting cancel 3")
    assert "attachments" not in asked and "`/cop confirm 1`" in asked["text"]


def test_on_discourse_the_admin_confirms_by_command_in_a_private_message(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.command("enable cop-lifecycle")
    told = len(cop.texts())
    asked = cop.say("meeting cancel 3")
    assert cop.private_to("admin")[-1] == asked
    assert asked.startswith("First confirm cancelling meeting 3") and "`/cop confirm 1`" in asked
    assert cop.texts()[told:] == []
    assert cop.say("confirm 1").startswith("Confirmed: ")
    cop.advance(UNDO_WINDOW)
    assert cop.texts()[told:] == ["Meeting 3 is cancelled; its agenda and evaluation are called off."]


def test_a_dutch_community_is_asked_in_dutch(cop: Cop) -> None:
    cop.command("enable cop-lifecycle")
    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).language = "nl"
    asked = cop.command("meeting cancel 3")
    assert asked["text"].startswith("Bevestig eerst het afzeggen van bijeenkomst 3 (dinsdag 6 april 2027).")
    assert asked["attachments"][0]["actions"][0]["name"] == "Bevestigen"
    confirmed = cop.command("confirm 1")["text"]
    assert confirmed.startswith("Bevestigd: het afzeggen van bijeenkomst 3 (dinsdag 6 april 2027) gebeurt om ")
    assert cop.command("undo 1")["text"].startswith("Teruggedraaid: het afzeggen van bijeenkomst 3")


def test_a_confirmation_and_an_undo_racing_each_other_act_once(cop: Cop) -> None:
    """Two requests at the same moment (a double click and `/cop undo`, on two web processes): each runs
    in its own transaction; exactly one of them wins, and the action happens, or not, exactly once."""
    import threading

    from plugin.workflows import planned as planned_actions

    _prepared(cop)
    ref = _ref(cop.command("meeting cancel 3")["text"])
    start = threading.Barrier(3)
    told: list[str] = []

    def answer(confirming: bool) -> None:
        start.wait()
        with cop.runtime.database.session() as session:
            community = session.get_one(Community, cop.community_id)
            told.append(planned_actions.answer(session, community, ref, "user-admin", cop.clock.now(),
                                               confirming=confirming))

    racers = [threading.Thread(target=answer, args=(confirming,)) for confirming in (True, True, False)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=30)
    confirmed = sum(t.startswith("Confirmed") for t in told)
    undone = sum(t.startswith("Undone") for t in told)
    assert len(told) == 3 and confirmed <= 1 and undone <= 1 and confirmed + undone >= 1, told
    cop.advance(UNDO_WINDOW)
    cancelled = _meeting_3(cop) == MeetingStatus.CANCELLED
    assert cancelled == (confirmed == 1 and undone == 0), told  # an undo after the confirmation still wins
    assert _audited(cop).count("meeting.cancel") == int(cancelled)
