"""`kring listen discourse`: catching up with what the forum posted while no webhook reached Kring.

Discourse does not retry a delivery that could not connect, and its automatic retries are off by
default, so posts made while Kring was down would be lost. The poller reads the forum's latest posts
(`GET /posts.json`, newest first, a page at a time) down to the newest one it saw before — a cursor
kept in the database — and takes each newer post in as its webhook would have; a post that also
arrives by webhook is recorded once (posts are known by id and version).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plugin.clock import Clock
from plugin.errors import BadInput, PlatformError
from plugin.platforms.discourse.outbound import DiscourseOutbound
from plugin.platforms.events import Noticed
from plugin.platforms.inbound import Received
from plugin.storage import cursors, installations
from plugin.storage.database import Database

if TYPE_CHECKING:
    from plugin.platforms.discourse.connector import DiscourseConnector

log = logging.getLogger(__name__)
CURSOR = "discourse-latest-posts"
#: How often the forum is read, and how many pages back at most (a page is about 50 posts).
INTERVAL_SECONDS = 60.0
MOST_PAGES = 20


class DiscoursePoller:
    def __init__(self, connector: DiscourseConnector, outbound: DiscourseOutbound, database: Database, clock: Clock,
                 accept: Callable[[Received], object], interval: float = INTERVAL_SECONDS) -> None:
        self.connector = connector
        self.outbound = outbound
        self.database = database
        self.clock = clock
        self.accept = accept
        self.interval = interval
        self.address = f"{outbound.client.base_url}/posts.json"
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.poll_once()
            except PlatformError as exc:
                log.warning("Discourse catch-up at %s: %s; trying again in %.0f s", self.address, exc, self.interval)
            self.stopped.wait(self.interval)

    def poll_once(self) -> int:
        """Take in the posts made since the newest one seen; how many there were. The first run only
        notes where the forum is: what was posted before Kring listened is not replayed."""
        with self.database.session() as session:
            seen = cursors.position(session, CURSOR)
            scopes = {i.scope for i in installations.of_platform(session, self.connector.name)}
        newer = self._newer_than(seen)
        if seen is not None:
            for post in sorted(newer, key=lambda p: int(p["id"])):
                self._take(post, scopes)
        newest = max((int(p["id"]) for p in newer), default=None if seen is not None else 0)
        if newest is not None:
            with self.database.session() as session:
                cursors.advance(session, CURSOR, newest, self.clock.now())
        return len(newer) if seen is not None else 0

    def _newer_than(self, seen: int | None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in self.outbound.client.latest_pages(MOST_PAGES):
            found += [post for post in page if seen is None or int(post["id"]) > seen]
            if seen is None or min(int(p["id"]) for p in page) <= seen:
                break
        return found

    def _take(self, post: dict[str, Any], scopes: set[str]) -> None:
        try:
            received = self.connector.post_received(post, scopes, "post_created")
        except BadInput as exc:
            log.warning("Discourse catch-up: post %s passed over (%s)", post.get("id"), exc)
            return
        if not isinstance(received.event, Noticed):  # a post elsewhere on the forum: nothing to record
            self.accept(received)
