"""Request verification: constant-time token checks and Discourse's HMAC-SHA256 signature."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

SIGNATURE_PREFIX = "sha256="


def token_matches(given: str, accepted: Iterable[str]) -> bool:
    """True when ``given`` equals one accepted token; every token is compared, in constant time."""
    found = False
    for token in accepted:
        found |= hmac.compare_digest(given.encode(), token.encode())
    return found


def discourse_signature(secret: str, body: bytes) -> str:
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def discourse_signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    return hmac.compare_digest(discourse_signature(secret, body).encode(), header.strip().encode())
