"""A post the platform refuses for good: the admins are told privately, `/cop status` shows it (with the
reason, to admins), and the operator's retry sends it once the platform takes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from plugin.clock import VirtualClock
from plugin.demo.standin import StandInPlatform
from plugin.queue.unit_of_work import unit_of_work
from plugin.runtime import Runtime
from plugin.storage import undelivered
from plugin.storage.models import Member
from plugin.storage.states import MemberRole, OutboxStatus
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import fast_retries, make_community, outbox_messages
from webhooks import create_app

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def runtime(make_runtime: Callable[..., Runtime]) -> Runtime:
    runtime = make_runtime(clock=VirtualClock(START))
    fast_retries(runtime)
    community_id = make_community(runtime, "mattermost", CHANNEL_ID, members=("anna", "bram"))
    with runtime.database.session() as session:
        session.execute(sa.update(Member).where(Member.community_id == community_id, Member.username == "anna")
                        .values(role=MemberRole.ADMIN))
    return runtime


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime=runtime).test_client()


def command(client: FlaskClient, text: str, user: str) -> str:
    response = client.post("/mattermost/command", data=slash_command(text, COMMAND_TOKEN, user=user))
    assert response.status_code == 200
    answer: str = response.get_json()["text"]
    return answer


def test_a_refused_post_is_told_to_the_admins_shown_by_status_and_sent_on_retry(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    platform.fail_next(403, path="/api/v4/posts")  # e.g. the bot was taken out of the channel
    command(client, "intro", "anna")
    run_worker()
    intro, notice = outbox_messages(runtime)
    assert (intro.status, intro.attempts) == (OutboxStatus.FAILED, 1)
    host = platform.url.removeprefix("http://")
    assert f"POST {host}/posts answered 403" in (intro.last_error or "")  # the host, for the operator

    # The admin (anna) alone is told, privately, with what to do.
    assert notice.status == OutboxStatus.SENT and notice.payload["to_user_id"] == "user-anna"
    [told] = platform.posts()
    assert told.body["channel_id"] == platform.direct_channel_with("user-anna")
    assert "was not delivered" in told.body["message"] and f"kring outbox retry {intro.id}" in told.body["message"]

    # `/cop status`: a count for every member; for an admin also the message and why.
    for_admin, for_member = command(client, "status", "anna"), command(client, "status", "bram")
    assert "Not delivered: 0 being tried again, 1 given up." in for_admin
    assert "Not delivered: 0 being tried again, 1 given up." in for_member
    assert f"message {intro.id} (post to group), given up after 1 attempt: POST {host}" in for_admin
    assert f"message {intro.id}" not in for_member and "kring outbox list" in for_admin

    # The operator sends it again (`kring outbox retry`): it goes out, and the status is clear again.
    with unit_of_work(runtime) as session:
        assert undelivered.retry(session, undelivered.failed_ids(session), runtime.clock.now()) == [intro.id]
    run_worker()
    assert outbox_messages(runtime)[0].status == OutboxStatus.SENT
    assert [p.body["channel_id"] for p in platform.posts()][-1] == CHANNEL_ID
    assert "Not delivered" not in command(client, "status", "anna")


def test_a_notice_that_is_itself_refused_tells_nobody_again(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    platform.fail_next(403, times=5, path="/api/v4/posts")
    command(client, "intro", "anna")
    run_worker()
    messages = outbox_messages(runtime)
    assert [m.status for m in messages] == [OutboxStatus.FAILED, OutboxStatus.FAILED]  # the post, one notice
    assert platform.posts() == []
