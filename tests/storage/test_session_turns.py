"""On SQLite, the sessions of one process take turns (SQLite writes one transaction at a time, and its
own busy handler makes a waiting thread sleep and retry); a thread may open a session inside its own.
On PostgreSQL they run side by side, each in its own transaction."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from plugin.runtime import Runtime
from plugin.storage.models import Community
from tests.support.records import make_community

WAIT = 10.0


def test_the_sessions_of_one_process_take_turns_on_sqlite_only(runtime: Runtime) -> None:
    community_id = make_community(runtime, "mattermost", "turns")
    database = runtime.database
    holding, entered, release = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with database.session() as session:
            session.execute(sa.update(Community).where(Community.id == community_id).values(name="first"))
            holding.set()
            release.wait(WAIT)

    def second() -> None:
        with database.session() as session:
            entered.set()
            session.execute(sa.update(Community).where(Community.id == community_id).values(name="second"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert holding.wait(WAIT)
    threads[1].start()
    on_sqlite = database.engine.dialect.name == "sqlite"
    # Waiting a moment for what must not happen: on SQLite the second session is not opened while the
    # first holds its turn; on PostgreSQL it is (and its update waits on the row, not on Kring).
    assert entered.wait(0.5) is not on_sqlite
    release.set()
    for thread in threads:
        thread.join(WAIT)
    assert entered.is_set()
    with database.session() as session:
        assert session.get_one(Community, community_id).name == "second"


def test_a_thread_may_open_a_session_inside_its_own(runtime: Runtime) -> None:
    community_id = make_community(runtime, "mattermost", "nested")
    done = threading.Event()

    def nested() -> None:
        with runtime.database.session() as outer:
            outer.get_one(Community, community_id)
            with runtime.database.session() as inner:
                inner.execute(sa.update(Community).where(Community.id == community_id).values(name="inner"))
        done.set()

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(WAIT)
    assert done.is_set()
    with runtime.database.session() as session:
        assert session.get_one(Community, community_id).name == "inner"
