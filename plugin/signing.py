"""Signed contexts: data Kring hands to a platform (button contexts, dialog states) and must trust
when it comes back. HMAC-SHA256 over the whole context with KRING_SECRET_KEY, with a key id so keys
can be rotated (KRING_PREVIOUS_SECRET_KEYS still verify), an expiry, and a nonce for replay checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plugin.errors import KringError


class ContextRefused(KringError):
    """A context that was tampered with, signed by an unknown key, malformed or expired."""


def key_id(key: str) -> str:
    return hashlib.sha256(b"kring-key-id:" + key.encode()).hexdigest()[:8]


def _mac(key: str, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hmac.new(key.encode(), canonical, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Verified:
    data: dict[str, Any]
    nonce: str


class Signer:
    def __init__(self, key: str, previous: Iterable[str] = ()) -> None:
        self.key = key
        self.keys = {key_id(k): k for k in (*previous, key)}

    def sign(self, data: dict[str, Any], expires_at: datetime) -> dict[str, Any]:
        body = {"v": 1, "kid": key_id(self.key), "exp": int(expires_at.timestamp()),
                "nonce": secrets.token_urlsafe(12), "data": data}
        return {**body, "sig": _mac(self.key, body)}

    def verify(self, context: Any, now: datetime) -> Verified:
        if not isinstance(context, dict) or not isinstance(context.get("sig"), str):
            raise ContextRefused("the context is not signed by Kring")
        body = {k: v for k, v in context.items() if k != "sig"}
        key = self.keys.get(str(body.get("kid")))
        if key is None:
            raise ContextRefused("the context is signed with an unknown key")
        if not hmac.compare_digest(_mac(key, body).encode(), context["sig"].encode()):  # bytes: any text compares
            raise ContextRefused("the context was changed after Kring signed it")
        if not isinstance(body.get("exp"), int) or not isinstance(body.get("data"), dict):
            raise ContextRefused("the context is malformed")
        if body["exp"] < now.timestamp():
            raise ContextRefused("the context has expired")
        return Verified(body["data"], str(body.get("nonce", "")))
