"""The installations' opened credentials, kept in the process: every inbound request checks a token or a
signature against them, and reading and unsealing them each time cost a session and a commit.

A change made by `kring install` or `kring uninstall` in another process is seen within
:data:`KEPT_SECONDS`. A credential the cache does not know (a token just installed) makes the caller
read again at once (:meth:`InstallationCache.reread`), at most once per :data:`REREAD_SECONDS` per
platform, so a stream of forged requests cannot turn into a stream of database reads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from plugin.sealing import Sealer
from plugin.storage.database import Database
from plugin.storage.installations import Installed, opened

#: How long a process trusts what it read: a removed credential is refused after this at the latest.
KEPT_SECONDS = 30.0
#: The shortest time between two reads caused by an unknown credential.
REREAD_SECONDS = 1.0


@dataclass(frozen=True)
class _Read:
    installed: tuple[Installed, ...]
    at: float


class InstallationCache:
    def __init__(self, database: Database, sealer: Sealer, clock: Callable[[], float] = time.monotonic) -> None:
        self._database = database
        self._sealer = sealer
        self._clock = clock
        self._reads: dict[str, _Read] = {}
        self._lock = threading.Lock()

    def get(self, platform: str) -> tuple[Installed, ...]:
        """The platform's installations, read at most :data:`KEPT_SECONDS` ago."""
        read = self._reads.get(platform)
        if read is None or self._clock() - read.at >= KEPT_SECONDS:
            read = self._read(platform)
        return read.installed

    def reread(self, platform: str) -> bool:
        """Read the platform's installations again, unless that happened within :data:`REREAD_SECONDS`;
        whether it did."""
        read = self._reads.get(platform)
        if read is not None and self._clock() - read.at < REREAD_SECONDS:
            return False
        self._read(platform)
        return True

    def _read(self, platform: str) -> _Read:
        with self._lock, self._database.session() as session:
            read = _Read(tuple(opened(session, platform, self._sealer)), self._clock())
        self._reads[platform] = read
        return read
