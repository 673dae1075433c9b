"""Installation credentials kept in the web process: what `kring install` changes in another process is
seen at once when it adds a credential, within the documented time when it removes one, and forged
requests do not make every request read the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from plugin.runtime import Runtime
from plugin.storage import installations
from plugin.storage.installation_cache import KEPT_SECONDS, REREAD_SECONDS, InstallationCache
from plugin.storage.models import Installation
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import TEAM_ID, slash_command

INSTALLED_TOKEN = "token-of-a-later-install"


class Ticking:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(runtime: Runtime) -> Ticking:
    ticking = Ticking()
    runtime.installations = InstallationCache(runtime.database, runtime.sealer, clock=ticking)
    return ticking


@pytest.fixture
def installation_reads(runtime: Runtime) -> Iterator[list[str]]:
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM installation" in statement:
            reads.append(statement)

    sa.event.listen(runtime.database.engine, "before_cursor_execute", seen)
    yield reads
    sa.event.remove(runtime.database.engine, "before_cursor_execute", seen)


def install(runtime: Runtime, token: str) -> None:
    """What `kring install mattermost` leaves in the database, written as another process would."""
    with runtime.database.session() as session:
        installations.save(session, runtime.sealer, "mattermost", TEAM_ID, "https://chat.example.org",
                           runtime.clock.now(), command_token=token)


def status_code(client: FlaskClient, token: str) -> int:
    return client.post("/mattermost/command", data=slash_command("help", token)).status_code


def test_a_token_installed_by_another_process_is_accepted_at_once(client: FlaskClient, runtime: Runtime,
                                                                   clock: Ticking) -> None:
    assert status_code(client, COMMAND_TOKEN) == 200  # the process has read the installations: none
    clock.now += REREAD_SECONDS
    install(runtime, INSTALLED_TOKEN)
    assert status_code(client, INSTALLED_TOKEN) == 200


def test_a_removed_token_is_refused_once_the_kept_time_is_over(client: FlaskClient, runtime: Runtime,
                                                               clock: Ticking) -> None:
    install(runtime, INSTALLED_TOKEN)
    assert status_code(client, INSTALLED_TOKEN) == 200
    with runtime.database.session() as session:
        session.execute(sa.delete(Installation))  # `kring uninstall mattermost`, in another process
    clock.now += KEPT_SECONDS - 1
    assert status_code(client, INSTALLED_TOKEN) == 200  # within the documented time: still trusted
    clock.now += 1
    assert status_code(client, INSTALLED_TOKEN) == 401
    assert status_code(client, COMMAND_TOKEN) == 200  # the configured token is not an installation's


def test_forged_tokens_read_the_installations_at_most_once_a_second(client: FlaskClient, clock: Ticking,
                                                                     installation_reads: list[str]) -> None:
    assert [status_code(client, f"forged-{n}") for n in range(20)] == [401] * 20
    assert len(installation_reads) == 1  # the first read; each miss after it falls within the second
    clock.now += REREAD_SECONDS
    assert status_code(client, "forged-again") == 401
    assert len(installation_reads) == 2
    assert [status_code(client, COMMAND_TOKEN) for _ in range(5)] == [200] * 5
    assert len(installation_reads) == 2  # known credentials read nothing


def test_request_threads_that_find_the_read_out_of_date_read_once_between_them(
        runtime: Runtime, clock: Ticking, installation_reads: list[str]) -> None:
    runtime.installations.get("mattermost")
    clock.now += KEPT_SECONDS
    start = threading.Barrier(8)

    def request_thread() -> None:
        start.wait()
        runtime.installations.get("mattermost")

    threads = [threading.Thread(target=request_thread) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(installation_reads) == 2  # the first read, and one for all eight threads
