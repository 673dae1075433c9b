"""Operations: `/metrics`, request ids, JSON logs without secrets, the audit log, and fuzzed endpoints
that never answer 5xx."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugin.config import Config
from plugin.demo.standin import StandInPlatform
from plugin.logs import JsonFormatter
from plugin.runtime import Runtime, build_runtime
from plugin.storage.models import InboundEvent
from tests.conftest import COMMAND_TOKEN, WEBHOOK_SECRET
from tests.support.payloads import CHANNEL_ID, discourse_delivery, slash_command
from tests.support.records import count, fast_retries, make_community
from webhooks import create_app
from webhooks.metrics import RequestIdFilter


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match, f"{name} not in\n{text}"
    return float(match.group(1))


METRICS_AUTH = {"Authorization": "Bearer test-metrics-token"}


def test_metrics_are_for_whoever_has_the_metrics_token(client: FlaskClient, config: Config) -> None:
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer a-guess"}).status_code == 401
    assert client.get("/metrics", headers=METRICS_AUTH).status_code == 200
    closed = build_runtime(replace(config, metrics_token=None))
    try:
        refused = create_app(runtime=closed).test_client().get("/metrics", headers=METRICS_AUTH)
        assert refused.status_code == 401 and "set KRING_METRICS_TOKEN" in refused.get_json()["message"]
    finally:
        closed.close()


def test_metrics_report_requests_work_and_deliveries(client: FlaskClient, runtime: Runtime,
                                                     run_worker: Callable[[], None]) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    client.post("/mattermost/command", data=slash_command("help", COMMAND_TOKEN))
    client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN))
    client.post("/mattermost/command", data=slash_command("help", "wrong"))
    before = client.get("/metrics", headers=METRICS_AUTH)
    assert before.mimetype == "text/plain"
    text = before.get_data(as_text=True)
    assert metric(text, 'kring_http_requests_total{endpoint="/mattermost/command",method="POST",status="200"}') == 2
    assert metric(text, 'kring_http_requests_total{endpoint="/mattermost/command",method="POST",status="401"}') == 1
    assert metric(text, "kring_queue_depth") == 1
    assert metric(text, 'kring_inbound_events{status="received"}') == 1
    assert metric(text, "kring_redis_up") == 1
    run_worker()
    after = client.get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    assert metric(after, "kring_outbox_backlog") == 0
    assert metric(after, 'kring_outbox_messages{status="sent"}') == 1
    assert metric(after, "kring_deliveries_total") >= 1
    assert metric(after, "kring_queue_depth") == 0


def test_every_response_carries_a_request_id(client: FlaskClient) -> None:
    generated = client.get("/healthz").headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz", headers={"X-Request-Id": "from-the-proxy"}).headers["X-Request-Id"] == \
        "from-the-proxy"


def test_json_log_lines_carry_the_request_id(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(RequestIdFilter())
    with app.test_request_context("/healthz", headers={"X-Request-Id": "req-42"}), caplog.at_level(logging.INFO):
        app.preprocess_request()
        logging.getLogger("kring.test").info("inside a request")
    [line] = [JsonFormatter().format(r) for r in caplog.records if r.name == "kring.test"]
    assert json.loads(line) | {"time": "t"} == {"time": "t", "level": "INFO", "logger": "kring.test",
                                                "message": "inside a request", "request_id": "req-42"}


def test_logs_hold_no_secrets(client: FlaskClient, runtime: Runtime, platform: StandInPlatform,
                              run_worker: Callable[[], None], caplog: pytest.LogCaptureFixture) -> None:
    make_community(runtime, "mattermost", CHANNEL_ID, members=("anna",))
    platform.fail_next(500, times=2)  # the platform client logs its retries
    fast_retries(runtime)
    with caplog.at_level(logging.DEBUG):
        client.post("/mattermost/command", data=slash_command("intro", COMMAND_TOKEN))
        client.post("/mattermost/command", data=slash_command("help", "a-guessed-token"))
        body, headers = discourse_delivery("ping", {"ping": "OK"}, "evt-1", WEBHOOK_SECRET)
        client.post("/discourse/webhook", data=body, headers=headers)
        run_worker()
    assert any("retrying POST /posts" in record.getMessage() for record in caplog.records)
    everything = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    for secret in (COMMAND_TOKEN, "a-guessed-token", WEBHOOK_SECRET, runtime.config.secret_key, "test-bot-token"):
        assert secret not in everything


def test_admin_actions_are_audited(client: FlaskClient, runtime: Runtime, process_env: dict[str, str]) -> None:
    from plugin.storage.communities import upsert_member
    from plugin.storage.states import MemberRole
    from tests.support.cli import run

    run(["db", "upgrade"], process_env)
    assert "No admin actions" in run(["audit"], process_env).stdout  # a fresh database
    community_id = make_community(runtime, "mattermost", CHANNEL_ID)
    with runtime.database.session() as session:
        upsert_member(session, community_id=community_id, user_id="user-anna", name="Anna", username="anna",
                      organisation=None, role=MemberRole.ADMIN, now=runtime.clock.now())
    assert client.post("/mattermost/command", data=slash_command("enable group-decisions", COMMAND_TOKEN)
                       ).status_code == 200
    env = {**process_env, "KRING_DATABASE_URL": runtime.config.database_url}
    listed = run(["audit"], env).stdout
    assert f"community {community_id} mattermost:anna enable" in listed and "group-decisions" in listed
    assert "No admin actions" in run(["audit", "--community", str(community_id + 1)], env).stdout


@pytest.fixture
def fuzz_client(client: FlaskClient) -> FlaskClient:
    return client


TEXT = st.text(max_size=40)
FORMS = st.dictionaries(st.sampled_from(["token", "channel_id", "user_id", "text", "trigger_id", "team_id",
                                         "user_name", "response_url", "x"]), TEXT, max_size=8)
JSONS = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
                     lambda children: st.one_of(st.lists(children, max_size=4),
                                                st.dictionaries(TEXT, children, max_size=4)), max_leaves=15)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=FORMS, with_token=st.booleans())
def test_fuzzed_slash_commands_never_5xx(fuzz_client: FlaskClient, form: dict[str, str], with_token: bool) -> None:
    if with_token:
        form = {**form, "token": COMMAND_TOKEN}
    assert fuzz_client.post("/mattermost/command", data=form).status_code < 500


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSONS, path=st.sampled_from(["/mattermost/action", "/mattermost/dialog", "/mattermost/outgoing"]))
def test_fuzzed_json_endpoints_never_5xx(fuzz_client: FlaskClient, body: object, path: str) -> None:
    assert fuzz_client.post(path, data=json.dumps(body), content_type="application/json").status_code < 500


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSONS, event=st.sampled_from(["post_created", "post_edited", "topic_created", "ping",
                                          "user_added_to_group", "x"]), signed=st.booleans())
def test_fuzzed_discourse_webhooks_never_5xx(fuzz_client: FlaskClient, runtime: Runtime, body: object, event: str,
                                             signed: bool) -> None:
    raw = json.dumps(body).encode()
    data, headers = discourse_delivery(event, raw, f"fuzz-{hash(raw)}", WEBHOOK_SECRET if signed else "wrong")
    response = fuzz_client.post("/discourse/webhook", data=data, headers=headers)
    assert response.status_code < 500
    if not signed:
        assert response.status_code == 401


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSONS, event=st.sampled_from(["post_created", "post_edited", "user_added_to_group", "ping"]),
       secret=st.text(min_size=1, max_size=20).filter(lambda s: s != WEBHOOK_SECRET))
def test_unsigned_fuzz_records_nothing(fuzz_client: FlaskClient, runtime: Runtime, body: object, event: str,
                                       secret: str) -> None:
    data, headers = discourse_delivery(event, json.dumps(body).encode(), "e", secret)
    assert fuzz_client.post("/discourse/webhook", data=data, headers=headers).status_code == 401
    assert count(runtime, InboundEvent) == 0
