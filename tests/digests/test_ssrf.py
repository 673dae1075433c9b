"""The SSRF guard refuses every address that is not public, however it is written or resolved."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from plugin.channels import webhook
from plugin.channels.ssrf import check_url
from plugin.errors import DeliveryError, UnsafeTarget
from tests.digests.conftest import WebhookReceiver, serve_webhooks
from tests.support.services import public_address_on_loopback


def resolving_to(*addresses: str):  # type: ignore[no-untyped-def]
    def resolver(host: str, port: int) -> Iterable[str]:
        return addresses
    return resolver


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1",
                                     "100.64.0.1", "224.0.0.1",
                                     # inwards through IPv6: 6to4 of loopback, site-local, Teredo of a private
                                     # client; and the 6to4 relay range
                                     "2002:7f00:1::1", "fec0::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
                                     "192.88.99.1"])
def test_private_loopback_link_local_and_metadata_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeTarget, match="not a public address"):
        check_url("https://hooks.example.org/kring", resolver=resolving_to(address))


def test_an_ipv4_address_inside_a_6to4_one_is_judged_as_that_address() -> None:
    check_url("https://hooks.example.org/kring", resolver=resolving_to("2002:5db8:d822::1"))  # 93.184.216.34


def test_one_bad_address_among_good_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeTarget, match=r"10\.0\.0\.5"):
        check_url("https://hooks.example.org/x", resolver=resolving_to("93.184.216.34", "10.0.0.5"))


def test_a_public_address_passes_and_an_allowed_host_skips_the_check() -> None:
    check_url("https://hooks.example.org/x", resolver=resolving_to("93.184.216.34"))
    check_url("http://127.0.0.1:8080/x", allowed_hosts=("127.0.0.1",), resolver=resolving_to("127.0.0.1"))


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "https://user:pw@example.org/x",
                                 "https:///nohost"])
def test_other_schemes_credentials_and_missing_hosts_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        check_url(url, resolver=resolving_to("93.184.216.34"))


def test_literal_addresses_are_resolved_by_the_real_resolver_and_refused() -> None:
    for url in ("http://127.0.0.1/x", "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/x"):
        with pytest.raises(UnsafeTarget):
            check_url(url)


def test_a_name_that_resolves_inwards_after_the_check_is_refused_at_connecting(
        webhook_receiver: WebhookReceiver) -> None:
    """DNS rebinding: the check saw a public address, the connection reached loopback; nothing is sent."""
    for scheme in ("http", "https"):  # for https the peer is checked before the TLS handshake
        url = webhook_receiver.url.replace("http://127.0.0.1", f"{scheme}://localhost")
        with pytest.raises(UnsafeTarget, match=r"localhost connected to (127\.0\.0\.1|::1): not a public address"):
            webhook.send(url, "digest", {"n": 1}, "secret", "d-1", 5, resolver=resolving_to("93.184.216.34"))
    assert webhook_receiver.received == []


def test_a_digest_reaches_a_peer_with_a_public_address_through_the_guard() -> None:
    """The guard is on: the receiver listens on a public address (put on this machine's loopback)."""
    with public_address_on_loopback() as address:
        for receiver in serve_webhooks(address):
            status = webhook.send(receiver.url, "digest", {"n": 1}, "secret", "d-1", 5)
            assert status == 204
            assert [r.json()["n"] for r in receiver.received] == [1]


@pytest.fixture
def proxy_in_environment(monkeypatch: pytest.MonkeyPatch) -> Iterable[WebhookReceiver]:
    """A recording "proxy" named by every proxy variable requests reads from the environment."""
    for proxy in serve_webhooks("127.0.0.1"):
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.url.removesuffix("/kring"))
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield proxy


def test_webhooks_ignore_proxy_settings_and_do_not_follow_redirects(
        proxy_in_environment: WebhookReceiver) -> None:
    """Through the guard (a public address) and to an allowed host alike, the digest goes straight to the
    receiver, and a redirect is an error: a proxy or a redirect could carry it inwards."""
    with public_address_on_loopback() as address:
        for host, allowed in ((address, ()), ("127.0.0.1", ("127.0.0.1",))):
            for receiver in serve_webhooks(host):
                assert webhook.send(receiver.url, "digest", {"n": 1}, "secret", "d-1", 5, allowed_hosts=allowed) == 204
                receiver.statuses.append(302)
                with pytest.raises(DeliveryError, match=r"answered a redirect \(302\); redirects are not followed"):
                    webhook.send(receiver.url, "digest", {"n": 2}, "secret", "d-2", 5, allowed_hosts=allowed)
                assert [r.json()["n"] for r in receiver.received] == [1, 2]
    assert proxy_in_environment.received == []
