"""Migrations run from empty on the test database, match the models, and are required to start."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from plugin.errors import DatabaseNotMigrated
from plugin.storage.database import Database
from plugin.storage.models import Base

TABLES = {"community", "organisation", "member", "workflow_enablement", "inbound_event", "outbox", "workflow_source",
          "workflow_run", "run_wait", "timer", "meeting", "thread", "poll", "vote", "question_set", "answer",
          "assignment", "digest", "installation", "action_use", "audit_entry", "journal_entry", "absence",
          "digest_delivery"}


def table_names(database: Database) -> set[str]:
    return set(sa.inspect(database.engine).get_table_names())


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
