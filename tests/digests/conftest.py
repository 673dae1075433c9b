"""Real local receivers for digests: an SMTP server (aiosmtpd) and a webhook endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.support.services import free_port


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp+plain://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Not started: a test starts it (or leaves it down to see retries)."""
    server = SmtpServer(free_port(), Mailbox())
    yield server
    server.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    url: str
    received: list[Received]
    statuses: list[int]


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    yield from serve_webhooks("127.0.0.1")


def serve_webhooks(host: str) -> Iterator[WebhookReceiver]:
    """A webhook endpoint on ``host`` that records what it gets and answers the queued statuses (else 204)."""
    received: list[Received] = []
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(Received(self.path, dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield WebhookReceiver(f"http://{host}:{server.server_port}/kring", received, statuses)
    server.shutdown()
    server.server_close()


# The test community of the workflow tests (a virtual clock, the HTTP app, the worker, the stand-in).
from tests.workflows.conftest import any_cop, clock, cop, discourse_cop, env, workflow_dir  # noqa: E402, F401
