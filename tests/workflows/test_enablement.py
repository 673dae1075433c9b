"""Enabling per group: admins only, parameters checked, versions pinned; runs listed and cancelled."""

from __future__ import annotations

import textwrap
from datetime import timedelta

import pytest

from plugin.engine.loader import load_workflow
from plugin.storage.models import Community
from plugin.workflows.enablement import InvalidParams, check_params
from tests.workflows.conftest import Cop, T, workflow

SLOW = workflow("slow", f"""\
    params:
      pause: {{type: duration, default: 1d, help: {T.format("how long to wait")}}}
      tone: {{type: choice, choices: [warm, formal], default: warm}}
      lead: {{type: member}}
    triggers: [{{manual: true}}]
    steps:
      - post: {{text: {T.format("v1 start ({{ params.tone }})")}}}
      - wait: {{for: "1d"}}
      - post: {{text: {T.format("v1 end")}}}
    """)


def test_parameter_problems_are_told_in_the_communitys_language() -> None:
    """A Dutch community's admin reads what was wrong in Dutch, with no Python words in it."""
    slow, problems = load_workflow(textwrap.dedent(SLOW), "slow.yaml")
    assert slow is not None and problems == []
    with pytest.raises(InvalidParams) as caught:
        check_params(slow, {"pause": "soon", "tone": "loud", "lead": "@", "leed": "@anna"}, "nl")
    assert caught.value.problems == [
        "onbekende instelling 'leed'. Bedoel je 'lead'?",
        "pause: geen tijdsduur: 'soon' (schrijf bijvoorbeeld `7d`, `1h30m` of `2w`)",
        "tone: kies uit warm, formal, niet 'loud'",
        "lead: verwacht een gebruikersnaam zoals @anna, niet '@'",
    ]
    with pytest.raises(InvalidParams) as caught:
        check_params(slow, {"tone": "loud"}, "en")
    assert caught.value.problems == ["tone: expected one of warm, formal, got 'loud'"]


def test_only_admins_change_workflows(cop: Cop) -> None:
    cop.write("slow", SLOW)
    for command in ("enable slow", "disable slow", "run slow", "cancel 1"):
        answer = cop.command(command, user="anna")
        assert answer["response_type"] == "ephemeral"
        assert "Only admins of this community" in answer["text"]
    assert "available" in cop.command("workflows", user="anna")["text"]


def test_parameters_are_checked_with_every_problem_named(cop: Cop) -> None:
    cop.write("slow", SLOW)
    answer = cop.command("enable slow pause=soon tone=loud leed=@anna")["text"]
    assert "was not enabled" in answer
    assert "pause: not a duration" in answer
    assert "tone: expected one of warm, formal" in answer
    assert "unknown parameter 'leed'. Did you mean 'lead'?" in answer
    assert "write `name=value`" in cop.command("enable slow tone")["text"]
    enabled = cop.command('enable slow tone=formal lead=@anna pause="2d"')
    assert enabled["response_type"] == "in_channel"
    assert "Settings: pause=2d, tone=formal, lead=anna." in enabled["text"]
    assert "enabled (version 1)" in cop.command("workflows", user="anna")["text"]


def test_unknown_workflow_gets_a_suggestion(cop: Cop) -> None:
    cop.write("slow", SLOW)
    assert "There is no workflow `slwo`. Did you mean 'slow'?" in cop.command("enable slwo")["text"]


def test_a_running_run_keeps_its_version_when_the_file_changes(cop: Cop) -> None:
    cop.write("slow", SLOW)
    cop.command("enable slow")
    cop.command("run slow")
    cop.write("slow", SLOW.replace("v1", "v2").replace("version: 1", "version: 2"))
    cop.advance(timedelta(days=1, minutes=1))
    assert cop.texts() == ["v1 start (warm)", "v1 end"]
    assert "enabled (version 1)" in cop.command("workflows")["text"]
    cop.command("enable slow")  # enabling again pins the new version for new runs
    cop.command("run slow")
    assert cop.texts()[-1] == "v2 start (warm)"


def test_a_broken_file_never_stops_the_others_and_cannot_be_enabled(cop: Cop) -> None:
    cop.write("slow", SLOW)
    cop.write("broken", "id: broken\nversion: 1\nsteps: [{post: {txt: x}}]\n", valid=False)
    listed = cop.command("workflows")["text"]
    assert "`slow`" in listed
    assert "1 workflow file has errors" in listed
    assert "There is no workflow `broken`" in cop.command("enable broken")["text"]


def test_runs_are_listed_and_can_be_cancelled(cop: Cop) -> None:
    cop.write("slow", SLOW)
    cop.command("enable slow")
    cop.command("run slow")
    assert "run 1: `slow` — waiting" in cop.command("runs", user="anna")["text"]
    assert "Run 1 is cancelled" in cop.confirmed("cancel 1")
    assert "no run 1 under way" in cop.command("cancel 1")["text"]
    cop.advance(timedelta(days=2))
    assert cop.texts() == ["v1 start (warm)", "Run 1 is cancelled."]
    assert "run 1: `slow` — cancelled" in cop.command("runs")["text"]


def test_disabling_stops_new_scheduled_runs(cop: Cop) -> None:
    cop.write("tick", workflow("tick", f"""\
        triggers: [{{schedule: {{cron: "0 10 * * *"}}}}]
        steps:
          - post: {{text: {T.format("tick")}}}
        """))
    cop.command("enable tick")
    cop.advance(timedelta(days=2))
    assert cop.texts() == ["tick", "tick"]
    assert "is disabled" in cop.confirmed("disable tick")
    cop.advance(timedelta(days=2))
    disabled = "Workflow `tick` is disabled. Runs under way finish."
    assert cop.texts() == ["tick", "tick", disabled]
    cop.command("enable tick")
    cop.advance(timedelta(days=1))
    assert cop.texts() == ["tick", "tick", disabled, "tick"]


def test_commands_outside_a_community(cop: Cop) -> None:
    from tests.conftest import COMMAND_TOKEN
    from tests.support.payloads import slash_command

    response = cop.client.post("/mattermost/command", data=slash_command("enable slow", COMMAND_TOKEN,
                                                                         channel_id="elsewhere"))
    assert "not a Kring community yet" in response.get_json()["text"]


def test_workflow_admins_manage_only_their_workflow(cop: Cop) -> None:
    cop.write("slow", SLOW)
    cop.write("other", SLOW.replace("id: slow", "id: other"))
    cop.command("enable slow admins=@anna")
    cop.command("enable other")
    assert "has started" in cop.command("run slow", user="anna")["text"]
    assert "Only admins" in cop.command("run other", user="anna")["text"]
    assert "is disabled" in cop.confirmed("disable slow", user="anna")
    assert "Only admins" in cop.command("enable other admins=@anna", user="anna")["text"]


def test_workflow_admins_are_the_members_named_then_not_whoever_takes_the_name(cop: Cop) -> None:
    """A name is resolved to the member's user id when the workflow is enabled: someone who later
    renames themselves to a listed name (or who is no member) manages nothing."""
    cop.write("slow", SLOW)
    assert "@newbie is not a member" in cop.command("enable slow admins=@newbie")["text"]
    cop.command("enable slow admins=@anna")
    from tests.conftest import COMMAND_TOKEN
    from tests.support.payloads import slash_command

    impostor = {**slash_command("run slow", COMMAND_TOKEN, user="anna"), "user_id": "someone-else-named-anna"}
    assert "Only admins" in cop.client.post("/mattermost/command", data=impostor).get_json()["text"]
    assert "has started" in cop.command("run slow", user="anna")["text"]


def test_admin_actions_are_audited(cop: Cop) -> None:
    import sqlalchemy as sa

    from plugin.storage.models import AuditEntry

    cop.write("slow", SLOW)
    cop.command("enable slow tone=formal")
    cop.command("run slow")
    cop.confirmed("cancel 1")
    cop.confirmed("disable slow")
    cop.command("enable slow", user="anna")  # refused: not audited
    with cop.runtime.database.session() as session:
        entries = [(e.actor, e.action, e.details.get("workflow", e.details.get("run")))
                   for e in session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert entries == [("mattermost:admin", "enable", "slow"), ("mattermost:admin", "run", "slow"),
                       ("mattermost:admin", "cancel", 1), ("mattermost:admin", "disable", "slow")]


def test_the_settings_are_shown_as_an_admin_types_them(cop: Cop) -> None:
    """Unset parameters are left out (never `content=None`); a list is written as it is given."""
    reply = cop.command("enable facilitators")["text"]
    assert "Settings: pool=all." in reply and "None" not in reply
    cop.write("team", workflow("team", f"""\
        params:
          people: {{type: members}}
          open: {{type: bool, default: false}}
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("hi")}}}
        """))
    assert "Settings: people=anna,bram, open=no." in cop.command("enable team people=@anna,@bram")["text"]


def _in_dutch(cop: Cop) -> None:
    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).language = "nl"
        session.commit()


def test_a_dutch_community_reads_its_runs_in_dutch(cop: Cop) -> None:
    _in_dutch(cop)
    cop.write("slow", SLOW)
    cop.command("enable slow")
    cop.command("run slow")
    listed = cop.command("runs", user="anna")["text"]
    assert listed.startswith("- run 1: `slow` — wacht, gestart 20") and "(/cop run by admin)" in listed
    assert "waiting" not in listed


def test_a_dutch_community_reads_the_usage_of_commands_in_dutch(cop: Cop) -> None:
    """What a member fills in is in Dutch; what they type literally stays as Kring reads it."""
    _in_dutch(cop)
    helped = cop.command("help", user="anna")["text"]
    assert "`/cop answer <nr> [nummer] <antwoord>`" in helped and "<answer>" not in helped
    assert "`/cop consent [ja|nee]`" in helped
    assert "`/cop meeting next|list|move <n> <JJJJ-MM-DD> [UU:MM]|cancel <n>`" in helped
    cop.write("slow", SLOW)
    assert "Een aanhalingsteken wordt niet gesloten. Gebruik: `/cop enable <workflow> [naam=waarde …]" in \
        cop.command('enable slow tone="formal')["text"]


def test_an_unclosed_quote_is_said_plainly(cop: Cop) -> None:
    cop.write("slow", SLOW)
    reply = cop.command('enable slow tone="formal')["text"]
    assert reply.startswith("A quotation mark is not closed. Usage: `/cop enable <workflow> [name=value …]")
