"""Anonymous polls that even whoever holds the database and KRING_SECRET_KEY cannot de-anonymise
once they are closed (the per-poll salt and the ballots are destroyed; the counts are kept)."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.storage.models import Base, Member, Poll, PollParticipation, Vote
from plugin.storage.states import PollStatus
from tests.workflows.conftest import MEMBERS, Cop, T, workflow

EVALUATE = workflow("evaluate", f"""\
    triggers: [{{manual: true}}]
    steps:
      - poll:
          id: score
          question: {T.format("How valuable was it?")}
          scale: 5
          voters: "members | selectattr('role', 'equalto', 'member') | list"
      - post: {{text: {T.format("average {{ score.average }} from {{ score.votes }}")}}}
    """)
SCORES = {"anna": 1, "bram": 2, "chidi": 4, "dewi": 5}


def open_evaluation(cop: Cop) -> str:
    cop.write("evaluate", EVALUATE)
    cop.command("enable evaluate")
    cop.command("run evaluate")
    return cop.texts()[0].split("/cop vote ")[1].split()[0]


def every_stored_value(cop: Cop) -> str:
    """The whole database as text: what an operator with a backup has."""
    dumped = []
    with cop.runtime.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            dumped += [repr(tuple(row)) for row in connection.execute(sa.select(table))]
    return "\n".join(dumped)


def candidate_keys(cop: Cop, poll_id: int, member_id: int, salts: list[str]) -> list[str]:
    """Every key an operator could compute for a member: with the secret key (as before), and with
    any salt the database still holds."""
    secret = cop.runtime.config.secret_key.encode()
    keys = [hmac.new(secret, f"poll:{poll_id}:member:{member_id}".encode(), hashlib.sha256).hexdigest()[:40]]
    keys += [hmac.new(bytes.fromhex(salt), f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:40]
             for salt in salts]
    return keys


def test_after_closing_no_key_backup_or_log_links_a_ballot_to_a_member(cop: Cop,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ref = open_evaluation(cop)
    for name, score in SCORES.items():
        cop.command(f"vote {ref} {score}", user=name)
    assert cop.texts()[1] == "average 3.0 from 4"
    stored = every_stored_value(cop)
    with cop.runtime.database.session() as session:
        poll = session.get_one(Poll, int(ref))
        assert poll.status == PollStatus.CLOSED and poll.salt is None
        assert poll.results is not None and list(poll.results["counts"].values()) == [1, 1, 0, 1, 1]
        assert session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0
        voted = set(session.scalars(sa.select(PollParticipation.member_id)))
        salts = [s for s in session.scalars(sa.select(Poll.salt)) if s]
    assert voted == {cop.members[name] for name in MEMBERS}  # who voted is known, not what
    for name in MEMBERS:
        for key in candidate_keys(cop, int(ref), cop.members[name], salts):
            assert key not in stored and key not in caplog.text
    logged = caplog.text.lower()
    assert not any(f"{name}" in line and f" {score}" in line for name, score in SCORES.items()
                   for line in logged.splitlines() if "vote" in line)


def test_while_open_a_member_changes_their_ballot_and_ballots_carry_no_time(cop: Cop) -> None:
    ref = open_evaluation(cop)
    cop.clock.advance(timedelta(hours=5))
    cop.command(f"vote {ref} 1", user="anna")
    cop.command(f"vote {ref} 5", user="anna")  # changed her mind
    cop.command(f"vote {ref} 3", user="bram")
    with cop.runtime.database.session() as session:
        poll = session.get_one(Poll, int(ref))
        ballots = list(session.scalars(sa.select(Vote).where(Vote.poll_id == poll.id)))
        assert poll.salt is not None and sorted(b.choices for b in ballots) == [[2], [4]]
        opened_day = poll.opened_at.date()
        assert {(b.cast_at.date(), b.cast_at.time().isoformat()) for b in ballots} == {(opened_day, "00:00:00")}
        anna = session.scalar(sa.select(Member.id).where(Member.username == "anna"))
        assert all(b.voter.startswith("anon-") and b.voter != str(anna) for b in ballots)
