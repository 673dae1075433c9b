"""`kring listen mattermost`: the bot's WebSocket connection to Mattermost.

It turns `posted` (replies and private channels included), `user_added` and `user_removed` into
the same typed events as the HTTP endpoints, recorded once per post id. It reconnects with backoff
and, after a reconnect, fetches what was posted in Kring's channels during the gap. The newest post
seen is kept in the database (a cursor), so a listener that was stopped or crashed also fetches
what was posted while it was down (up to a week back).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from plugin.clock import Clock
from plugin.errors import PlatformError
from plugin.platforms.events import MemberJoined, MemberLeft, PostCreated
from plugin.platforms.inbound import Received
from plugin.platforms.mattermost.outbound import MattermostOutbound
from plugin.storage import cursors
from plugin.storage.database import Database
from plugin.storage.models import Community

if TYPE_CHECKING:
    from plugin.platforms.mattermost.connector import MattermostConnector

log = logging.getLogger(__name__)

FIRST_RETRY = 1.0
LONGEST_RETRY = 30.0
CURSOR = "mattermost-websocket"
#: How far back a listener that was down fetches what it missed.
LONGEST_CATCH_UP = timedelta(days=7)


def _changed_at(post: dict[str, Any]) -> int:
    return int(post.get("update_at") or post.get("create_at") or 0)


def websocket_url(base_url: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest.rstrip('/')}/api/v4/websocket"


class Listener:
    """Turns the WebSocket's frames into events and hands each, verified, to ``accept`` (the intake)."""

    def __init__(self, connector: MattermostConnector, outbound: MattermostOutbound, database: Database,
                 clock: Clock, accept: Callable[[Received], object], ws_url: str) -> None:
        self.connector = connector
        self.outbound = outbound
        self.database = database
        self.clock = clock
        self.accept = accept
        self.address = ws_url
        self.stopped = threading.Event()
        #: Milliseconds of the newest post seen; a (re)connect fetches everything after it.
        self.last_seen_ms = self._stored_position()
        self.connections = 0

    def _stored_position(self) -> int:
        now = self.clock.now()
        with self.database.session() as session:
            stored = cursors.position(session, CURSOR)
        earliest = int((now - LONGEST_CATCH_UP).timestamp() * 1000)
        return max(stored, earliest) if stored is not None else int(now.timestamp() * 1000)

    def _remember(self, created_ms: int) -> None:
        if created_ms > self.last_seen_ms:
            self.last_seen_ms = created_ms
            with self.database.session() as session:
                cursors.advance(session, CURSOR, created_ms, self.clock.now())

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        failures = 0
        while not self.stopped.is_set():
            try:
                self._session()
                failures = 0
            except (OSError, TimeoutError, WebSocketException, PlatformError) as exc:
                failures += 1
                log.warning("Mattermost WebSocket: %s: %s", type(exc).__name__, exc)
            if not self.stopped.is_set():
                self.stopped.wait(min(FIRST_RETRY * 2 ** max(failures - 1, 0), LONGEST_RETRY))

    def _session(self) -> None:
        authorization = {"Authorization": f"Bearer {self.outbound.client.token}"}
        with connect(self.address, additional_headers=authorization, open_timeout=10, close_timeout=2) as socket:
            self.connections += 1
            log.info("Mattermost WebSocket connected (%d)", self.connections)
            self.catch_up()
            while not self.stopped.is_set():
                try:
                    raw = socket.recv(timeout=1)
                except TimeoutError:
                    continue
                self.handle(json.loads(raw))

    def catch_up(self) -> None:
        """Record what was posted in Kring's channels since the newest post seen."""
        with self.database.session() as session:
            channels = list(session.scalars(sa.select(Community.external_group_id).where(
                Community.platform == self.connector.name)))
        since = self.last_seen_ms  # the same for every channel: one channel's news must not skip another's
        for channel in channels:
            self._catch_up_channel(channel, since)

    def _catch_up_channel(self, channel: str, since: int) -> None:
        """The server answers at most a page (1,000) of posts changed after a moment, in no order: take
        them in the order they changed, then ask again from just before the last one, until an answer
        holds nothing newer. Posts changed in that last millisecond come twice and are recorded once."""
        seen_until = since
        while True:
            page = sorted(self.outbound.client.posts_since(channel, since), key=_changed_at)
            for post in page:
                self._post(post)
            if not any(_changed_at(post) > seen_until for post in page):
                return
            seen_until = _changed_at(page[-1])
            since = seen_until - 1

    def handle(self, message: dict[str, Any]) -> None:
        event, data = message.get("event"), message.get("data") or {}
        if event in ("posted", "post_edited") and isinstance(data.get("post"), str):
            self._post(json.loads(data["post"]))
        elif event in ("user_added", "user_removed"):
            channel = (message.get("broadcast") or {}).get("channel_id")
            user_id = data.get("user_id")
            if channel and user_id and not self.connector.is_own(user_id):  # the bot added to a channel
                change = (MemberJoined if event == "user_added" else MemberLeft)(self.connector.name, channel, user_id)
                self.accept(Received(change, f"{change.KIND}:{channel}:{user_id}:{message.get('seq')}:"
                                             f"{self.connections}"))

    def _post(self, post: dict[str, Any]) -> None:
        """A post, an edit of one (``edit_at``) or a deleted one (``delete_at``, passed over)."""
        if not str(post.get("type", "")).startswith("system_") and not post.get("delete_at"):
            self._record(post)
        # Only once recorded: a crash before fetches it again. Edits count by when they were made.
        self._remember(_changed_at(post))

    def _record(self, post: dict[str, Any]) -> None:
        props = post.get("props") or {}
        created = PostCreated(
            platform=self.connector.name, group_id=post["channel_id"], post_id=post["id"], user_id=post["user_id"],
            user_name="", text=post.get("message", ""), thread_id=post.get("root_id") or None, thread_known=True,
            from_kring=self.connector.is_own(post["user_id"], props),
            version=str(post["edit_at"]) if post.get("edit_at") else "")
        self.accept(Received(created, created.delivery_id))
