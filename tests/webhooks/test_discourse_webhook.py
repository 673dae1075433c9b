"""`POST /discourse/webhook`: signatures, deduplication, commands in posts, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from flask.testing import FlaskClient

from plugin.demo.standin import StandInPlatform
from plugin.platforms.registry import build_connectors
from plugin.runtime import Runtime
from plugin.storage.models import InboundEvent
from plugin.storage.states import EventStatus
from tests.conftest import WEBHOOK_SECRET
from tests.support.payloads import discourse_delivery, discourse_post
from tests.support.records import count, events, make_community
from webhooks import create_app


def deliver(client: FlaskClient, event: str, body: dict[str, object] | bytes, event_id: str = "evt-1",
            secret: str | None = WEBHOOK_SECRET):  # type: ignore[no-untyped-def]
    data, headers = discourse_delivery(event, body, event_id, secret)
    return client.post("/discourse/webhook", data=data, headers=headers)


def test_ping_is_answered_and_recorded_once(client: FlaskClient, runtime: Runtime) -> None:
    first = deliver(client, "ping", {"ping": "OK"})
    assert first.status_code == 200
    assert first.get_json() == {"status": "recorded", "event": "ping"}
    [event] = events(runtime)
    assert event.status == EventStatus.DONE
    assert runtime.queue.count == 0


def test_the_same_event_id_is_recorded_once(client: FlaskClient, runtime: Runtime) -> None:
    body = {"topic": {"id": 42, "title": "Agenda", "category_id": 7}}
    answers = [deliver(client, "topic_created", body, event_id="evt-7").get_json()["status"] for _ in range(3)]
    assert answers == ["recorded", "duplicate", "duplicate"]
    assert count(runtime, InboundEvent) == 1
    assert runtime.queue.count == 1


def test_a_bad_signature_is_refused_and_nothing_recorded(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "topic_created", {"topic": {"id": 1}}, secret="not-the-secret")
    assert response.status_code == 401
    assert "X-Discourse-Event-Signature" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0


def test_an_unsigned_delivery_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "topic_created", {"topic": {"id": 1}}, secret=None)
    assert response.status_code == 401
    assert count(runtime, InboundEvent) == 0


def test_a_body_changed_after_signing_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    data, headers = discourse_delivery("post_created", discourse_post("/cop help"), "evt-1", WEBHOOK_SECRET)
    tampered = data.replace(b"/cop help", b"/cop intr")
    assert client.post("/discourse/webhook", data=tampered, headers=headers).status_code == 401
    assert count(runtime, InboundEvent) == 0


def test_without_a_configured_secret_nothing_is_accepted(make_runtime: Callable[..., Runtime]) -> None:
    runtime = make_runtime()
    runtime.config = replace(runtime.config, discourse_webhook_secret=None)
    runtime.connectors = build_connectors(runtime.config, [], runtime.signer, runtime.clock)
    response = deliver(create_app(runtime=runtime).test_client(), "ping", {"ping": "OK"})
    assert response.status_code == 401
    assert "KRING_DISCOURSE_WEBHOOK_SECRET" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0


def test_unhandled_events_are_acknowledged_and_ignored(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "user_logged_in", {"user": {"id": 3}})
    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored", "event": "user_logged_in"}
    assert count(runtime, InboundEvent) == 0


def test_malformed_json_is_a_clear_400(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "topic_created", b'{"topic": ')
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["message"]
    assert count(runtime, InboundEvent) == 0


def test_deeply_nested_json_is_a_clear_400(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "topic_created", b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code in (400, 413)
    assert response.get_json()["error"] in ("bad_request", "payload_too_large")
    assert count(runtime, InboundEvent) == 0


def test_a_json_array_is_not_an_event(client: FlaskClient) -> None:
    response = deliver(client, "topic_created", b"[1, 2]")
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["message"]


def test_missing_event_id_is_named(client: FlaskClient, runtime: Runtime) -> None:
    data, headers = discourse_delivery("topic_created", {"topic": {"id": 1}}, "x", WEBHOOK_SECRET)
    del headers["X-Discourse-Event-Id"]
    response = client.post("/discourse/webhook", data=data, headers=headers)
    assert response.status_code == 400
    assert "X-Discourse-Event-Id" in response.get_json()["fields"]
    assert count(runtime, InboundEvent) == 0


def test_a_post_with_a_malformed_post_object_is_a_400(client: FlaskClient, runtime: Runtime) -> None:
    response = deliver(client, "post_created", {"post": {"id": "x", "raw": "/cop help"}})
    assert response.status_code == 400
    assert {"id", "topic_id", "username", "user_id"} <= set(response.get_json()["fields"])
    assert count(runtime, InboundEvent) == 0


def test_cop_help_in_a_post_is_answered_by_one_reply_despite_three_deliveries(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    make_community(runtime, "discourse", "7", language="nl")
    for _ in range(3):
        response = deliver(client, "post_created", discourse_post("/cop help\nthanks!"), event_id="evt-42")
        assert response.status_code == 200
    run_worker()
    run_worker()
    [reply] = platform.posts()
    assert reply.path == "/posts.json"
    assert reply.headers["Api-Key"] == "test-api-key"
    assert reply.headers["Api-Username"] == "kring"
    assert reply.body["topic_id"] == 42
    assert "toont deze hulp" in reply.body["raw"]
    [event] = events(runtime)
    assert (event.kind, event.status) == ("command", EventStatus.DONE)


def test_cop_intro_in_a_post_posts_only_the_introduction(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    deliver(client, "post_created", discourse_post("/cop intro"))
    run_worker()
    [reply] = platform.posts()
    assert reply.body["topic_id"] == 42
    assert reply.body["raw"].startswith("#### Kring supports this Community of Practice")


def test_kring_never_answers_its_own_posts(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    deliver(client, "post_created", discourse_post("/cop help", username="Kring"))
    run_worker()
    assert platform.posts() == []
    [event] = events(runtime)
    assert event.kind == "post_created"


def test_ordinary_posts_are_recorded_without_a_reply(
        client: FlaskClient, runtime: Runtime, platform: StandInPlatform, run_worker: Callable[[], None]) -> None:
    deliver(client, "post_created", discourse_post("I think /cop help is neat"))
    run_worker()
    assert platform.posts() == []
    [event] = events(runtime)
    assert (event.kind, event.status) == ("post_created", EventStatus.DONE)
    assert json.dumps(event.payload["text"]) == '"I think /cop help is neat"'



def test_a_captured_body_sent_again_under_a_new_event_id_runs_nothing(client: FlaskClient, runtime: Runtime) -> None:
    """The signature covers the body, not when it was sent; a resend weeks later (a real forum's body, with
    its own old `created_at`) is the same post and version: recorded once, its command run once."""
    body = discourse_post("/cop signal Dikes are rising", username="anna", user_id=2, post_id=7701,
                          created_at="2025-03-04T09:15:02.118Z")
    assert deliver(client, "post_created", body, event_id="evt-first").get_json()["status"] == "recorded"
    assert deliver(client, "post_created", body, event_id="evt-replayed").get_json()["status"] == "duplicate"
    assert count(runtime, InboundEvent) == 1
