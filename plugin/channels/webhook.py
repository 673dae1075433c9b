"""Signed outgoing webhooks: a JSON body with an HMAC-SHA256 signature, like the ones Kring checks.

Headers: ``X-Kring-Event``, ``X-Kring-Delivery`` (the same for every retry of one delivery),
``X-Kring-Timestamp`` (Unix seconds when this attempt was sent) and ``X-Kring-Signature:
sha256=<hex HMAC of "<timestamp>." followed by the body>``, keyed with the contact's own secret
(:func:`webhook_secret`, shown to the admin who adds the contact): one organisation cannot sign as
another, and a receiver that refuses old timestamps and repeated delivery ids refuses replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit

import requests

from plugin.channels.ssrf import Resolver, check_url, is_allowed, public_only_session, resolve
from plugin.errors import DeliveryError

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _shown(url: str) -> str:
    """The URL without its path and query, which may carry a token: what errors and logs show."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


def webhook_secret(secret_key: str, community_id: int, url: str) -> str:
    """The key of one contact's webhook signatures, derived from KRING_SECRET_KEY."""
    return hmac.new(secret_key.encode(), f"kring-webhook:{community_id}:{url}".encode(), hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _direct_session() -> requests.Session:
    """A session for an allowed host: not checked, but like the guarded one it ignores the environment's
    proxy settings (a proxy could carry the digest where the operator did not allow)."""
    session = requests.Session()
    session.trust_env = False
    return session


def send(url: str, event: str, payload: dict[str, Any], secret: str, delivery_id: str, timeout: float,
         allowed_hosts: tuple[str, ...] = (), resolver: Resolver = resolve) -> int:
    """POST the signed payload; the status code on success, else :class:`DeliveryError`."""
    check_url(url, allowed_hosts, resolver)
    where = _shown(url)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": "Kring", "X-Kring-Event": event,
               "X-Kring-Delivery": delivery_id, "X-Kring-Timestamp": timestamp,
               "X-Kring-Signature": signature(secret, timestamp, body)}
    try:
        with _direct_session() if is_allowed(url, allowed_hosts) else public_only_session() as session:
            response = session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        raise DeliveryError(f"webhook {where}: {type(exc).__name__}", retryable=True) from exc
    if 300 <= response.status_code < 400:
        raise DeliveryError(f"webhook {where} answered a redirect ({response.status_code}); redirects are not "
                            "followed", response.status_code)
    if response.status_code >= 400:
        raise DeliveryError(f"webhook {where} answered {response.status_code}", response.status_code,
                            retryable=response.status_code in RETRYABLE_STATUSES)
    return response.status_code
