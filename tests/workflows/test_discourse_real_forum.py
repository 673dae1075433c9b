"""What a real Discourse sends, refuses and defaults to (`real-servers.md`): webhook filters, a
new user's rights, poll results on the forum's clock, cooked options, refusals with a 200, posts
held for approval, automatic retries with new event ids, who may vote, whispers and private messages."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from plugin.demo.standin import StandInPlatform
from plugin.engine.journal import EntryKind
from plugin.intake import take
from plugin.platforms.discourse.poller import DiscoursePoller
from plugin.storage.models import Community, InboundEvent, JournalEntry, Organisation, OutboxMessage, Poll
from plugin.storage.states import EventStatus, OutboxStatus
from tests.conftest import WEBHOOK_SECRET
from tests.platforms.test_discourse_installer import install
from tests.support.cli import run
from tests.support.payloads import discourse_delivery, discourse_post
from tests.workflows.conftest import ADMIN, MEMBERS, Cop, workflow

CHECK = workflow("check", """\
    triggers: [{manual: true}]
    steps:
      - poll:
          id: pick
          question: {nl: "Welke?", en: "Which?"}
          choices: [{nl: "R&D", en: "R&D"}, {nl: "Tom's \\"idea\\"", en: "Tom's \\"idea\\""}]
          closes_after: 1d
          anonymous: false
      - post: {text: {nl: "x", en: "{{ pick.votes }} votes"}}
    """)


#: How the forum shows `Tom's "idea"`: typographer quotes.
COOKED_TOM = "Tom\u2019s \u201cidea\u201d"
HELLO = workflow("hello", """\
    triggers: [{manual: true}]
    steps:
      - post: {text: {nl: "Welkom bij de CoP, iedereen!", en: "Welcome to the CoP, everyone!"}}
    """)


def passes_the_web_hooks_filters(platform: StandInPlatform, body: dict[str, object]) -> bool:
    """As `WebHook#category_webhook_invalid?`: a web hook with a category filter drops every event
    without a category id (group events, private messages)."""
    [hook] = platform.web_hooks.values()
    payload = next(iter(body.values()))
    category = payload.get("category_id") if isinstance(payload, dict) else None
    return not hook["category_ids"] or category in hook["category_ids"]


def deliver(cop: Cop, event: str, body: dict[str, object], event_id: str) -> dict[str, object]:
    data, headers = discourse_delivery(event, body, event_id, WEBHOOK_SECRET)
    response = cop.client.post("/discourse/webhook", data=data, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    cop.settle()
    answer: dict[str, object] = response.get_json()
    return answer


def test_group_events_and_private_messages_pass_the_installed_web_hook(process_env: dict[str, str],
                                                                       platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if not k.startswith("KRING_DISCOURSE_")}
    run(["db", "upgrade"], env)
    assert install(env, platform, 7).returncode == 0
    assert passes_the_web_hooks_filters(platform, {"group_user": {"group_id": 45, "user_id": 23}})
    assert passes_the_web_hooks_filters(platform, discourse_post("/cop log x", category_id=None,
                                                                 archetype="private_message"))


def test_a_refused_install_says_the_forums_reason_and_makes_nothing(process_env: dict[str, str],
                                                                    platform: StandInPlatform) -> None:
    env = {k: v for k, v in process_env.items() if not k.startswith("KRING_DISCOURSE_")}
    run(["db", "upgrade"], env)
    del platform.users["kring"]  # a forum Kring was never installed on
    platform.registration_refusal = "New registrations are not allowed at this time."
    refused = install(env, platform, 7)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "did not create the bot user @kring: New registrations are not allowed" in refused.stderr
    assert platform.web_hooks == {} and "bot user @kring: created" not in refused.stdout


def test_a_command_in_a_private_message_to_the_bot_is_about_the_members_community(discourse_cop: Cop) -> None:
    cop = discourse_cop
    body = discourse_post("/cop log Tried the sensor pilot", username="anna", user_id=2, category_id=None,
                          topic_id=900, post_id=9901, archetype="private_message")
    deliver(cop, "post_created", body, "evt-pm")
    with cop.runtime.database.session() as session:
        [entry] = session.scalars(sa.select(JournalEntry).where(JournalEntry.kind == EntryKind.LOG)).all()
        assert (entry.text, entry.private) == ("Tried the sensor pilot", True)
    [answer] = [p.body for p in cop.platform.posts()]
    assert "only you see it" in str(answer["raw"])
    assert answer.get("target_recipients") == "anna" and answer.get("archetype") == "private_message"  # not public


def test_a_repeated_delivery_with_a_new_event_id_runs_its_command_once(discourse_cop: Cop) -> None:
    cop = discourse_cop
    body = discourse_post("/cop signal Dikes are rising", username="anna", user_id=2, post_id=9902)
    assert deliver(cop, "post_created", body, "evt-1")["status"] == "recorded"
    assert deliver(cop, "post_created", body, "evt-2")["status"] == "duplicate"  # an automatic retry
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(JournalEntry).where(
            JournalEntry.kind == EntryKind.SIGNAL)) == 1


def test_a_command_in_a_staff_whisper_is_answered_privately(discourse_cop: Cop) -> None:
    cop = discourse_cop
    before = len(cop.platform.posts())
    deliver(cop, "post_created", discourse_post("/cop help", username="anna", user_id=2, post_id=9903,
                                                post_type=4), "evt-w")
    [answer] = [p.body for p in cop.platform.posts()[before:]]
    assert answer.get("target_recipients") == "anna" and answer.get("archetype") == "private_message"


def run_check(cop: Cop) -> str:
    cop.write("check", CHECK)
    cop.command("enable check")
    cop.command("run check")
    return next(str(p.body["raw"]) for p in cop.platform.posts() if "[poll " in str(p.body.get("raw", "")))


def test_poll_results_are_read_on_the_forums_clock_by_position(discourse_cop: Cop) -> None:
    cop = discourse_cop
    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).member_group = "cop-water"
    raw = run_check(cop)
    assert "groups=cop-water]" in raw  # only the member group may vote
    cop.platform.native_votes["kring-1"] = {"R&D": 2, "Tom's \"idea\"": 1}
    late = cop.clock.now() + timedelta(days=1, minutes=30)
    cop.platform.forum_clock = lambda: late - timedelta(hours=1)  # the forum's clock lags: no votes shown yet
    cop.advance(timedelta(days=1, minutes=1))
    with cop.runtime.database.session() as session:
        assert session.get_one(Poll, 1).native_counts is None  # "not yet", never zeros
    cop.platform.forum_clock = lambda: late
    for option in cop.platform.discourse_posts.values():  # the forum cooks the options it shows
        option["raw"] = option["raw"].replace("* R&D", "* R&amp;D").replace("Tom's \"idea\"", COOKED_TOM)
    cop.platform.native_votes["kring-1"] = {"R&amp;D": 2, COOKED_TOM: 1}
    cop.advance(timedelta(hours=1))
    with cop.runtime.database.session() as session:
        assert session.get_one(Poll, 1).native_counts == [2, 1]


def test_a_bot_that_is_a_new_user_is_refused_polls_and_not_retried(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.platform.add_bot(moderator=False)  # what POST /users.json made, before any grant
    cop.write("check", CHECK)
    cop.command("enable check")
    cop.command("run check")
    with cop.runtime.database.session() as session:
        failed = [m for m in session.scalars(sa.select(OutboxMessage)) if m.payload.get("poll_id") is not None]
        [message] = failed
        assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
        assert "required rights to create polls" in str(message.last_error)
    assert not [p for p in cop.platform.posts() if "[poll" in str(p.body.get("raw"))]  # nothing made


def sleeps_on_the_forums_clock(cop: Cop) -> list[float]:
    """Let the Discourse client's waits pass on the test's (and the forum's) virtual clock; the waits."""
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        cop.clock.advance(timedelta(seconds=seconds))

    cop.runtime.connector("discourse").outbound.client.http.sleep = sleep  # type: ignore[union-attr]
    return slept


def test_a_post_held_for_approval_is_recorded_and_the_admins_are_told(discourse_cop: Cop) -> None:
    cop = discourse_cop
    cop.platform.add_bot(moderator=False, trust_level=1)  # configured by hand: its posts can be held
    sleeps_on_the_forums_clock(cop)  # (and are rate limited)
    cop.platform.approval_categories.add(7)
    cop.write("hello", HELLO)
    cop.command("enable hello")
    cop.command("run hello")
    cop.advance(timedelta(minutes=5))
    with cop.runtime.database.session() as session:
        [message] = [m for m in session.scalars(sa.select(OutboxMessage))
                     if m.operation == "post" and "Welcome to the CoP" in str(m.payload.get("text"))]
        assert message.status == OutboxStatus.SENT and str(message.result["held_for_approval"]).startswith("pending:")
    [notice] = [t for t in cop.private_to(ADMIN) if "waiting for approval" in t]
    assert "CoP Water" in notice and "moderator" in notice
    assert not [t for member in MEMBERS for t in cop.private_to(member) if "waiting for approval" in t]


def test_a_moderator_bots_posts_are_never_held(discourse_cop: Cop) -> None:
    """`NewPostManager.exempt_user?`: staff posts skip the approval queue (the installed bot is a moderator)."""
    cop = discourse_cop
    cop.platform.approval_categories.add(7)
    cop.write("hello", HELLO)
    cop.command("enable hello")
    cop.command("run hello")
    assert "Welcome to the CoP, everyone!" in cop.texts()
    assert not [t for t in cop.private_to(ADMIN) if "waiting for approval" in t]


def test_a_rate_limited_bot_posts_everything_once_later_without_holding_a_worker(discourse_cop: Cop) -> None:
    """A bot that is not staff meets the forum's rate limits (5 s between posts, 3 topics on its first
    day): a short wait is sat out, a long one becomes the outbox's next attempt, and nothing is lost
    or posted twice."""
    cop = discourse_cop
    cop.platform.add_bot(moderator=False, trust_level=1)
    slept = sleeps_on_the_forums_clock(cop)
    cop.write("hello", HELLO)
    cop.command("enable hello")
    started = cop.clock.now()
    for _ in range(4):
        cop.command("run hello")
    topics = [p for p in cop.platform.posts() if "Welcome to the CoP" in str(p.body.get("raw"))]
    assert len(topics) == 3  # the first day's topics
    assert slept and max(slept) <= 10
    with cop.runtime.database.session() as session:
        [waiting] = [m for m in session.scalars(sa.select(OutboxMessage)) if m.status == OutboxStatus.PENDING]
        assert "Welcome to the CoP" in str(waiting.payload.get("text"))
        assert waiting.next_attempt_at.replace(tzinfo=None) >= (started + timedelta(hours=23)).replace(tzinfo=None)
    cop.advance(timedelta(days=1, minutes=5))
    topics = [p for p in cop.platform.posts() if "Welcome to the CoP" in str(p.body.get("raw"))]
    assert len(topics) == 4
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.SENT)) == 0


def topic_edited(topic_id: int, category_id: int | None, archetype: str = "regular") -> dict[str, object]:
    """A `topic_edited` body as `WebHookTopicViewSerializer` builds it: the topic, not its first post."""
    return {"topic": {"id": topic_id, "title": "Our question, sharpened", "fancy_title": "Our question, sharpened",
                      "posts_count": 3, "category_id": category_id, "archetype": archetype, "user_id": 2,
                      "created_by": {"id": 2, "username": "anna"}, "last_poster": {"id": 2, "username": "anna"}}}


def test_an_edited_topic_is_read_back_from_its_first_post(discourse_cop: Cop) -> None:
    cop = discourse_cop
    first_post = discourse_post("Our question, sharper now", username="anna", user_id=2, post_id=6001,
                                topic_id=77, version=2)["post"]
    cop.platform.member_forum_posts[6001] = {**first_post, "post_number": 1}
    assert deliver(cop, "topic_edited", topic_edited(77, 7), "evt-t1")["status"] == "recorded"
    assert deliver(cop, "topic_edited", topic_edited(77, 7), "evt-t1")["status"] == "duplicate"
    deliver(cop, "topic_edited", topic_edited(78, 7), "evt-t2")  # deleted before it is read back
    deliver(cop, "topic_edited", topic_edited(79, None, "private_message"), "evt-t3")
    reads = [r.path for r in cop.platform.requests if r.path.startswith("/posts/by_number/")]
    assert reads == ["/posts/by_number/77/1.json", "/posts/by_number/78/1.json"]
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(InboundEvent).where(
            InboundEvent.delivery_id.like("topic:%"))) == 2
        assert session.scalar(sa.select(sa.func.count()).select_from(InboundEvent).where(
            InboundEvent.status != EventStatus.DONE)) == 0


def test_posts_made_while_no_webhook_reached_kring_are_caught_up_once(discourse_cop: Cop) -> None:
    """Discourse does not retry a delivery that could not connect: the poller reads what was posted
    since the newest post it saw, over more than a page, and a post that also comes by webhook is
    recorded once."""
    cop = discourse_cop
    poller = cop.runtime.connector("discourse").listener(cop.runtime.database, lambda r: take(cop.runtime, r))
    assert isinstance(poller, DiscoursePoller)
    assert poller.poll_once() == 0  # the first run notes where the forum is
    for number in range(60):  # Kring was down: chatter, and one command among it
        raw = "/cop signal The dikes are rising" if number == 30 else f"Chatter {number} about the meeting"
        cop.platform.member_forum_posts[5000 + number] = discourse_post(
            raw, username="anna", user_id=2, post_id=5000 + number)["post"]
    assert poller.poll_once() == 60
    cop.settle()
    assert poller.poll_once() == 0
    late = deliver(cop, "post_created", {"post": cop.platform.member_forum_posts[5030]}, "evt-late")
    assert late["status"] == "duplicate"
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(JournalEntry).where(
            JournalEntry.kind == EntryKind.SIGNAL)) == 1


def test_a_post_shorter_than_the_forums_minimum_gets_through(discourse_cop: Cop) -> None:
    cop = discourse_cop
    assert cop.say("consent yes", user="anna") == "You give consent."  # 17 characters; the forum wants 20
    [answer] = [p.body for p in cop.platform.posts() if "You give consent." in str(p.body.get("raw"))]
    assert len(str(answer["raw"]).strip()) >= 20
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.SENT)) == 0


def test_a_post_the_forum_made_but_answered_too_late_is_not_made_twice(discourse_cop: Cop) -> None:
    """Discourse has no idempotency key: the next attempt finds the post by the key marked in its raw
    text among the forum's latest posts, and records it instead of posting again."""
    from dataclasses import replace

    from plugin.platforms.discourse.connector import DiscourseConnector

    cop = discourse_cop
    cop.runtime.connectors["discourse"] = DiscourseConnector(replace(cop.runtime.config, http_timeout=0.3), [],
                                                             cop.runtime.signer, cop.runtime.clock)
    cop.platform.fail_next(200, delay=1.0, path="/posts.json", done_first=True)
    cop.write("hello", HELLO)
    cop.command("enable hello")
    cop.advance(timedelta(minutes=5))
    assert len([p for p in cop.platform.posts() if "Test hello" in str(p.body.get("raw"))]) == 1  # made, answered late
    assert [p.method for p in cop.platform.requests if p.path == "/posts.json"] == ["POST", "GET"]  # then found
    with cop.runtime.database.session() as session:
        [message] = session.scalars(sa.select(OutboxMessage))
        assert (message.status, message.attempts) == (OutboxStatus.SENT, 2) and message.result["post_id"]
    cop.command("run hello")
    cop.advance(timedelta(minutes=5))
    assert cop.texts().count("Welcome to the CoP, everyone!") == 1
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.SENT)) == 0


def test_a_private_command_in_a_public_post_is_refused_and_records_nothing(discourse_cop: Cop) -> None:
    """On Discourse a command is a post: a logbook line, a learning goal, a consent or a contact's
    address typed in the category is seen by everyone, so Kring records nothing and points to the PM."""
    cop = discourse_cop
    for command in ("log Tried the sensor pilot with my manager", "goal Learn backcasting",
                    "contact Waterschap https://hooks.example.org/secret-token", "consent yes"):
        before = len(cop.platform.posts())
        deliver(cop, "post_created", discourse_post(f"/cop {command}", username="anna", user_id=2,
                                                    post_id=9950 + before), f"evt-public-{before}")
        [answer] = [p.body for p in cop.platform.posts()[before:]]
        assert "send it in a private message to Kring. Kring recorded nothing" in str(answer["raw"])
        assert answer.get("target_recipients") == "anna"  # the refusal itself is private
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(JournalEntry)) == 0
        assert session.scalar(sa.select(Organisation.digest_contacts).where(Organisation.name == "Waterschap")) == []
    assert "help" in cop.say("help", user="anna").lower()  # what carries nothing private is answered in public
