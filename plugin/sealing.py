"""Credentials at rest: what `kring install` stores (tokens, API key, webhook secrets) is sealed with
KRING_SECRET_KEY (Fernet: AES-128-CBC with HMAC-SHA256), so a copy of the database alone reveals none of
them. Earlier keys (KRING_PREVIOUS_SECRET_KEYS) still open what they sealed; sealing uses the current one.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from plugin.errors import KringError

PREFIX = "sealed:v1:"


class SealBroken(KringError):
    """A stored credential that none of the configured keys opens."""


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"kring-sealing:" + key.encode()).digest()))


class Sealer:
    def __init__(self, secret_key: str, previous_keys: tuple[str, ...] = ()) -> None:
        self._keys = MultiFernet([_fernet(key) for key in (secret_key, *previous_keys)])

    def seal(self, value: str) -> str:
        return PREFIX + self._keys.encrypt(value.encode()).decode()

    def rotate(self, value: str) -> str:
        """``value`` sealed again with the current key (opened with whichever key sealed it)."""
        self.open(value)  # says clearly when no key opens it
        return PREFIX + self._keys.rotate(value[len(PREFIX):].encode()).decode()

    def open(self, value: str) -> str:
        if not is_sealed(value):
            raise SealBroken("a stored credential is not sealed; run `kring db upgrade`")
        try:
            return self._keys.decrypt(value[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise SealBroken("a credential stored by `kring install` cannot be opened with KRING_SECRET_KEY: it was "
                             "sealed with another key. Put that key in KRING_PREVIOUS_SECRET_KEYS, or run "
                             "`kring install` again") from None


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)
