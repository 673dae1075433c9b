"""Every trigger type: command, schedule (every and cron), before/after meeting, event, manual."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from plugin.engine.loader import load_workflow
from plugin.storage.models import WorkflowRun
from tests.workflows.conftest import Cop, T, workflow


def triggers_of_runs(cop: Cop) -> list[str]:
    with cop.runtime.database.session() as session:
        return list(session.scalars(sa.select(WorkflowRun.trigger).order_by(WorkflowRun.id)))


def test_command_trigger_with_typed_arguments(cop: Cop) -> None:
    cop.write("observe", workflow("observe", f"""\
        triggers:
          - command:
              word: observe
              args:
                - {{name: weight, type: int}}
                - {{name: text, type: string}}
              help: {T.format("records an observation")}
        steps:
          - post: {{text: {T.format("Observation ({{ args.weight }}): {{ args.text }}")}}}
        """))
    cop.command("enable observe")
    assert "- `/cop observe <weight> <text>` — records an observation" in cop.command("help", user="anna")["text"]
    assert "has started" in cop.command("observe 3 rising water levels in the delta", user="anna")["text"]
    assert cop.texts() == ["Observation (3): rising water levels in the delta"]
    missing = cop.command("observe", user="anna")["text"]
    assert "`weight` is missing" in missing and "/cop observe <weight> <text>" in missing
    assert "`weight`: expected a whole number, got 'many'." in cop.command("observe many things", user="anna")["text"]
    assert triggers_of_runs(cop) == ["/cop observe by anna"]


def test_a_disabled_workflows_command_is_unknown(cop: Cop) -> None:
    cop.write("observe", workflow("observe", f"""\
        triggers: [{{command: observe}}]
        steps:
          - post: {{text: {T.format("x")}}}
        """))
    assert "Unknown command `observe`" in cop.command("observe now", user="anna")["text"]


def test_a_workflow_cannot_take_a_built_in_command_word(cop: Cop) -> None:
    path = cop.write("mine", workflow("mine", f"""\
        triggers: [{{command: signal}}]
        steps:
          - post: {{text: {T.format("x")}}}
        """), valid=False)
    _, problems = load_workflow(path.read_text(encoding="utf-8"), str(path))
    assert any("`/cop signal` is one of Kring's own commands" in str(p) for p in problems), problems


def test_schedule_every_two_weeks(cop: Cop) -> None:
    cop.write("pulse", workflow("pulse", f"""\
        triggers:
          - schedule: "every 2 weeks on tuesday 09:00"
        steps:
          - post: {{text: {T.format("pulse at {{ now.isoformat() }}")}}}
        """))
    cop.command("enable pulse")
    cop.advance(timedelta(weeks=5, days=2))
    # Counted from the start date (Tuesday 2027-01-12), 09:00 in Amsterdam (08:00 UTC in winter).
    assert cop.texts() == ["pulse at 2027-01-12T08:00:00+00:00", "pulse at 2027-01-26T08:00:00+00:00",
                           "pulse at 2027-02-09T08:00:00+00:00"]


def test_cron_schedule(cop: Cop) -> None:
    cop.write("weekly", workflow("weekly", f"""\
        triggers:
          - schedule: {{cron: "30 7 * * fri"}}
        steps:
          - post: {{text: {T.format("{{ now.isoformat() }}")}}}
        """))
    cop.command("enable weekly")
    cop.advance(timedelta(days=14))
    assert cop.texts() == ["2027-01-08T06:30:00+00:00", "2027-01-15T06:30:00+00:00"]


def test_before_and_after_meetings(cop: Cop) -> None:
    cop.write("around", workflow("around", f"""\
        triggers:
          - before_meeting: 7d
          - after_meeting: 1h
        steps:
          - post: {{text: {T.format("{{ run.trigger }} meeting {{ meeting.number }} on {{ meeting.date }}")}}}
        """))
    cop.command("enable around")
    cop.advance(timedelta(weeks=8))
    assert cop.texts() == [
        "before_meeting meeting 1 on 2027-01-12",
        "after_meeting meeting 1 on 2027-01-12",
        "before_meeting meeting 2 on 2027-02-23",
        "after_meeting meeting 2 on 2027-02-23",
    ]


def test_event_trigger_meeting_ended(cop: Cop) -> None:
    cop.write("checkout", workflow("checkout", f"""\
        triggers:
          - event: meeting_ended
        steps:
          - post: {{text: {T.format("check-out for meeting {{ meeting.number }}")}}}
        """))
    cop.command("enable checkout")
    cop.advance(timedelta(weeks=8))
    assert cop.texts() == ["check-out for meeting 1", "check-out for meeting 2"]
    assert triggers_of_runs(cop) == ["event meeting_ended", "event meeting_ended"]


def test_event_trigger_poll_closed(cop: Cop) -> None:
    cop.write("poller", workflow("poller", f"""\
        triggers: [{{manual: true}}]
        steps:
          - poll: {{question: {T.format("Q")}, scale: 5, closes_after: 1h}}
        """))
    cop.write("watcher", workflow("watcher", f"""\
        triggers: [{{event: poll_closed}}]
        steps:
          - post: {{text: {T.format("a poll closed")}}}
        """))
    cop.command("enable poller")
    cop.command("enable watcher")
    cop.command("run poller")
    cop.advance(timedelta(hours=2))
    assert cop.texts()[1:] == ["a poll closed"]


def test_manual_needs_the_trigger(cop: Cop) -> None:
    cop.write("auto", workflow("auto", f"""\
        triggers: [{{event: member_joined}}]
        steps:
          - post: {{text: {T.format("x")}}}
        """))
    cop.command("enable auto")
    assert "has no manual trigger" in cop.command("run auto")["text"]
    assert "not enabled here" in cop.command("run nothing")["text"]
