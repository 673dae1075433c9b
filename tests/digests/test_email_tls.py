"""E-mail over TLS against a real local SMTP server with a certificate Kring must verify: STARTTLS with a
login (`smtp://`), TLS from the start (`smtps://`), and a certificate nobody vouches for (refused)."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from plugin.channels import email
from plugin.errors import DeliveryError
from tests.digests.conftest import Mailbox
from tests.support.services import free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kring-test-smtp")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    return AuthResult(success=(data.login, data.password) == (b"kring", b"p@ss word"), handled=False)


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[int, Mailbox]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=_server_context(certificate),
                            require_starttls=True, authenticator=_login, auth_require_tls=True)
    controller.start()
    yield port, mailbox
    controller.stop()


@pytest.fixture
def implicit_tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[int, Mailbox]]:
    mailbox, port = Mailbox(), free_port()
    context = _server_context(certificate)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context,
                            server_hostname="127.0.0.1")
    controller.start()
    yield port, mailbox
    controller.stop()


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Kring's default TLS context trusts the test certificate, as it would a real CA's."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


def message() -> Any:
    return email.compose("kring@cop.example", "contact@org.example", "Digest", "text", "<p>html</p>", {})


@pytest.mark.usefixtures("trusted")
def test_starttls_with_a_login_delivers(starttls_server: tuple[int, Mailbox]) -> None:
    port, mailbox = starttls_server
    email.send(f"smtp://kring:p%40ss%20word@127.0.0.1:{port}", message(), timeout=10)
    [delivered] = mailbox.messages
    assert delivered["Subject"] == "Digest"


@pytest.mark.usefixtures("trusted")
def test_a_wrong_password_is_an_answer_not_a_retry(starttls_server: tuple[int, Mailbox]) -> None:
    port, mailbox = starttls_server
    with pytest.raises(DeliveryError, match="answered 535") as refused:
        email.send(f"smtp://kring:wrong@127.0.0.1:{port}", message(), timeout=10)
    assert not refused.value.retryable and mailbox.messages == []


@pytest.mark.usefixtures("trusted")
def test_tls_from_the_start_delivers(implicit_tls_server: tuple[int, Mailbox]) -> None:
    port, mailbox = implicit_tls_server
    email.send(f"smtps://127.0.0.1:{port}", message(), timeout=10)
    assert len(mailbox.messages) == 1


def test_a_certificate_nobody_vouches_for_is_refused(starttls_server: tuple[int, Mailbox],
                                                    implicit_tls_server: tuple[int, Mailbox]) -> None:
    for url in (f"smtp://kring:p%40ss%20word@127.0.0.1:{starttls_server[0]}",
                f"smtps://127.0.0.1:{implicit_tls_server[0]}"):
        with pytest.raises(DeliveryError, match="SSLCertVerificationError"):
            email.send(url, message(), timeout=10)
    assert starttls_server[1].messages == [] and implicit_tls_server[1].messages == []
