"""Replies in Kring's threads on Mattermost become answers — by outgoing webhook, by WebSocket, or both,
each post handled once; posts made while the WebSocket was down are fetched after it reconnects.
The WebSocket also tells Kring who leaves the channel."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from plugin.intake import take
from plugin.platforms.mattermost.listener import Listener
from plugin.storage.models import Answer, InboundEvent, Member, Thread
from tests.support.payloads import CHANNEL_ID, TEAM_ID
from tests.support.waiting import wait_for
from tests.workflows.conftest import Cop, workflow

OUTGOING_TOKEN = "test-outgoing-token"
ASK = workflow("ask", """\
    triggers: [{manual: true}]
    steps:
      - thread: {id: talk, title: {nl: Vraag, en: Question}, text: {nl: "Reageer hier", en: "Reply here"}}
      - ask:
          thread: "{{ talk }}"
          questions: [{nl: "Wat leerde je?", en: "What did you learn?"}]
          to: "[members[1], members[2]]"
      - post: {text: {nl: "klaar", en: "done"}}
    """)


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KRING_MATTERMOST_OUTGOING_TOKENS": OUTGOING_TOKEN}


def started(cop: Cop) -> str:
    """Run the workflow; the platform id of the thread it opened."""
    cop.write("ask", ASK)
    cop.command("enable ask")
    cop.command("run ask")
    with cop.runtime.database.session() as session:
        root = session.scalars(sa.select(Thread.platform_thread_id)).one()
    assert root is not None
    return root


def reply(cop: Cop, post_id: str, user: str, text: str, root: str | None, **extra: Any) -> dict[str, Any]:
    """A post a member makes on Mattermost (the fake keeps it, so Kring can read it back)."""
    post = {"id": post_id, "channel_id": CHANNEL_ID, "user_id": f"user-{user}", "root_id": root or "",
            "message": text, "type": "", "props": {},
            "create_at": int(cop.clock.now().timestamp() * 1000) + len(cop.platform.member_posts) + 1, **extra}
    cop.platform.member_posts[post_id] = post
    return post


def outgoing(cop: Cop, post: dict[str, Any], token: str = OUTGOING_TOKEN) -> int:
    response = cop.client.post("/mattermost/outgoing", json={
        "token": token, "team_id": TEAM_ID, "channel_id": post["channel_id"], "user_id": post["user_id"],
        "user_name": post["user_id"][5:], "post_id": post["id"], "text": post["message"], "trigger_word": "",
        "timestamp": post["create_at"]})
    cop.settle()
    return response.status_code


def answers(cop: Cop) -> list[str]:
    with cop.runtime.database.session() as session:
        return [a.text for a in session.scalars(sa.select(Answer).order_by(Answer.id))]


def post_events(cop: Cop, kind: str = "post_created") -> int:
    with cop.runtime.database.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(InboundEvent).where(
            InboundEvent.kind == kind)) or 0)


def test_a_reply_by_outgoing_webhook_becomes_an_answer(cop: Cop) -> None:
    root = started(cop)
    assert outgoing(cop, reply(cop, "p-anna", "anna", "Listening first", root)) == 200
    assert answers(cop) == ["Listening first"]
    assert outgoing(cop, reply(cop, "p-bram", "bram", "Not a reply, a new post", None)) == 200
    assert answers(cop) == ["Listening first"]
    assert outgoing(cop, reply(cop, "p-bram2", "bram", "Small steps", root)) == 200
    assert answers(cop) == ["Listening first", "Small steps"]
    assert cop.texts()[-1] == "done"


def test_outgoing_webhook_tokens_are_checked(cop: Cop) -> None:
    root = started(cop)
    assert outgoing(cop, reply(cop, "p-anna", "anna", "x", root), token="forged") == 401
    assert post_events(cop) == 0
    assert answers(cop) == []


class FakeMattermostSocket:
    """A WebSocket server speaking Mattermost's event format; it can drop the connection."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.drop = threading.Event()
        self.closing = threading.Event()
        self.connections = 0
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/api/v4/websocket"

    def _handle(self, connection: ServerConnection) -> None:
        if connection.request is None or connection.request.headers.get("Authorization") != f"Bearer {self.token}":
            connection.close(code=4001, reason="unauthorised")
            return
        self.connections += 1
        connection.send(json.dumps({"event": "hello", "data": {"server_version": "fake"}, "seq": 0}))
        while not self.closing.is_set():
            if self.drop.is_set():
                self.drop.clear()
                return  # the connection drops
            try:
                event = self.events.get(timeout=0.05)
            except queue.Empty:
                try:
                    connection.recv(timeout=0)  # notices a client that went away
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                continue
            connection.send(json.dumps(event))

    def removed(self, channel_id: str, user_id: str) -> None:
        self.events.put({"event": "user_removed", "data": {"user_id": user_id, "remover_id": "someone"},
                         "broadcast": {"channel_id": channel_id}, "seq": 2})

    def posted(self, post: dict[str, Any]) -> None:
        self.events.put({"event": "posted", "data": {"post": json.dumps(post), "channel_type": "O"},
                         "broadcast": {"channel_id": post["channel_id"]}, "seq": 1})


@pytest.fixture
def socket() -> Iterator[FakeMattermostSocket]:
    fake = FakeMattermostSocket("test-bot-token")
    fake.thread.start()
    yield fake
    fake.closing.set()
    fake.server.shutdown()


@contextmanager
def listening(cop: Cop, socket: FakeMattermostSocket) -> Iterator[Listener]:
    """A listener connected to the fake socket, stopped at the end of the block."""
    running = cop.runtime.connector("mattermost").listener(cop.runtime.database,
                                                           lambda received: take(cop.runtime, received), socket.url)
    assert isinstance(running, Listener)
    thread = threading.Thread(target=running.run, daemon=True)
    connected = socket.connections
    thread.start()
    wait_for(lambda: socket.connections == connected + 1, "the listener to connect")
    yield running
    running.stop()
    thread.join(timeout=10)


@pytest.fixture
def listener(cop: Cop, socket: FakeMattermostSocket) -> Iterator[Listener]:
    with listening(cop, socket) as running:
        yield running


def test_replies_by_websocket_including_the_gap_each_once(cop: Cop, socket: FakeMattermostSocket,
                                                          listener: Listener) -> None:
    root = started(cop)
    socket.posted(reply(cop, "p-anna", "anna", "Heard over the socket", root))
    wait_for(lambda: post_events(cop) >= 1, "the posted event")
    cop.settle()
    assert answers(cop) == ["Heard over the socket"]

    socket.drop.set()  # the connection drops; bram replies while nobody listens
    wait_for(lambda: not socket.drop.is_set(), "the drop")
    reply(cop, "p-bram", "bram", "Posted during the gap", root)
    wait_for(lambda: socket.connections == 2, "the listener to reconnect", seconds=15)
    wait_for(lambda: post_events(cop) >= 2, "the gap to be fetched")
    socket.posted(cop.platform.member_posts["p-bram"])  # Mattermost may also deliver it late: still once
    # The listener handles the socket's events in order: once a later post is in, the late one was handled.
    socket.posted(reply(cop, "p-chidi", "chidi", "A new topic, after the late delivery", None))
    wait_for(lambda: post_events(cop) >= 3, "the post after the late delivery")
    cop.settle()
    assert answers(cop) == ["Heard over the socket", "Posted during the gap"]
    assert post_events(cop) == 3
    assert cop.texts()[-1] == "done"


def test_a_listener_started_again_fetches_what_was_posted_while_none_ran(cop: Cop,
                                                                        socket: FakeMattermostSocket) -> None:
    root = started(cop)
    with listening(cop, socket):
        socket.posted(reply(cop, "p-anna", "anna", "Heard over the socket", root))
        wait_for(lambda: post_events(cop) == 1, "the posted event")
    cop.clock.advance(timedelta(hours=3))  # nobody listens; bram replies; later the listener starts again
    reply(cop, "p-bram", "bram", "Posted while the listener was stopped", root)
    cop.clock.advance(timedelta(hours=3))
    with listening(cop, socket):
        wait_for(lambda: post_events(cop) == 2, "the missed post to be fetched")
    cop.settle()
    assert answers(cop) == ["Heard over the socket", "Posted while the listener was stopped"]


def test_the_same_reply_by_both_paths_is_one_answer(cop: Cop, socket: FakeMattermostSocket,
                                                    listener: Listener) -> None:
    root = started(cop)
    post = reply(cop, "p-anna", "anna", "Twice delivered", root)
    socket.posted(post)
    wait_for(lambda: post_events(cop) == 1, "the posted event")
    assert outgoing(cop, post) == 200
    assert post_events(cop) == 1
    assert answers(cop) == ["Twice delivered"]


def test_kring_never_hears_itself(cop: Cop, socket: FakeMattermostSocket, listener: Listener) -> None:
    root = started(cop)
    socket.posted(reply(cop, "p-kring", "anna", "from Kring", root, props={"from_kring": True}))
    socket.posted({**reply(cop, "p-bot", "x", "bot text", root), "user_id": "kringbot0000000000000000001"})
    wait_for(lambda: post_events(cop) == 2, "both posts")
    cop.settle()
    assert answers(cop) == []


def test_a_member_removed_from_the_channel_has_left(cop: Cop, socket: FakeMattermostSocket,
                                                    listener: Listener) -> None:
    cop.write("farewell", workflow("farewell", """\
        triggers: [{event: member_left}]
        steps:
          - post: {text: {nl: "Tot ziens {{ event.name }}", en: "Goodbye {{ event.name }}"}}
        """))
    cop.command("enable farewell")
    socket.removed(CHANNEL_ID, "user-bram")
    socket.removed(CHANNEL_ID, "user-nobody")  # not a member: nothing to do
    wait_for(lambda: post_events(cop, "member_left") == 2, "both removals")
    cop.settle()
    assert cop.texts()[-1] == "Goodbye Bram"
    assert "4 members" in cop.command("status")["text"]
    with cop.runtime.database.session() as session:
        assert session.scalars(sa.select(Member.left_at).where(Member.username == "bram")).one() is not None


@pytest.mark.parametrize("paths", [("outgoing",), ("websocket",), ("outgoing", "websocket")])
def test_a_reply_in_the_domain_definition_thread_answers_by_any_path(
        cop: Cop, socket: FakeMattermostSocket, listener: Listener, paths: tuple[str, ...]) -> None:
    cop.command("enable domain-definition")
    cop.command("run domain-definition")
    with cop.runtime.database.session() as session:
        root = session.scalars(sa.select(Thread.platform_thread_id).where(Thread.key == "domain-definition")).one()
    text = "1. Circular building\n2. Waste of materials\nand of energy\n3. Reuse is normal"
    post = reply(cop, "p-anna", "anna", text, root)
    if "websocket" in paths:
        socket.posted(post)
        wait_for(lambda: post_events(cop) == 1, "the posted event")
    if "outgoing" in paths:
        assert outgoing(cop, post) == 200
    cop.settle()
    assert post_events(cop) == 1
    assert answers(cop) == ["Circular building", "Waste of materials\nand of energy", "Reuse is normal"]


def test_kring_listen_runs_as_a_process(process_env: dict[str, str], socket: FakeMattermostSocket) -> None:
    import subprocess

    from tests.support.cli import KRING, run

    run(["db", "upgrade"], process_env)
    listening = subprocess.Popen([*KRING, "listen", "mattermost", "--ws-url", socket.url], env=process_env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: socket.connections == 1, "the listener process to connect")
    finally:
        listening.terminate()
        output, _ = listening.communicate(timeout=15)
    assert listening.returncode == 0, output
    assert f"Listening to {socket.url}" in output


def test_a_reply_in_a_kring_thread_triggers_thread_reply(cop: Cop) -> None:
    who = "{{ members | selectattr('id', 'eq', event.member) | map(attribute='name') | first }}"
    cop.write("thanks", workflow("thanks", f"""\
        triggers: [{{event: thread_reply}}]
        steps:
          - post: {{text: {{nl: "Dank, {who}", en: "Thanks, {who}"}}}}
        """))
    cop.command("enable thanks")
    root = started(cop)
    assert outgoing(cop, reply(cop, "p-anna", "anna", "A reply in the thread", root)) == 200
    assert outgoing(cop, reply(cop, "p-bram", "bram", "Not in a thread", None)) == 200  # no thread: no event
    assert [t for t in cop.texts() if t.startswith("Thanks")] == ["Thanks, Anna"]
