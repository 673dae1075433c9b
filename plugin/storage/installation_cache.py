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
        return self._read_unless_within(platform, KEPT_SECONDS).installed

    def reread(self, platform: str) -> bool:
        """Read the platform's installations again, unless that happened within :data:`REREAD_SECONDS`;
        whether it did."""
        before = self._reads.get(platform)
        return self._read_unless_within(platform, REREAD_SECONDS) is not before

    def _read_unless_within(self, platform: str, seconds: float) -> _Read:
        """What was read of ``platform`` in the last ``seconds``, else a new read. Checked again under the
        lock, so that the request threads that find the same read out of date read once between them."""
        read = self._reads.get(platform)
        if read is not None and self._clock() - read.at < seconds:
            return read
        with self._lock:
            read = self._reads.get(platform)
            if read is None or self._clock() - read.at >= seconds:
                with self._database.session() as session:
                    read = _Read(tuple(opened(session, platform, self._sealer)), self._clock())
                self._reads[platform] = read
        return read
