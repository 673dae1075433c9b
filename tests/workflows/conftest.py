"""A community on a virtual clock, workflows written per test, and a driver that runs the worker
until nothing is due — the whole stack: HTTP app, database, Redis, RQ, stand-in platform."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from plugin.clock import VirtualClock
from plugin.commands.registry import COMMANDS
from plugin.demo.standin import StandInPlatform
from plugin.engine.loader import load_workflow
from plugin.platforms.discourse.outbound import SHORT_POST_SUFFIX
from plugin.queue.sweeper import sweep_once
from plugin.runtime import Runtime
from plugin.storage.communities import add_community
from plugin.storage.models import Member, Organisation
from plugin.storage.states import MemberRole
from plugin.workflows.planned import UNDO_WINDOW
from tests.conftest import COMMAND_TOKEN, WEBHOOK_SECRET
from tests.support.payloads import CHANNEL_ID, discourse_delivery, discourse_post, slash_command
from tests.support.records import fast_retries
from webhooks import create_app

START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday
ADMIN = "admin"
DISCOURSE_CATEGORY = "7"
MEMBERS = ("anna", "bram", "chidi", "dewi")


@pytest.fixture
def workflow_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "workflows"
    folder.mkdir()
    return folder


@pytest.fixture
def env(env: dict[str, str], workflow_dir: Path) -> dict[str, str]:
    return {**env, "KRING_WORKFLOW_PATH": str(workflow_dir)}


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@dataclass
class Cop:
    """A test community and ways to act in it."""

    runtime: Runtime
    clock: VirtualClock
    client: FlaskClient
    platform: StandInPlatform
    workflow_dir: Path
    run_worker: Callable[[], None]
    community_id: int
    members: dict[str, int]
    kind: str = "mattermost"
    _deliveries: int = 0

    def write(self, name: str, body: str, valid: bool = True) -> Path:
        path = self.workflow_dir / f"{name}.yaml"
        path.write_text(textwrap.dedent(body), encoding="utf-8")
        if valid:
            _, problems = load_workflow(path.read_text(encoding="utf-8"), str(path))
            assert problems == [], "\n".join(map(str, problems))
        return path

    def command(self, text: str, user: str = ADMIN) -> dict[str, Any]:
        """`/cop <text>` as ``user``: a slash command, or on Discourse the first line of a post."""
        if self.kind == "discourse":
            self._deliveries += 1
            people = (ADMIN, *MEMBERS)
            user_id = people.index(user) + 1 if user in people else 999
            # sent as a member must: in a private message (votes too, which may be anonymous)
            private = carries_something_private(text) or text.startswith("vote ")
            data, headers = discourse_delivery("post_created", discourse_post(
                f"/cop {text}", username=user, user_id=user_id, post_id=9000 + self._deliveries,
                created_at=self.clock.now().isoformat(), category_id=None if private else 7,
                archetype="private_message" if private else "regular"),
                f"evt-{self._deliveries}", WEBHOOK_SECRET)
            response = self.client.post("/discourse/webhook", data=data, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)
            self.settle()
            return response.get_json()  # type: ignore[no-any-return]
        response = self.client.post("/mattermost/command", data=slash_command(text, COMMAND_TOKEN, user=user))
        assert response.status_code == 200, response.get_data(as_text=True)
        self.settle()
        result: dict[str, Any] = response.get_json()
        return result

    def say(self, text: str, user: str = ADMIN) -> str:
        """`/cop <text>` as ``user`` and Kring's answer to it, on either platform (on Discourse the
        answer is the first post Kring makes after the command: a reply, or a private message to them)."""
        before = len(self.platform.posts())
        result = self.command(text, user)
        if self.kind == "mattermost":
            return str(result["text"])
        new = [p for p in self.platform.posts()[before:] if p.body.get("target_recipients") in (None, user)]
        assert new, f"Kring did not answer `/cop {text}`"
        return as_read(new[0].body["raw"])

    def confirmed(self, text: str, user: str = ADMIN) -> str:
        """`/cop <text>` for a destructive admin action, confirmed at once with `/cop confirm <n>` and left
        to pass its undo window: what the group was then told (or, when it was refused, the refusal)."""
        asked = self.say(text, user)
        found = re.search(r"/cop confirm (\d+)", asked)
        if found is None:
            return asked
        assert "Confirmed" in self.say(f"confirm {found[1]}", user)
        before = len(self.texts())
        self.advance(UNDO_WINDOW)
        told = self.texts()[before:]
        return told[-1] if told else ""

    def private_to(self, user: str) -> list[str]:
        """Direct (Mattermost) or private (Discourse) messages Kring sent to ``user``."""
        if self.kind == "mattermost":
            return self.posts_to(user)
        return [as_read(p.body["raw"]) for p in self.platform.posts() if p.body.get("target_recipients") == user]

    def settle(self) -> None:
        """Run the worker and the sweeper until nothing is due at the current (virtual) time."""
        for _ in range(50):
            self.run_worker()
            found = sweep_once(self.runtime)
            if not (found.events or found.messages or found.timers) and self.runtime.queue.count == 0:
                return
        raise AssertionError("work kept coming; is something looping?")

    def advance(self, delta: timedelta) -> None:
        """Let time pass in steps, settling at every due timer on the way."""
        from plugin.storage.outbox import next_attempt
        from plugin.storage.timers import next_due

        target = self.clock.now() + delta
        while True:
            with self.runtime.database.session() as session:
                due = min((d for d in (next_due(session), next_attempt(session)) if d is not None), default=None)
            if due is None or due > target:
                break
            if due > self.clock.now():
                self.clock.advance(due - self.clock.now())
            self.settle()
        if target > self.clock.now():
            self.clock.advance(target - self.clock.now())
        self.settle()

    def texts(self) -> list[str]:
        """What Kring posted in the group and its threads (not direct messages), in order."""
        return [as_read(p.body.get("message") or p.body.get("raw")) for p in self.platform.posts()
                if str(p.body.get("channel_id", "")) not in self.platform.direct_channels
                and "target_recipients" not in p.body]

    def direct_messages(self) -> list[str]:
        return [str(p.body["message"]) for p in self.platform.posts()
                if str(p.body.get("channel_id", "")) in self.platform.direct_channels]

    def posts_to(self, user: str) -> list[str]:
        """Direct messages to a member (Mattermost: posts in the direct channel with the bot)."""
        return [str(p.body["message"]) for p in self.platform.posts()
                if p.path == "/api/v4/posts"
                and f"user-{user}" in self.platform.direct_channels.get(str(p.body.get("channel_id")), ())]


def carries_something_private(text: str) -> bool:
    word, *args = text.split() or [""]
    command = COMMANDS.get(word.lower())
    return bool(args) and command is not None and command.private


def as_read(text: object) -> str:
    """A post's text without the pointer Kring adds to a post too short for the forum."""
    return re.sub(r"\n\n<!-- kring:[0-9a-f]+ -->$", "", str(text)).removesuffix(SHORT_POST_SUFFIX)


def make_cop(runtime: Runtime, clock: VirtualClock, platform: StandInPlatform, workflow_dir: Path,
             run_worker: Callable[[], None], kind: str) -> Cop:
    fast_retries(runtime)
    platform.forum_clock = clock.now  # the forum's clock is the test's (it decides when poll results show)
    with runtime.database.session() as session:
        group_id = CHANNEL_ID if kind == "mattermost" else DISCOURSE_CATEGORY
        community = add_community(session, platform=kind, group_id=group_id, name="CoP Water",
                                  language="en", timezone="Europe/Amsterdam", now=clock.now(),
                                  start_date=date(2027, 1, 12))
        organisations = [Organisation(community_id=community.id, name=name, sector=sector, digest_contacts=[])
                         for name, sector in (("Waterschap", "public"), ("Ingenieursbureau", "private"))]
        session.add_all(organisations)
        session.flush()
        members = {}
        for index, name in enumerate((ADMIN, *MEMBERS)):
            user_id = f"user-{name}" if kind == "mattermost" else str(index + 1)
            member = Member(community_id=community.id, platform_user_id=user_id, username=name,
                            name=name.capitalize(), organisation_id=organisations[index % 2].id,
                            role=MemberRole.ADMIN if name == ADMIN else MemberRole.MEMBER, joined_at=clock.now())
            session.add(member)
            session.flush()
            members[name] = member.id
        community_id = community.id
    return Cop(runtime, clock, create_app(runtime=runtime).test_client(), platform, workflow_dir, run_worker,
               community_id, members, kind)


@pytest.fixture
def cop(make_runtime: Callable[..., Runtime], clock: VirtualClock, platform: StandInPlatform, workflow_dir: Path,
        run_worker: Callable[[], None]) -> Cop:
    return make_cop(make_runtime(clock=clock), clock, platform, workflow_dir, run_worker, "mattermost")


@pytest.fixture(params=["mattermost", "discourse"], ids=["mattermost", "discourse"])
def any_cop(request: pytest.FixtureRequest, make_runtime: Callable[..., Runtime], clock: VirtualClock,
            platform: StandInPlatform, workflow_dir: Path, run_worker: Callable[[], None]) -> Cop:
    """The same test on the fake Mattermost and on the fake Discourse."""
    return make_cop(make_runtime(clock=clock), clock, platform, workflow_dir, run_worker, request.param)


@pytest.fixture
def discourse_cop(make_runtime: Callable[..., Runtime], clock: VirtualClock, platform: StandInPlatform,
                  workflow_dir: Path, run_worker: Callable[[], None]) -> Cop:
    return make_cop(make_runtime(clock=clock), clock, platform, workflow_dir, run_worker, "discourse")


#: A text in both languages for a workflow written in a test: `T.format("Hello")`.
T = '{{nl: "{0}", en: "{0}"}}'
HEADER = """\
id: {id}
version: 1
title: {{nl: "Test {id}", en: "Test {id}"}}
description: {{nl: "Een test.", en: "A test."}}
"""


def workflow(workflow_id: str, body: str) -> str:
    """A workflow file: the standard header plus ``body`` (triggers, params, steps)."""
    return HEADER.format(id=workflow_id) + textwrap.dedent(body)
