"""`POST /mattermost/command`: verification, answers, hand-off to the worker, bad input."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask.testing import FlaskClient

from plugin.config import load_config
from plugin.demo.standin import StandInPlatform
from plugin.platforms.registry import build_connectors
from plugin.runtime import Runtime, build_runtime
from plugin.storage.models import Community, InboundEvent, Member, OutboxMessage
from plugin.storage.states import EventStatus, OutboxStatus
from plugin.workflows.catalog import current_catalog
from plugin.workflows.enablement import enable
from tests.conftest import COMMAND_TOKEN
from tests.support.payloads import CHANNEL_ID, slash_command
from tests.support.records import count, events, make_community, outbox_messages
from webhooks import create_app


def test_help_answers_ephemerally_in_english_by_default(client: FlaskClient) -> None:
    response = client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["response_type"] == "ephemeral"
    assert "/cop status" in body["text"]
    assert "shows this help" in body["text"]


def test_empty_text_shows_help(client: FlaskClient) -> None:
    body = client.post("/mattermost/command", data=slash_command("", COMMAND_TOKEN)).get_json()
    assert "/cop help [command|workflow]" in body["text"]


def test_help_follows_the_communitys_language(client: FlaskClient, runtime: Runtime) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, language="nl")
    body = client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN)).get_json()
    assert "toont deze hulp" in body["text"]


def test_help_for_one_command_and_for_an_unknown_one(client: FlaskClient) -> None:
    one = client.post("/mattermost/command", data=slash_command("help status", COMMAND_TOKEN)).get_json()
    assert one["text"].startswith("`/cop status`")
    unknown = client.post("/mattermost/command", data=slash_command("help stat", COMMAND_TOKEN)).get_json()
    assert "There is no command or workflow `stat`" in unknown["text"]
    assert "/cop status" in unknown["text"]


def test_help_for_a_workflow_shows_its_parameters_in_use_and_its_commands(client: FlaskClient,
                                                                          runtime: Runtime) -> None:
    community_id = make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    catalog = current_catalog(runtime.config)
    with runtime.database.session() as session:
        community = session.get_one(Community, community_id)
        now = runtime.clock.now()
        enable(session, community, catalog.workflows["monitoring"], {"ambition_every": "4"}, "test", now)
        enable(session, community, catalog.workflows["experiments"], {}, "test", now)

    def helped(topic: str) -> str:
        answer: str = client.post("/mattermost/command", data=slash_command(f"help {topic}", COMMAND_TOKEN)
                                  ).get_json()["text"]
        return answer

    monitoring = helped("monitoring")
    assert monitoring.startswith("**") and "(`monitoring`, version " in monitoring
    assert "enabled in this community" in monitoring
    assert "- `ambition_every` (int) = `4` — Every how many meetings we check against the domain statement." \
        in monitoring  # the value given when it was enabled
    assert "- `tis_every` (int) = `6`" in monitoring  # the default
    assert "`/cop enable monitoring name=value …`" in monitoring
    experiments = helped("experiments")
    assert "Commands:\n- `/cop backcast`\n- `/cop experiment`" in experiments
    assert helped("experiment").startswith("`/cop experiment")  # a workflow's command, by its word
    assert "not enabled here" in helped("cop-lifecycle")
    assert "Did you mean `/cop help monitoring`?" in helped("monitorin")


def test_status_of_a_community_is_for_its_members(client: FlaskClient, runtime: Runtime) -> None:
    community_id = make_community(runtime, "mattermost", CHANNEL_ID, name="CoP Zorg")
    refused = client.post("/mattermost/command", data=slash_command("status", COMMAND_TOKEN)).get_json()
    assert "not a member of this community" in refused["text"] and "CoP Zorg" not in refused["text"]
    with runtime.database.session() as session:
        session.add(Member(community_id=community_id, platform_user_id="user-anna", username="anna", name="Anna",
                           joined_at=runtime.clock.now()))
    body = client.post("/mattermost/command", data=slash_command("status", COMMAND_TOKEN)).get_json()
    assert body["response_type"] == "ephemeral"
    assert "**CoP Zorg** — 1 member from 0 organisations" in body["text"]
    assert "a meeting every 6 weeks for 18 months" in body["text"]


def test_status_outside_a_community_says_how_to_link_it(client: FlaskClient) -> None:
    body = client.post("/mattermost/command", data=slash_command("status", COMMAND_TOKEN)).get_json()
    assert "not a Kring community yet" in body["text"]
    assert f"--group {CHANNEL_ID}" in body["text"]


def test_unknown_subcommand_gets_a_suggestion_not_an_error(client: FlaskClient) -> None:
    response = client.post("/mattermost/command", data=slash_command("stauts", COMMAND_TOKEN))
    assert response.status_code == 200
    body = response.get_json()
    assert body["response_type"] == "ephemeral"
    assert "Unknown command `stauts`" in body["text"]
    assert "Did you mean `/cop status`?" in body["text"]


def test_answered_commands_are_recorded_as_done(client: FlaskClient, runtime: Runtime) -> None:
    client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN, trigger_id="t-1"))
    [event] = events(runtime)
    assert (event.platform, event.delivery_id, event.kind, event.status) == (
        "mattermost", "t-1", "command", EventStatus.DONE)
    assert event.payload["text"] == "help"
    assert runtime.queue.count == 0


def test_wrong_token_is_refused_and_nothing_recorded(client: FlaskClient, runtime: Runtime) -> None:
    response = client.post("/mattermost/command", data=slash_command("intro", "not-the-token"))
    assert response.status_code == 401
    assert "token" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0
    assert runtime.queue.count == 0


def test_every_configured_team_token_is_accepted(client: FlaskClient) -> None:
    response = client.post("/mattermost/command", data=slash_command("help", "other-team-token"))
    assert response.status_code == 200


def test_without_configured_tokens_the_answer_names_the_setting(
        make_runtime: Callable[..., Runtime], config: object) -> None:
    from dataclasses import replace

    from webhooks import create_app

    runtime = make_runtime()
    runtime.config = replace(runtime.config, mattermost_command_tokens=())
    runtime.connectors = build_connectors(runtime.config, [], runtime.signer, runtime.clock)
    client = create_app(runtime=runtime).test_client()
    response = client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN))
    assert response.status_code == 401
    assert "KRING_MATTERMOST_COMMAND_TOKENS" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0


def test_missing_fields_are_named(client: FlaskClient, runtime: Runtime) -> None:
    data = slash_command("help", COMMAND_TOKEN)
    del data["channel_id"], data["user_id"]
    response = client.post("/mattermost/command", data=data)
    assert response.status_code == 400
    body = response.get_json()
    assert set(body["fields"]) == {"channel_id", "user_id"}
    assert "channel_id" in body["message"]
    assert count(runtime, InboundEvent) == 0


def test_json_instead_of_a_form_is_refused_clearly(client: FlaskClient) -> None:
    response = client.post("/mattermost/command", json=slash_command("help", COMMAND_TOKEN))
    assert response.status_code == 415
    assert "x-www-form-urlencoded" in response.get_json()["message"]


def test_oversized_body_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    data = slash_command("x" * (runtime.config.max_body_bytes + 10), COMMAND_TOKEN)
    response = client.post("/mattermost/command", data=data)
    assert response.status_code == 413
    assert "KRING_MAX_BODY_BYTES" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0


def test_a_command_as_long_as_a_post_is_taken_and_a_longer_one_answered(client: FlaskClient,
                                                                           runtime: Runtime) -> None:
    """Mattermost sends a command as long as a post (16,383 characters); a 400 would show as a generic
    failure, so a longer one gets Kring's own ephemeral answer."""
    taken = client.post("/mattermost/command", data=slash_command("help " + "x" * 16_000, COMMAND_TOKEN))
    assert taken.status_code == 200 and "There is no command" in taken.get_json()["text"]
    refused = client.post("/mattermost/command", data=slash_command("help " + "x" * 16_400, COMMAND_TOKEN))
    assert refused.status_code == 200 and refused.get_json()["response_type"] == "ephemeral"
    assert "at most 16383" in refused.get_json()["text"]
    assert count(runtime, InboundEvent) == 1


def test_unknown_path_and_method_answer_json(client: FlaskClient) -> None:
    assert client.get("/mattermost/command").status_code == 405
    missing = client.post("/nowhere")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"


def test_intro_is_handed_to_the_worker_and_posted_once(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    body = client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN, trigger_id="t-9")).get_json()
    assert body["text"] == "Kring will post the introduction here in a moment."
    [event] = events(runtime)
    assert event.status == EventStatus.RECEIVED
    assert runtime.queue.count == 1
    assert platform.posts() == []

    run_worker()
    [post] = platform.posts()
    assert post.path == "/api/v4/posts"
    assert post.headers["Authorization"] == "Bearer test-bot-token"
    assert post.body["channel_id"] == CHANNEL_ID
    assert "eight steps" in post.body["message"]
    assert post.body["props"]["from_kring"] is True
    [message] = outbox_messages(runtime)
    assert message.status == OutboxStatus.SENT
    assert message.result == {"post_id": "post0000000000000000000001", "thread_id": None}
    assert events(runtime)[0].status == EventStatus.DONE

    # Running the same jobs again (a redelivery, a re-sweep) changes nothing.
    from plugin.queue.jobs import deliver_outbox_message, process_inbound_event

    process_inbound_event(event.id)
    deliver_outbox_message(message.id)
    assert len(platform.posts()) == 1
    assert count(runtime, OutboxMessage) == 1


def test_commands_beyond_the_per_minute_limit_are_refused(runtime: Runtime, env: dict[str, str]) -> None:
    """KRING_COMMANDS_PER_MINUTE, counted per user in Redis, so that every web process shares the count."""
    limited = build_runtime(load_config({**env, "KRING_COMMANDS_PER_MINUTE": "3"}))
    # A user of this test alone: Redis keeps counts per real minute, and other tests' processes (no limit
    # there, but counted) may have sent commands as the usual members this minute.
    user = f"rate-{uuid.uuid4().hex[:8]}"
    try:
        client = create_app(runtime=limited).test_client()
        answers = [client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN, user=user))
                   .get_json()["text"] for _ in range(4)]
        assert all("/cop help" in answer for answer in answers[:3])
        assert "more than 3 commands in a minute" in answers[3]
        other = client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN, user="bram"))
        assert "/cop help" in other.get_json()["text"]  # another member is not held back
    finally:
        limited.close()
