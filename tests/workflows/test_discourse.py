"""Workflows and commands on Discourse: commands in posts, private replies, and the same workflow
YAML running unchanged on Mattermost and on Discourse."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from plugin.clock import VirtualClock
from plugin.demo.standin import StandInPlatform
from plugin.runtime import Runtime
from tests.workflows.conftest import START, Cop, T, make_cop, workflow

FLOW = workflow("flow", f"""\
    triggers: [{{manual: true}}]
    steps:
      - thread: {{id: talk, title: {T.format("Our question")}, text: {T.format("Let us talk.")}}}
      - post: {{thread: "{{{{ talk }}}}", text: {T.format("Hello {{ members | length }} members")}}}
      - poll: {{id: score, question: {T.format("Useful?")}, scale: 5, closes_after: 1d, thread: "{{{{ talk }}}}"}}
      - ask: {{id: learn, questions: [{T.format("What did you learn?")}], deadline: 1d, thread: "{{{{ talk }}}}"}}
      - post: {{thread: "{{{{ talk }}}}", text: {T.format("{{ score.votes }} votes, {{ learn.answered }} answers")}}}
    """)


def test_a_command_in_a_post_and_a_mention(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.command("help", user="anna")
    [reply] = cop.platform.posts()
    assert reply.path == "/posts.json" and reply.body["topic_id"] == 42
    assert "/cop status" in reply.body["raw"]
    from tests.conftest import WEBHOOK_SECRET
    from tests.support.payloads import discourse_delivery, discourse_post

    data, headers = discourse_delivery("post_created", discourse_post("@kring status", username="anna", user_id=2),
                                       "evt-mention", WEBHOOK_SECRET)
    cop.client.post("/discourse/webhook", data=data, headers=headers)
    cop.settle()
    assert "**CoP Water** — 5 members" in cop.platform.posts()[-1].body["raw"]


def test_personal_answers_go_as_private_messages(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.command("enable anything", user="anna")
    [refusal] = cop.platform.posts()
    assert refusal.body["archetype"] == "private_message" and refusal.body["target_recipients"] == "anna"
    assert "Only admins of this community" in refusal.body["raw"]
    assert "topic_id" not in refusal.body


def normalised(texts: list[str]) -> list[str]:
    """Platform-neutral transcript: poll and question references differ only in their numbers, a new
    thread's title is a heading on Mattermost but the topic's title on Discourse, and a poll is also a
    native `[poll]` block on Discourse, and where commands are posts an anonymous vote is sent privately."""
    neutral = [re.sub(r"/cop (vote|answer) \d+", r"/cop \1 N", text) for text in texts]
    neutral = [text.replace("Vote in a private message to Kring with", "Vote with")
               .replace(", so that nobody here sees what you chose", "") for text in neutral]
    neutral = [re.sub(r"\n\n\[poll .*?\[/poll\]$", "", text, flags=re.S) for text in neutral]
    return [text.removeprefix("#### Our question\n") for text in neutral]


def run_flow(cop: Cop) -> list[str]:
    cop.write("flow", FLOW)
    cop.command("enable flow")
    cop.command("run flow")
    poll_ref = next(t for t in cop.texts() if "/cop vote" in t).split("/cop vote ")[1].split()[0]
    for name, score in (("anna", 4), ("bram", 2)):
        cop.command(f"vote {poll_ref} {score}", user=name)
    cop.advance(timedelta(days=1, minutes=1))
    question_ref = next(t for t in cop.texts() if "/cop answer" in t).split("/cop answer ")[1].split()[0]
    cop.command(f"answer {question_ref} Patience", user="chidi")
    cop.advance(timedelta(days=1, minutes=1))
    kring_texts = [t for t in cop.texts() if not t.startswith(("Workflow", "**Test flow**"))]
    return normalised(kring_texts)


def test_the_same_workflow_runs_unchanged_on_both_platforms(
        make_runtime: Callable[..., Runtime], platform: StandInPlatform, workflow_dir: Path,
        run_worker: Callable[[], None]) -> None:
    transcripts = {}
    for kind in ("mattermost", "discourse"):
        clock = VirtualClock(START)
        runtime = make_runtime(clock=clock)
        from tests.support.services import truncate_all

        truncate_all(runtime.database.engine)
        platform.requests.clear()
        cop = make_cop(runtime, clock, platform, workflow_dir, run_worker, kind)
        transcripts[kind] = run_flow(cop)
    assert transcripts["mattermost"] == transcripts["discourse"]
    flow = transcripts["discourse"]
    assert flow[0] == "Let us talk."
    assert flow[-1] == "2 votes, 1 answers"
    discourse_posts = [p.body for p in platform.posts()]
    topic = next(b for b in discourse_posts if b.get("title") == "Our question")
    assert topic["category"] == 7
    assert all(b.get("topic_id") for b in discourse_posts if "Hello" in b.get("raw", ""))


def test_a_named_poll_is_the_forums_own_and_read_back_into_the_monitoring_records(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.write("check", workflow("check", """\
        triggers: [{manual: true}]
        steps:
          - poll: {id: score, question: {nl: "Waardevol?", en: "Valuable?"}, scale: 5, closes_after: 1d,
                   anonymous: false}
          - post: {text: {nl: "x", en: "{{ score.votes }} votes, average {{ score.average }}"}}
        """))
    cop.command("enable check")
    cop.command("run check")
    poll_post = next(p for p in cop.platform.posts() if "[poll " in p.body.get("raw", ""))
    raw = poll_post.body["raw"]
    assert "[poll name=kring-1 type=regular results=on_close public=true chartType=bar close=" in raw
    assert "* 1\n* 2\n* 3\n* 4\n* 5\n[/poll]" in raw
    assert "Vote in the poll below" in raw and "/cop vote" not in raw
    cop.platform.native_votes["kring-1"] = {"4": 2, "5": 2}  # members vote in Discourse's own poll
    cop.command("vote 1 2", user="anna")  # a vote through Kring as well would count twice: refused
    assert "voted in the poll itself" in cop.private_to("anna")[-1]
    cop.advance(timedelta(days=1, minutes=1))
    assert cop.texts()[-1] == "4 votes, average 4.5"
    with cop.runtime.database.session() as session:
        from plugin.storage.models import Poll

        poll = session.get_one(Poll, 1)
        assert (poll.native_counts, poll.native_voters) == ([0, 0, 0, 2, 2], 4)
        assert poll.results is not None and poll.results["counts"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 2}
    reads = [r for r in cop.platform.requests if r.method == "GET" and r.path.startswith("/posts/")]
    assert len(reads) == 1


def test_an_anonymous_poll_is_not_the_forums_and_is_voted_in_a_private_message(discourse_cop: Cop) -> None:
    """The forum's own poll stores each voter with their choice, so an anonymous poll is Kring's alone;
    a vote in a post the group reads is refused and not counted."""
    cop = discourse_cop
    cop.write("check", workflow("check", """\
        triggers: [{manual: true}]
        steps:
          - poll: {id: score, question: {nl: "Waardevol?", en: "Valuable?"}, scale: 5, closes_after: 1d}
          - post: {text: {nl: "x", en: "{{ score.votes }} votes, average {{ score.average }}"}}
        """))
    cop.command("enable check")
    cop.command("run check")
    [prompt] = [t for t in cop.texts() if "Valuable?" in t]
    assert "[poll" not in prompt and "Vote in a private message to Kring with `/cop vote 1 <number>`" in prompt
    from tests.conftest import WEBHOOK_SECRET
    from tests.support.payloads import discourse_delivery, discourse_post

    data, headers = discourse_delivery("post_created", discourse_post("/cop vote 1 2", username="anna", user_id=2,
                                                                      post_id=8801), "evt-public-vote", WEBHOOK_SECRET)
    assert cop.client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
    cop.settle()
    assert "send it in a private message to Kring" in cop.private_to("anna")[-1]
    cop.command("vote 1 4", user="bram")  # in a private message to the bot
    assert "Your vote is counted" in cop.private_to("bram")[-1]
    cop.advance(timedelta(days=1, minutes=1))
    assert cop.texts()[-1] == "1 votes, average 4.0"
    assert not [r for r in cop.platform.requests if r.method == "GET" and r.path.startswith("/posts/")]


def test_a_poll_closes_without_native_tallies_15_minutes_past_its_close_if_the_forum_fails(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.write("check", workflow("check", """\
        triggers: [{manual: true}]
        steps:
          - poll: {id: score, question: {nl: "Waardevol?", en: "Valuable?"}, scale: 5, closes_after: 1h,
                   anonymous: false}
          - post: {text: {nl: "x", en: "{{ score.votes }} votes"}}
        """))
    cop.command("enable check")
    cop.command("run check")
    cop.platform.native_votes["kring-1"] = {"3": 1}
    cop.platform.fail_next(404, times=50, path="/posts/")
    cop.advance(timedelta(hours=1, minutes=14))  # closed 14 minutes ago: still trying to read the tallies
    assert "0 votes" not in cop.texts()
    cop.advance(timedelta(minutes=3))  # 15 minutes past the close: it closes with the votes it has
    assert cop.texts()[-1] == "0 votes"
    with cop.runtime.database.session() as session:
        from plugin.storage.models import Poll

        assert session.get_one(Poll, 1).native_synced_at is None  # never read: the vote in it is lost


def test_group_membership_changes_sync_members_and_greet_newcomers(discourse_cop: Cop) -> None:
    cop = discourse_cop
    with cop.runtime.database.session() as session:
        from plugin.storage.models import Community

        session.get_one(Community, cop.community_id).member_group = "cop-water"
    cop.write("welcome", workflow("welcome", """\
        triggers: [{event: member_joined}]
        steps:
          - post: {text: {nl: "Welkom {{ event.name }}", en: "Welcome {{ event.name }}"}}
        """))
    cop.command("enable welcome")
    existing = [(index + 1, name, name.capitalize()) for index, name in enumerate(("admin", "anna", "bram"))]
    newcomers = [(40 + n, f"new{n}", f"Newcomer {n}") for n in range(60)]  # more than one page
    cop.platform.groups["cop-water"] = ([(1, "admin", "Admin")], existing[1:] + newcomers)
    from tests.conftest import WEBHOOK_SECRET
    from tests.support.payloads import discourse_delivery

    data, headers = discourse_delivery("user_added_to_group", {"group_user": {"group_id": 3, "user_id": 40}},
                                       "evt-group", WEBHOOK_SECRET)
    assert cop.client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
    cop.settle()
    welcomes = [t for t in cop.texts() if t.startswith("Welcome")]
    assert len(welcomes) == 60 and "Welcome Newcomer 0" in welcomes
    with cop.runtime.database.session() as session:
        from sqlalchemy import func, select

        from plugin.storage.models import Member

        assert session.scalar(select(func.count()).select_from(Member)) == 5 + 60


def test_replies_in_a_kring_topic_answer_and_an_edit_replaces_the_answer(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.command("enable domain-definition")
    cop.command("run domain-definition")
    with cop.runtime.database.session() as session:
        from sqlalchemy import select

        from plugin.storage.models import Answer, Thread

        topic = session.scalars(select(Thread.platform_thread_id).where(Thread.key == "domain-definition")).one()
    from tests.conftest import WEBHOOK_SECRET
    from tests.support.payloads import discourse_delivery, discourse_post

    def post(event: str, raw: str, event_id: str, version: int) -> None:
        data, headers = discourse_delivery(event, discourse_post(raw, username="anna", user_id=2,
                                                                 topic_id=int(str(topic)), post_id=777,
                                                                 version=version),
                                           event_id, WEBHOOK_SECRET)
        assert cop.client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
        cop.settle()

    post("post_created", "1. Water\n2. Floods\n3. Dry feet", "evt-a", version=1)
    post("post_edited", "1. Water management\n2. Floods\n3. Dry feet", "evt-b", version=2)
    with cop.runtime.database.session() as session:
        assert [a.text for a in session.scalars(select(Answer).order_by(Answer.question))] == [
            "Water management", "Floods", "Dry feet"]
