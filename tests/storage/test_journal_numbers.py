"""Journal numbers under concurrent writers: each number given once, none skipped (real database)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from plugin.cop.journal import add_entry
from plugin.engine.journal import EntryKind
from plugin.runtime import Runtime
from plugin.storage.communities import add_community
from plugin.storage.database import Database
from plugin.storage.models import JournalEntry

NOW = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


def community(runtime: Runtime) -> int:
    with runtime.database.session() as session:
        return add_community(session, platform="mattermost", group_id="ch-numbers", name="CoP", language="en",
                             timezone="Europe/Amsterdam", now=NOW).id


def test_writers_at_the_same_moment_get_distinct_numbers(runtime: Runtime) -> None:
    community_id = community(runtime)
    start, errors = threading.Barrier(4), []

    def write(count: int) -> None:
        start.wait()
        try:
            for _ in range(count):
                with runtime.database.session() as session:
                    add_entry(session, community_id, EntryKind.SIGNAL, "The dikes", NOW)
        except Exception as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(15,)) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    with runtime.database.session() as session:
        numbers = sorted(session.scalars(sa.select(JournalEntry.number).where(
            JournalEntry.community_id == community_id)))
    assert numbers == list(range(1, 61))


def test_the_database_refuses_a_number_given_twice(runtime: Runtime) -> None:
    community_id = community(runtime)
    with runtime.database.session() as session:
        add_entry(session, community_id, EntryKind.DECISION, "We meet online", NOW)
    with pytest.raises(IntegrityError), runtime.database.session() as session:
        session.add(JournalEntry(community_id=community_id, kind=EntryKind.DECISION, text="again", number=1,
                                 created_at=NOW, data={}))
        session.flush()


def test_the_upgrade_renumbers_what_two_writers_numbered_alike(database_url: str) -> None:
    database = Database(database_url)
    try:
        database.downgrade("0011")
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM community"))
            connection.execute(sa.text(
                "INSERT INTO community (id, platform, external_group_id, name, language, timezone, "
                "meeting_cadence_weeks, run_length_months, openness, created_at) VALUES "
                "(901, 'mattermost', 'ch-old', 'Old CoP', 'en', 'Europe/Amsterdam', 6, 18, 'closed', :now)"),
                {"now": NOW})
            for number in (1, 2, 2, 3, 3):
                connection.execute(sa.text(
                    "INSERT INTO journal_entry (community_id, kind, text, data, private, number, created_at) "
                    "VALUES (901, 'signal', :text, '{}', false, :number, :now)"),
                    {"text": f"signal {number}", "number": number, "now": NOW})
        database.upgrade()
        with database.session() as session:
            numbers = list(session.scalars(sa.select(JournalEntry.number).where(
                JournalEntry.community_id == 901).order_by(JournalEntry.id)))
            assert numbers == [1, 2, 4, 3, 5]
            assert add_entry(session, 901, EntryKind.SIGNAL, "the next", NOW).number == 6
            session.execute(sa.text("DELETE FROM community WHERE id = 901"))
    finally:
        database.upgrade()
        database.dispose()
