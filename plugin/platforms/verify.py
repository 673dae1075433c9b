"""Constant-time checks of what platforms send: tokens and HMAC-SHA256 signatures."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def token_matches(given: str, accepted: Iterable[str]) -> bool:
    """True when ``given`` equals one accepted token; every token is compared, in constant time."""
    found = False
    for token in accepted:
        found |= hmac.compare_digest(given.encode(), token.encode())
    return found


def hmac_sha256(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
