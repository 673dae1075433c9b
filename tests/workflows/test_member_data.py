"""A member's own data: `/cop notes export` shows everything Kring holds about them, and after
`kring member forget` their name and notes appear in no output, while the CoP's record stays whole."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from plugin.cli import main
from plugin.storage.models import Answer, Digest, JournalEntry, Member, QuestionSet
from tests.workflows.conftest import Cop
from tests.workflows.test_toolbox import latest

AFTER_FORGET = "You are not a member of this community (yet)."
SIGNAL, GOAL, LOG = "Water rising fast in the polder", "Learn to run a pilot", "Called the lab about sensors"


def contribute(cop: Cop) -> None:
    """Anna records a signal, a goal and a logbook line, consents, starts an experiment and answers."""
    cop.command("enable experiments backcast_days=2d")
    for command in (f"signal {SIGNAL}", f"goal {GOAL}", f"log {LOG}", "consent yes",
                    "experiment Measure dike moisture weekly", "backcast"):
        cop.command(command, user="anna")
    cop.command(f"answer {latest(cop, QuestionSet)} 1 Dry feet for everyone", user="anna")


def test_a_member_sees_everything_kring_holds_about_them(cop: Cop) -> None:
    contribute(cop)
    reply = cop.command("notes export", user="anna")
    assert reply["response_type"] == "ephemeral"
    shown = reply["text"]
    assert shown.startswith("**Everything Kring holds about Anna** (only for you)")
    assert "organisation Ingenieursbureau, role member" in shown and "sharing your contribution" in shown
    assert f"learning goal (only for you): {GOAL}" in shown and f"logbook (only for you): {LOG}" in shown
    assert f"urgency signal: {SIGNAL}" in shown and "experiment: Measure dike moisture weekly" in shown
    assert "Your answers (1):" in shown and "Dry feet for everyone" in shown
    assert "not even by Kring" in shown  # anonymous votes cannot be linked to anyone
    assert GOAL not in cop.command("notes export", user="bram")["text"]


def test_a_forgotten_member_appears_in_no_output_and_their_contributions_stay_as_counts(
        cop: Cop, env: dict[str, str]) -> None:
    contribute(cop)
    cop.command("digest send field")
    with cop.runtime.database.session() as session:
        assert "Anna" in json.dumps(session.scalars(sa.select(Digest.content)).one())  # her experiment, consented
    refused = CliRunner().invoke(main, ["member", "forget", "--community", str(cop.community_id), "--user",
                                        "user-anna"], env=env, input="n\n")
    assert refused.exit_code == 1 and "cannot be undone" in refused.output
    result = CliRunner().invoke(main, ["member", "forget", "--community", str(cop.community_id), "--user",
                                       "user-anna", "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert "is now 'Former member " in result.output and "2 private notes deleted" in result.output
    with cop.runtime.database.session() as session:
        anna = session.get_one(Member, cop.members["anna"])
        assert (anna.username, anna.profile, anna.consent) == (None, {}, False)
        assert anna.name.startswith("Former member ") and anna.left_at is not None
        assert session.scalars(sa.select(Answer.text).where(Answer.member_id == anna.id)).all() == [""]
        entries = session.scalars(sa.select(JournalEntry).where(JournalEntry.text == SIGNAL)).all()
        assert [e.member_id for e in entries] == [None]  # the signal stays, without its author
        assert not session.scalars(sa.select(JournalEntry).where(JournalEntry.text.in_((GOAL, LOG)))).all()
        archived = json.dumps(session.scalars(sa.select(Digest.content)).one())
    assert "Anna" not in archived and "Former member" in archived
    for command in ("signal", "digest preview field", "status"):
        assert "Anna" not in cop.command(command)["text"]
    after = cop.command("notes export", user="anna")["text"]  # the same account is no member any more
    assert GOAL not in after and after == AFTER_FORGET
