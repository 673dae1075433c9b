"""A new platform is a connector and one registry line: a minimal third connector, written here, runs
the built-in `group-decisions` workflow end to end over HTTP, with the real worker and database."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields

from plugin.clock import VirtualClock
from plugin.config import Config
from plugin.errors import NotVerified
from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.platforms.connector import Capability, Connector
from plugin.platforms.events import CommandInvoked
from plugin.platforms.inbound import Answer, EndpointDoc, InboundRequest, Outcome, Received, StoredInstallations, load
from plugin.platforms.registry import CONNECTORS
from plugin.queue.sweeper import sweep_once
from plugin.queue.worker import worker_for
from plugin.runtime import Runtime
from plugin.storage.communities import add_community, upsert_member
from plugin.storage.installations import Installed
from plugin.storage.models import Poll
from plugin.storage.states import MemberRole
from webhooks import create_app

TOKEN = "echo-token"
GROUP = "room-1"


class EchoCommand(Schema):
    token = fields.String(required=True)
    room = fields.String(required=True)
    user = fields.String(required=True)
    text = fields.String(load_default="")


class EchoOutbound:
    """Keeps what Kring posts, as a chat room would show it."""

    def __init__(self) -> None:
        self.posts: list[OutboundPost] = []

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        self.posts.append(post)
        number = f"echo-{len(self.posts)}"
        return PostedMessage(number, post.thread_id or (number if post.opens_thread else None))


class EchoConnector(Connector):
    """A chat with one JSON endpoint for commands and nothing else: no buttons, forms or polls."""

    name: ClassVar[str] = "echo"
    title: ClassVar[str] = "Echo"
    group_noun: ClassVar[str] = "room"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.THREADS})
    settings: ClassVar[str] = "nothing"
    endpoints: ClassVar[tuple[EndpointDoc, ...]] = (
        EndpointDoc("command", "A command typed in a room.", EchoCommand(), ("application/json",), "The answer."),)
    outbound: EchoOutbound

    def connect(self, config: Config, installations: Sequence[Installed]) -> EchoOutbound:
        return EchoOutbound()

    def receive(self, request: InboundRequest, stored: StoredInstallations) -> Received:
        body = load(EchoCommand(), request.json(), "echo command")
        if body["token"] != TOKEN:
            raise NotVerified("wrong token")
        event = CommandInvoked(platform=self.name, group_id=body["room"], user_id=body["user"],
                               user_name=body["user"], text=body["text"], delivery_id=str(uuid.uuid4()))
        return Received(event, event.delivery_id)

    def answer(self, received: Received, outcome: Outcome) -> Answer:
        return Answer({"text": outcome.text})


@pytest.fixture
def echo_runtime(monkeypatch: pytest.MonkeyPatch, make_runtime: Callable[..., Runtime]) -> Runtime:
    monkeypatch.setitem(CONNECTORS, EchoConnector.name, EchoConnector)  # the one registry line
    return make_runtime(clock=VirtualClock(datetime(2027, 1, 4, 8, 0, tzinfo=UTC)))


def test_a_third_connector_runs_a_built_in_workflow_over_http(echo_runtime: Runtime) -> None:
    runtime = echo_runtime
    clock = runtime.clock
    assert isinstance(clock, VirtualClock)
    with runtime.database.session() as session:
        community = add_community(session, platform="echo", group_id=GROUP, name="CoP Echo", language="en",
                                  timezone="Europe/Amsterdam", now=clock.now())
        for name in ("admin", "anna", "bram", "chidi"):
            upsert_member(session, community_id=community.id, user_id=name, name=name.capitalize(), username=name,
                          organisation=None, role=MemberRole.ADMIN if name == "admin" else MemberRole.MEMBER,
                          now=clock.now())
    client = create_app(runtime=runtime).test_client()

    def settle() -> None:
        for _ in range(20):
            worker_for(runtime).work(burst=True, logging_level="WARNING")
            found = sweep_once(runtime)
            if not (found.events or found.messages or found.timers) and runtime.queue.count == 0:
                return

    def say(text: str, user: str = "admin") -> str:
        response = client.post("/echo/command", json={"token": TOKEN, "room": GROUP, "user": user, "text": text})
        assert response.status_code == 200, response.get_data(as_text=True)
        settle()
        answer: dict[str, Any] = response.get_json()
        return str(answer["text"])

    assert client.post("/echo/command", json={"token": "guess", "room": GROUP, "user": "anna"}).status_code == 401
    assert "/echo/command" in client.get("/openapi.json").get_json()["paths"]
    assert "enabled" in say("enable group-decisions vote_days=2d")
    assert "has started" in say("propose Meet at the pumping station", user="chidi")
    outbound = runtime.connector("echo").outbound
    assert isinstance(outbound, EchoOutbound)
    with runtime.database.session() as session:
        poll_id = session.scalar(sa.select(Poll.id).where(Poll.community_id == community.id))
    assert any(f"/cop vote {poll_id}" in post.text and not post.buttons for post in outbound.posts)
    for user, choice in (("anna", 1), ("bram", 1), ("chidi", 2)):
        assert "counted" in say(f"vote {poll_id} {choice}", user=user)
    clock.advance(timedelta(days=2, minutes=1))
    settle()
    assert outbound.posts[-1].text == ("Decision 1: \u2018Meet at the pumping station\u2019 is adopted "
                                       "(2 agree, 1 disagree, 3 votes).")
    assert {post.group_id for post in outbound.posts} == {GROUP}
