"""A real local SMTP server for `kring simulate`: e-mailed digests take the production path (the outbox,
the SMTP client) and land in the transcript, each with its recipient and subject, instead of failing
for want of a mail server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

#: Receives what arrived: the recipient, the subject and the plain-text body.
Deliver = Callable[[str, str, str], None]


class _Recipient:
    """The aiosmtpd handler: every message accepted, read as the recipient would."""

    def __init__(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls it by this name
        message = message_from_bytes(envelope.content, _class=EmailMessage, policy=policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        for recipient in envelope.rcpt_tos:
            self._deliver(recipient, str(message["Subject"] or ""), text)
        return "250 Message accepted for delivery"


class _AnyPortController(Controller):
    """aiosmtpd's controller on a port the system picks (0), read back before its first connection."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it unannotated


class MailSink:
    """``with MailSink(deliver) as url``: a server listening on 127.0.0.1 for as long as the block runs;
    ``url`` is its unencrypted ``KRING_SMTP_URL`` (nothing leaves the machine)."""

    def __init__(self, deliver: Deliver) -> None:
        self._controller = _AnyPortController(_Recipient(deliver), hostname="127.0.0.1", port=0)

    def __enter__(self) -> str:
        self._controller.start()
        return f"smtp+plain://127.0.0.1:{self._controller.port}"

    def __exit__(self, *_: object) -> None:
        self._controller.stop()
