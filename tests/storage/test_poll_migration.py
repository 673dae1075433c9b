"""Revision 0013 on the test database: closed anonymous polls keep their counts and lose their ballots;
open ones get a salt and their ballots, keyed with KRING_SECRET_KEY before, are keyed with it."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from plugin.storage.database import Database
from plugin.storage.models import Poll, PollParticipation, Vote
from plugin.storage.states import PollStatus
from plugin.workflows.tally import voter_key

NOW = datetime(2027, 3, 2, 14, 30, tzinfo=UTC)
SECRET = "the-operators-secret-key"


def legacy_key(poll_id: int, member_id: int) -> str:
    digest = hmac.new(SECRET.encode(), f"poll:{poll_id}:member:{member_id}".encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:40]


def add_poll(database: Database, poll_id: int, community_id: int, voters: list[int], status: str) -> None:
    results = {"votes": 2, "eligible": 2, "closed": True, "counts": {"1": 1, "2": 1}, "average": 1.5, "named": {}}
    with database.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO poll (id, key, community_id, question, options, multiple, anonymous, voters, in_digest, "
            "status, opened_at, closes_at, results) VALUES (:id, :key, :community, 'How was it?', :options, false, "
            "true, :voters, true, :status, :now, :closes, :results)"),
            {"id": poll_id, "key": f"migrated-{poll_id}", "community": community_id, "options": json.dumps(["1", "2"]),
             "voters": json.dumps(voters), "status": status, "now": NOW, "closes": NOW + timedelta(days=2),
             "results": json.dumps(results) if status == "closed" else None})


def test_the_upgrade_destroys_closed_ballots_and_salts_open_ones(database_url: str) -> None:
    database = Database(database_url)
    try:
        database.downgrade("0012")
        # The schema at 0012 is older than the models: rows are written as that schema has them.
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM community"))
            community_id = connection.execute(sa.text(
                "INSERT INTO community (platform, external_group_id, name, language, timezone, meeting_cadence_weeks, "
                "run_length_months, openness, created_at) VALUES ('mattermost', 'ch-polls', 'CoP', 'en', "
                "'Europe/Amsterdam', 6, 18, 'closed', :now) RETURNING id"), {"now": NOW}).scalar_one()
            member_ids = [connection.execute(sa.text(
                "INSERT INTO member (community_id, platform_user_id, username, name, role, core_group, joined_at, "
                "profile, consent) VALUES (:community, :user, :username, :name, 'member', false, :now, '{}', false) "
                "RETURNING id"), {"community": community_id, "user": f"u{n}", "username": f"m{n}", "name": f"M{n}",
                                  "now": NOW}).scalar_one() for n in range(2)]
        add_poll(database, 801, community_id, member_ids, "closed")
        add_poll(database, 802, community_id, member_ids, "open")
        with database.session() as session:
            for poll_id in (801, 802):
                session.add_all([Vote(poll_id=poll_id, voter=legacy_key(poll_id, member), choices=[index],
                                      cast_at=NOW + timedelta(minutes=index))
                                 for index, member in enumerate(member_ids)])

        with pytest.raises(RuntimeError, match="kring db upgrade"):
            database.upgrade()  # the open poll's ballots cannot be keyed again without the key
        assert database.current_revision() == "0012"
        database.upgrade(secret_key=SECRET)

        with database.session() as session:
            closed, opened = session.get_one(Poll, 801), session.get_one(Poll, 802)
            assert closed.status == PollStatus.CLOSED and closed.salt is None
            assert list(session.scalars(sa.select(Vote).where(Vote.poll_id == 801))) == []
            assert closed.results is not None and closed.results["counts"] == {"1": 1, "2": 1}
            assert opened.salt is not None
            ballots = {v.voter: v for v in session.scalars(sa.select(Vote).where(Vote.poll_id == 802))}
            assert set(ballots) == {voter_key(opened, member) for member in member_ids}  # the same members' ballots
            assert {v.cast_at.time().isoformat() for v in ballots.values()} == {"00:00:00"}
            assert set(session.scalars(sa.select(PollParticipation.member_id).where(
                PollParticipation.poll_id == 802))) == set(member_ids)
            session.execute(sa.text("DELETE FROM community WHERE id = :id"), {"id": community_id})
    finally:
        database.upgrade(secret_key=SECRET)
        database.dispose()
