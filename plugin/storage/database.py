"""Engine, sessions and migration state for one database URL."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from plugin.errors import DatabaseNotMigrated
from plugin.sealing import Sealer

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The newest migration's revision: the schema this version of Kring works on.
HEAD_REVISION = "0017"
#: Where Alembic keeps the revision a database is at.
VERSION_TABLE = "alembic_version"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the web and worker processes share one SQLite file without blocking readers.

    With ``synchronous=NORMAL`` a commit is written to the WAL without waiting for the disk: a process that
    crashes loses nothing it committed, a power cut may lose the last commits (never the file). The README
    (Configuration) says so; PostgreSQL keeps its own, fully durable, setting.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _private_file(path: Path) -> None:
    """The SQLite file readable by its owner alone (0600), in a folder only they may enter when Kring
    makes it (0700): it holds every member's records."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    with contextlib.suppress(OSError):  # another user's file: theirs to protect
        os.chmod(path, 0o600)


class Database:
    """Owns one SQLAlchemy engine and hands out short-lived sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        on_file = sqlite and parsed.database not in (None, "", ":memory:")
        if on_file:
            _private_file(Path(str(parsed.database)))
        # A server's connections can break while pooled (a restart): ping them before use. A SQLite file
        # cannot, and a ping would be one more statement per session. SQLite's connections each keep their
        # own page cache, which another connection's write makes stale: the last one used is the warmest.
        self.engine = sa.create_engine(url, pool_pre_ping=not sqlite, **({"pool_use_lifo": True} if on_file else {}))
        if sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite writes one transaction at a time. Threads of one process that try at once are refused and
        # retry after a sleep of 1, 2, 5, 10 ms… (its busy handler), while the one that holds the lock
        # waits for the interpreter to finish: a web process with eight threads spent more time so than
        # working. Its sessions therefore take turns on a lock, which hands over at once; other processes
        # still meet SQLite's own lock. A thread may open a session inside its own (re-entrant).
        self._one_at_a_time: contextlib.AbstractContextManager[Any] = (
            threading.RLock() if sqlite else contextlib.nullcontext())

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self._one_at_a_time:
            session = self._sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    # -- migrations -------------------------------------------------------------------------------

    # Alembic is imported only to migrate: every `kring` process checks the schema, and importing Alembic
    # would add a quarter of a second to each (tests/storage/test_migrations.py keeps HEAD_REVISION true).

    def _alembic_config(self) -> AlembicConfig:
        from alembic.config import Config as AlembicConfig

        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def head_revision(self) -> str | None:
        """The newest revision of the migration scripts, as Alembic reads them."""
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        """The revision the database is at (None when it has never been migrated)."""
        with self.engine.connect() as connection:
            if not sa.inspect(connection).has_table(VERSION_TABLE):
                return None
            version = sa.table(VERSION_TABLE, sa.column("version_num"))
            return connection.execute(sa.select(version.c.version_num)).scalar()

    @contextmanager
    def _migrating(self) -> Iterator[sa.Connection]:
        """One transaction for migrations. On SQLite foreign keys are off meanwhile: a migration that
        changes a table there copies it and drops the old one, and the drop would delete every row that
        refers to it (a poll's votes, a member's records). Every reference is checked before the commit."""
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
                connection.commit()
            try:
                with connection.begin():
                    yield connection
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} broken references, first in table "
                                           f"{broken[0][0]}; nothing was changed")
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()

    def upgrade(self, revision: str = "head", sealer: Sealer | None = None, secret_key: str | None = None) -> None:
        """Migrate up; ``sealer`` seals credentials stored before they were sealed (revision 0010), and
        ``secret_key`` finds whose the ballots of open anonymous polls are, to key them again (0013)."""
        config = self._alembic_config()
        with self._migrating() as connection:
            config.attributes.update(connection=connection, sealer=sealer, secret_key=secret_key)
            from alembic import command

            command.upgrade(config, revision)

    def downgrade(self, revision: str, sealer: Sealer | None = None) -> None:
        config = self._alembic_config()
        with self._migrating() as connection:
            config.attributes.update(connection=connection, sealer=sealer)
            from alembic import command

            command.downgrade(config, revision)

    def ensure_migrated(self) -> None:
        """Refuse to work on a database whose schema is not at this version's head."""
        current, head = self.current_revision(), HEAD_REVISION
        if current != head:
            state = "empty" if current is None else f"at revision {current}"
            raise DatabaseNotMigrated(
                f"The database {self.display_url} is {state}; this Kring needs revision {head}. "
                "Run `kring db upgrade` first."
            )

    def dispose(self) -> None:
        self.engine.dispose()
