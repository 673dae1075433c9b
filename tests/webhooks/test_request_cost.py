"""What one request costs the database: one transaction, and no more statements than its answer needs.

Not a timing (those are in `bench/`): counts of commits and statements, which do not depend on the
machine. A change that opens a second session, or reads again what the request already read, fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from plugin.runtime import Runtime
from tests.conftest import COMMAND_TOKEN, WEBHOOK_SECRET
from tests.support.payloads import CHANNEL_ID, discourse_delivery, slash_command
from tests.support.records import make_community


@dataclass
class Cost:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    def clear(self) -> None:
        self.statements.clear()
        self.commits = 0


@pytest.fixture
def cost(runtime: Runtime) -> Iterator[Cost]:
    measured = Cost()

    def executed(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        measured.statements.append(statement)

    def committed(_conn: object) -> None:
        measured.commits += 1

    engine = runtime.database.engine
    sa.event.listen(engine, "before_cursor_execute", executed)
    sa.event.listen(engine, "commit", committed)
    yield measured
    sa.event.remove(engine, "before_cursor_execute", executed)
    sa.event.remove(engine, "commit", committed)


def test_a_members_status_command_is_one_commit_of_three_statements(client: FlaskClient, runtime: Runtime,
                                                                    cost: Cost) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    client.post("/mattermost/command", data=slash_command("status", COMMAND_TOKEN))  # installations read once
    cost.clear()
    body = client.post("/mattermost/command", data=slash_command("status", COMMAND_TOKEN)).get_json()
    assert "CoP Water" in body["text"]
    # the community with the member; the counts with the workflows; the command's record
    assert len(cost.statements) == 3, cost.statements
    assert cost.commits == 1


def test_a_signed_webhook_is_one_commit_of_one_statement(client: FlaskClient, cost: Cost) -> None:
    for n in range(2):
        cost.clear()
        data, headers = discourse_delivery("topic_created", {"topic": {"id": n}}, f"event-{n}", WEBHOOK_SECRET)
        assert client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
    assert [s.split()[0] for s in cost.statements] == ["INSERT"]  # recorded once, deduplicated by the insert
    assert cost.commits == 1


def test_a_redelivered_webhook_reads_the_record_it_has(client: FlaskClient, cost: Cost) -> None:
    data, headers = discourse_delivery("topic_created", {"topic": {"id": 7}}, "event-7", WEBHOOK_SECRET)
    client.post("/discourse/webhook", data=data, headers=headers)
    cost.clear()
    assert client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
    assert [s.split()[0] for s in cost.statements] == ["INSERT", "SELECT"]
    assert cost.commits == 1
