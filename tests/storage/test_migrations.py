"""Migrations run from empty on the test database, match the models, and are required to start."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from plugin.errors import DatabaseNotMigrated
from plugin.storage.database import HEAD_REVISION, Database
from plugin.storage.models import Base

TABLES = {"community", "organisation", "member", "workflow_enablement", "inbound_event", "outbox", "workflow_source",
          "workflow_run", "run_wait", "timer", "meeting", "thread", "poll", "vote", "question_set", "answer",
          "assignment", "digest", "installation", "action_use", "audit_entry", "journal_entry", "absence",
          "digest_delivery", "journal_counter", "poll_participation"}


def table_names(database: Database) -> set[str]:
    return set(sa.inspect(database.engine).get_table_names())


def test_the_schema_kring_checks_for_is_the_newest_migration(database_url: str) -> None:
    """Every process checks the schema against HEAD_REVISION without reading the migration scripts."""
    database = Database(database_url)
    try:
        assert database.head_revision() == HEAD_REVISION
    finally:
        database.dispose()


def test_down_to_empty_and_up_again(database_url: str) -> None:
    database = Database(database_url)
    try:
        database.downgrade("base")
        assert database.current_revision() is None
        assert not TABLES & table_names(database)
        with pytest.raises(DatabaseNotMigrated, match="kring db upgrade"):
            database.ensure_migrated()

        database.upgrade()
        assert database.current_revision() == database.head_revision()
        assert table_names(database) >= TABLES
        database.ensure_migrated()
    finally:
        database.upgrade()
        database.dispose()


def test_migrations_create_exactly_the_models(database_url: str) -> None:
    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        database.dispose()


def test_an_empty_database_is_refused_with_the_fix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseNotMigrated) as caught:
        database.ensure_migrated()
    assert "is empty" in str(caught.value)
    assert "Run `kring db upgrade` first." in str(caught.value)


def test_credentials_stored_before_sealing_are_sealed_by_the_upgrade(database_url: str) -> None:
    from datetime import UTC, datetime

    from plugin.sealing import Sealer
    from plugin.storage import installations

    database, sealer = Database(database_url), Sealer("upgrade-key")
    columns = "command_token, bot_token, webhook_secret"
    try:
        database.downgrade("0009")
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM installation"))
            connection.execute(sa.text(
                f"INSERT INTO installation (platform, base_url, scope, {columns}, installed_at) VALUES "
                "('mattermost', 'https://chat.example.org', 'team1', 'plain-command-token', 'plain-bot-token', "
                "NULL, :now)"), {"now": datetime(2026, 11, 30, tzinfo=UTC)})
        with pytest.raises(RuntimeError, match="kring db upgrade"):
            database.upgrade()  # without the key, nothing is migrated
        assert database.current_revision() == "0009"

        database.upgrade(sealer=sealer)
        with database.engine.connect() as connection:
            stored = connection.execute(sa.text(f"SELECT {columns} FROM installation")).one()
        assert stored[0].startswith("sealed:v1:") and "plain" not in stored[0] + stored[1] and stored[2] is None
        [installed] = installations.load_all(database, sealer)
        assert (installed.command_token, installed.bot_token) == ("plain-command-token", "plain-bot-token")
        with database.session() as session:
            opened = installations.opened(session, "mattermost", sealer)
            assert [i.command_token for i in opened] == ["plain-command-token"]

        database.downgrade("0009", sealer=sealer)  # and back: opened again
        with database.engine.connect() as connection:
            assert connection.execute(sa.text(f"SELECT {columns} FROM installation")).one() == (
                "plain-command-token", "plain-bot-token", None)
    finally:
        database.upgrade(sealer=sealer)
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM installation"))
        database.dispose()


def test_an_upgrade_that_copies_tables_keeps_the_rows_that_refer_to_them(database_url: str) -> None:
    """On SQLite, revisions 0008 (member) and 0011 (poll) copy a table and drop the old one; with foreign
    keys on, the drop deleted every vote and every member's record that referred to it."""
    database = Database(database_url)
    rows = {"community": "(id, platform, external_group_id, name, language, timezone, openness, created_at, "
                         "run_length_months, meeting_cadence_weeks) VALUES (901, 'discourse', 'g-901', 'CoP', 'en', "
                         "'UTC', 'open', '2027-01-01', 18, 6)",
            "member": "(id, community_id, platform_user_id, name, joined_at, role, consent, core_group) "
                      "VALUES (901, 901, 'u-901', 'Anna', '2027-01-01', 'member', false, false)",
            "poll": "(id, key, community_id, question, options, multiple, anonymous, voters, status, opened_at, "
                    "closes_at) VALUES (901, 'kept-901', 901, 'Which?', '[\"a\"]', false, false, '[901]', 'open', "
                    "'2027-01-01', '2027-01-02')",
            "vote": "(poll_id, voter, choices, cast_at) VALUES (901, '901', '[0]', '2027-01-01')",
            "absence": "(community_id, member_id, meeting_number) VALUES (901, 901, 3)"}
    try:
        database.downgrade("0007")
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM community"))
            for table, values in rows.items():
                connection.execute(sa.text(f"INSERT INTO {table} {values}"))
        database.upgrade(secret_key="the-operators-secret-key")
        with database.engine.connect() as connection:
            counts = {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() for table in rows}
            native = connection.execute(sa.text("SELECT native FROM poll WHERE id = 901")).scalar()
        assert counts == dict.fromkeys(rows, 1)
        assert native  # a Discourse poll stored before 0014 was posted with the forum's poll block
    finally:
        database.upgrade(secret_key="the-operators-secret-key")
        with database.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM community WHERE id = 901"))
        database.dispose()
