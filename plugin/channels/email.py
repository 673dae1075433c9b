"""E-mail over SMTP: an HTML message with a plain-text alternative and its charts as inline images.

KRING_SMTP_URL: ``smtp://user:password@host:587`` upgrades with STARTTLS (and refuses to send when
the server cannot), ``smtps://`` uses TLS from the start, ``smtp+plain://`` sends unencrypted (a
local relay only).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from plugin.errors import DeliveryError

DEFAULT_PORTS = {"smtp": 587, "smtps": 465, "smtp+plain": 25}


def compose(sender: str, to: str, subject: str, text: str, html: str, images: dict[str, tuple[str, bytes]],
            message_id_domain: str = "kring") -> EmailMessage:
    """``images``: name → (content id without brackets, PNG) referenced as ``cid:`` in ``html``."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain=message_id_domain)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    html_part = message.get_body(("html",))
    assert html_part is not None
    for name, (content_id, png) in images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{content_id}>", filename=f"{name}.png")
    return message


def send(smtp_url: str, message: EmailMessage, timeout: float) -> None:
    parts = urlsplit(smtp_url)
    host, port = parts.hostname or "localhost", parts.port or DEFAULT_PORTS.get(parts.scheme, 587)
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            client.ehlo()
            if parts.scheme == "smtp":
                if not client.has_extn("starttls"):
                    raise DeliveryError(f"{host}:{port} offers no STARTTLS; use smtps:// or, for a local "
                                        "relay, smtp+plain://")
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"mail server {host}:{port} answered {exc.smtp_code}", exc.smtp_code,
                            retryable=400 <= exc.smtp_code < 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"mail server {host}:{port}: {type(exc).__name__}", retryable=True) from exc
