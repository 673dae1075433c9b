"""`kring demo`: a short scripted exchange through the real HTTP app, a real RQ worker and Redis.

Everything runs on the embedded defaults (SQLite and an embedded Redis in a temporary KRING_HOME)
against a local stand-in platform, so the demo needs no configuration and no running services.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa
from waitress.server import create_server

from plugin.config import load_config
from plugin.demo.standin import StandInPlatform
from plugin.platforms.discourse.connector import signature as discourse_signature
from plugin.queue.jobs import use_runtime
from plugin.queue.worker import worker_for
from plugin.redis_connection import stop_embedded_redis
from plugin.runtime import Runtime, build_runtime
from plugin.storage.communities import add_community, upsert_member
from plugin.storage.models import Answer, Member, Thread
from plugin.storage.states import MemberRole
from plugin.texts import text
from webhooks import create_app

Echo = Callable[[str], None]

COMMAND_TOKEN = "demo-command-token"  # noqa: S105 - a throwaway token for the local demo only
OUTGOING_TOKEN = "demo-outgoing-token"  # noqa: S105
WEBHOOK_SECRET = "demo-webhook-secret"  # noqa: S105
CHANNEL_ID = "demochannel0000000000000001"
CATEGORY_ID = "7"


@contextmanager
def _serving(runtime: Runtime) -> Iterator[str]:
    server = create_server(create_app(runtime=runtime), host="127.0.0.1", port=0, threads=4)
    closing = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except OSError:
            if not closing.is_set():
                raise  # closing the socket under the server's select() is expected; anything else is not

    thread = threading.Thread(target=serve, name="kring-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        closing.set()
        server.task_dispatcher.shutdown()  # let request threads finish before the sockets go
        server.close()
        thread.join(timeout=5)


#: Where the speaker's label ends and what they say begins.
LABEL_WIDTH = 26


def as_terminal_text(markdown: str) -> str:
    """Markdown as a terminal shows it well: no `**`, heading marks or hidden HTML comments (Kring's
    markers in a post); the `commands` keep their backticks."""
    lines = [line.lstrip("#").lstrip() if line.startswith("#") else line
             for line in re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL).replace("**", "").splitlines()]
    return "\n".join(lines).strip()


class Tour:
    def __init__(self, runtime: Runtime, base_url: str, platform: StandInPlatform, echo: Echo,
                 language: str) -> None:
        self.runtime = runtime
        self.base_url = base_url
        self.platform = platform
        self.echo = echo
        self.language = language
        self.seen_posts = 0

    def say(self, who: str, message: str) -> None:
        first, *rest = as_terminal_text(message).splitlines() or [""]
        self.echo(f"{who + ':':<{LABEL_WIDTH - 1}} {first}")
        for line in rest:
            self.echo(" " * LABEL_WIDTH + line)

    def slash(self, user: str, command: str) -> None:
        self.say(f"{user} (Mattermost)", f"/cop {command}".rstrip())
        response = requests.post(self.base_url + "/mattermost/command", timeout=10, data={
            "token": COMMAND_TOKEN, "channel_id": CHANNEL_ID, "channel_name": "cop-circular",
            "team_id": "demoteam00000000000000001", "user_id": f"user-{user.lower()}", "user_name": user.lower(),
            "command": "/cop", "text": command, "trigger_id": f"trigger-{user}-{command}",
        })
        answer = response.json()
        shown = (text("demo.only_to", self.language, user=user) if answer.get("response_type") == "ephemeral"
                 else text("demo.to_channel", self.language))
        self.say(shown, answer.get("text") or json.dumps(answer))

    def discourse_post(self, user: str, raw: str, event_id: str) -> None:
        body = json.dumps({"post": {"id": 501, "topic_id": 42, "category_id": int(CATEGORY_ID), "raw": raw,
                                    "username": user.lower(), "user_id": 17, "post_number": 3}}).encode()
        response = requests.post(self.base_url + "/discourse/webhook", data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-Discourse-Event": "post_created",
            "X-Discourse-Event-Type": "post", "X-Discourse-Event-Id": event_id,
            "X-Discourse-Event-Signature": discourse_signature(WEBHOOK_SECRET, body),
        })
        self.say(text("demo.webhook", self.language, platform="Discourse"),
                 f"post_created #{event_id} -> HTTP {response.status_code} {response.json().get('status')}")

    def reply_in_thread(self, user: str, thread_key: str, reply: str) -> None:
        """A member replies in a thread Kring opened; Mattermost's outgoing webhook tells Kring."""
        with self.runtime.database.session() as session:
            root = session.scalar(sa.select(Thread.platform_thread_id).where(Thread.key == thread_key))
        post_id = f"demo-reply-{user.lower()}"
        self.platform.member_posts[post_id] = {"id": post_id, "channel_id": CHANNEL_ID, "root_id": root or "",
                                               "user_id": f"user-{user.lower()}", "message": reply, "create_at": 0}
        self.say(text("demo.reply", self.language, user=user), reply)
        response = requests.post(self.base_url + "/mattermost/outgoing", timeout=10, json={
            "token": OUTGOING_TOKEN, "channel_id": CHANNEL_ID, "user_id": f"user-{user.lower()}",
            "user_name": user.lower(), "post_id": post_id, "text": reply})
        self.say(text("demo.webhook", self.language, platform="Mattermost"),
                 f"HTTP {response.status_code} {response.json().get('status')}")

    def answers_recorded(self) -> None:
        with self.runtime.database.session() as session:
            rows = session.execute(sa.select(Member.name, sa.func.count()).join(Answer)
                                   .group_by(Member.name).order_by(Member.name)).all()
        self.say(text("demo.database", self.language), text("demo.answers", self.language, listed=", ".join(
            f"{name} {count}" for name, count in rows)))

    def work(self) -> None:
        worker = worker_for(self.runtime)
        worker.work(burst=True, logging_level="WARNING")
        posts = self.platform.posts()
        new, self.seen_posts = posts[self.seen_posts:], len(posts)
        self.say(text("demo.worker", self.language), text("demo.delivered", self.language, count=len(new)))
        for post in new:
            body = post.body if isinstance(post.body, dict) else {}
            where = ("demo.in_thread" if body.get("root_id") else "demo.in_channel") if "channel_id" in body \
                else "demo.in_topic"
            platform = "Mattermost" if "channel_id" in body else "Discourse"
            self.say(text("demo.bot", self.language, platform=platform),
                     text(where, self.language, topic=body.get("topic_id")) + "\n"
                     + (body.get("message") or body.get("raw") or ""))


def run_tour(home: Path | None, language: str, echo: Echo) -> None:
    temporary = home is None
    home = home or Path(tempfile.mkdtemp(prefix="kring-demo-"))
    platform = StandInPlatform().start()
    platform.add_bot()
    config = load_config({
        "KRING_COMMANDS_PER_MINUTE": "0",  # the tour's members act all at once
        "KRING_HOME": str(home), "KRING_LANGUAGE": language, "KRING_LOG_LEVEL": "WARNING",
        "KRING_MATTERMOST_URL": platform.url, "KRING_MATTERMOST_BOT_TOKEN": "demo-bot-token",
        "KRING_MATTERMOST_COMMAND_TOKENS": COMMAND_TOKEN, "KRING_MATTERMOST_OUTGOING_TOKENS": OUTGOING_TOKEN,
        "KRING_DISCOURSE_URL": platform.url, "KRING_DISCOURSE_API_KEY": "demo-api-key",
        "KRING_DISCOURSE_API_USERNAME": "kring", "KRING_DISCOURSE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    })
    runtime = build_runtime(config)
    try:
        echo(text("demo.header", language, home=home, database=runtime.database.display_url,
                  queue=runtime.redis_url, platform=platform.url) + "\n")
        runtime.database.upgrade()
        now = runtime.clock.now()
        with runtime.database.session() as session:
            for kind, group in (("mattermost", CHANNEL_ID), ("discourse", CATEGORY_ID)):
                community = add_community(session, platform=kind, group_id=group, name="CoP Circular Construction",
                                          language=language, timezone=config.timezone, now=now,
                                          start_date=now.date())
                people = (("Anna", MemberRole.ADMIN), ("Bram", MemberRole.MEMBER)) if kind == "mattermost" else (
                    ("Chidi", MemberRole.MEMBER),)
                for name, role in people:
                    user_id = f"user-{name.lower()}" if kind == "mattermost" else "17"  # Discourse: its user id
                    upsert_member(session, community_id=community.id, user_id=user_id, name=name,
                                  username=name.lower(), organisation=None, role=role, now=now)
        use_runtime(runtime)
        with _serving(runtime) as base_url:
            tour = Tour(runtime, base_url, platform, echo, language)
            tour.slash("Anna", "help")
            tour.slash("Anna", "status")
            tour.slash("Bram", "stauts")
            tour.slash("Anna", "intro")
            tour.work()
            tour.discourse_post("Chidi", "/cop status", "evt-1")
            tour.discourse_post("Chidi", "/cop status", "evt-1")  # delivered again: handled once
            tour.work()
            tour.slash("Anna", "enable domain-definition")
            tour.slash("Anna", "run domain-definition")
            tour.work()
            tour.reply_in_thread("Bram", "domain-definition", "1. Reusing building materials\n"
                                 "2. Demolition waste\n3. Every project starts from what is already there")
            tour.work()
            tour.answers_recorded()
            tour.slash("Anna", "runs")
        echo("\n" + text("demo.done", language))
    finally:
        use_runtime(None)
        runtime.close()
        platform.stop()
        stop_embedded_redis()
        if temporary:
            shutil.rmtree(home, ignore_errors=True)


