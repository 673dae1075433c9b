"""Members who leave the group: kept with what they contributed, but no longer asked, polled or rotated;
their facilitator roles at coming meetings go to the next in line; `member_left` follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from plugin.storage.models import Assignment, Community, Member, Poll, QuestionSet
from tests.conftest import WEBHOOK_SECRET
from tests.support.payloads import discourse_delivery
from tests.workflows.conftest import ADMIN, MEMBERS, Cop, workflow

MEETING_1 = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)
FAREWELL = workflow("farewell", """\
    triggers: [{event: member_left}]
    steps:
      - post: {text: {nl: "Tot ziens {{ event.name }}", en: "Goodbye {{ event.name }}"}}
    """)
WELCOME = workflow("welcome", """\
    triggers: [{event: member_joined}]
    steps:
      - post: {text: {nl: "Welkom {{ event.name }}", en: "Welcome {{ event.name }}"}}
    """)
ROLL_CALL = workflow("roll-call", """\
    triggers: [{manual: true}]
    steps:
      - post: {text: {nl: "{{ members | map(attribute='name') | join(', ') }}",
                      en: "{{ members | map(attribute='name') | join(', ') }}"}}
    """)


def grouped(cop: Cop) -> list[tuple[int, str, str]]:
    """The community's members as the Discourse group `cop-water` (the admin its owner); its people."""
    people = [(index + 1, name, name.capitalize()) for index, name in enumerate((ADMIN, *MEMBERS))]
    with cop.runtime.database.session() as session:
        session.get_one(Community, cop.community_id).member_group = "cop-water"
    cop.platform.groups["cop-water"] = (people[:1], people[1:])
    return people


def group_changed(cop: Cop, event: str, user_id: int, delivery: str) -> None:
    data, headers = discourse_delivery(event, {"group_user": {"group_id": 3, "user_id": user_id}}, delivery,
                                       WEBHOOK_SECRET)
    assert cop.client.post("/discourse/webhook", data=data, headers=headers).status_code == 200
    cop.settle()


def test_a_member_who_leaves_is_kept_but_no_longer_asked_and_hands_over_their_facilitation(
        discourse_cop: Cop) -> None:
    cop = discourse_cop
    people = grouped(cop)
    cop.write("farewell", FAREWELL)
    cop.write("roll-call", ROLL_CALL)
    cop.write("welcome", WELCOME)
    for name in ("farewell", "roll-call", "facilitators", "welcome"):
        cop.say(f"enable {name}")
    cop.advance(MEETING_1 - timedelta(days=2) - cop.clock.now())
    with cop.runtime.database.session() as session:
        pair = session.scalars(sa.select(Assignment.roles)).one()
        usernames = {m.id: m.username for m in session.scalars(sa.select(Member))}
    role, other = ("content", "process") if usernames[int(pair["content"])] != ADMIN else ("process", "content")
    leaver = usernames[int(pair[role])]
    assert "5 members" in cop.say("status")

    cop.platform.groups["cop-water"] = (people[:1], [p for p in people[1:] if p[1] != leaver])
    group_changed(cop, "user_removed_from_group", next(p[0] for p in people if p[1] == leaver), "evt-left")

    assert f"Goodbye {leaver.capitalize()}" in cop.texts()
    assert "4 members" in cop.say("status")
    with cop.runtime.database.session() as session:
        member = session.scalars(sa.select(Member).where(Member.username == leaver)).one()
        assert member.left_at is not None  # kept, with what they contributed
        roles = session.scalars(sa.select(Assignment.roles)).one()
    replacement = usernames[int(roles[role])]
    assert replacement not in (leaver, usernames[int(pair[other])])
    assert any("Someone else could not" in m for m in cop.private_to(replacement))
    cop.say("run roll-call")
    assert leaver.capitalize() not in cop.texts()[-1].split(", ") and "Admin" in cop.texts()[-1]
    assert "Size: 4 members" in cop.say("composition")  # the leaver is not counted (5 before)

    # Back in the group: a member again, not greeted as a newcomer and not said goodbye to twice.
    cop.platform.groups["cop-water"] = (people[:1], people[1:])
    group_changed(cop, "user_added_to_group", next(p[0] for p in people if p[1] == leaver), "evt-back")
    assert "5 members" in cop.say("status")
    assert sum(t.startswith("Goodbye") for t in cop.texts()) == 1
    assert not [t for t in cop.texts() if t.startswith("Welcome")]  # no second welcome for a returner
    with cop.runtime.database.session() as session:
        assert session.scalars(sa.select(Member.left_at).where(Member.username == leaver)).one() is None
    cop.platform.groups["cop-water"] = (people[:1], [*people[1:], (40, "newbie", "Newbie")])
    group_changed(cop, "user_added_to_group", 40, "evt-new")
    assert [t for t in cop.texts() if t.startswith("Welcome")] == ["Welcome Newbie"]  # a newcomer is greeted


def test_open_polls_and_questions_stop_waiting_for_someone_who_left(discourse_cop: Cop) -> None:
    cop = discourse_cop
    people = grouped(cop)
    cop.write("pulse", workflow("pulse", """\
        triggers: [{manual: true}]
        steps:
          - poll: {id: v, question: {nl: "Hoe gaat het?", en: "How is it going?"}, scale: 5, closes_after: 7d}
          - post: {text: {nl: "{{ v.votes }} van {{ v.eligible }}", en: "{{ v.votes }} of {{ v.eligible }}"}}
        """))
    cop.write("rounds", workflow("rounds", """\
        triggers: [{manual: true}]
        steps:
          - ask: {questions: [{nl: "Wat leerde je?", en: "What did you learn?"}], rounds: 2, deadline: 7d}
          - post: {text: {nl: "klaar", en: "done"}}
        """))
    for name in ("pulse", "rounds"):
        cop.say(f"enable {name}")
        cop.say(f"run {name}")
    staying = (ADMIN, *MEMBERS[:-1])

    def latest_round() -> QuestionSet:
        with cop.runtime.database.session() as session:
            found = session.scalars(sa.select(QuestionSet).order_by(QuestionSet.id.desc())).first()
        assert found is not None
        return found

    with cop.runtime.database.session() as session:
        poll = session.scalars(sa.select(Poll.id)).one()
    first = latest_round()
    assert cop.members["dewi"] in first.recipients
    for user in staying:
        assert "counted" in cop.say(f"vote {poll} 4", user=user)
        cop.say(f"answer {first.id} Something", user=user)
    assert not any(t.startswith("4 of") for t in cop.texts()) and latest_round().round == 1  # waiting for dewi
    asked = len(cop.private_to("dewi"))

    # The last one missing leaves: the poll and the round close at once, not after 7 days.
    cop.platform.groups["cop-water"] = (people[:1], [p for p in people[1:] if p[1] != "dewi"])
    group_changed(cop, "user_removed_from_group", people[-1][0], "evt-left")
    assert "4 of 4" in cop.texts()
    second = latest_round()
    assert second.round == 2 and cop.members["dewi"] not in second.recipients
    for user in staying:
        cop.say(f"answer {second.id} Something", user=user)
    assert cop.texts()[-1] == "done"
    assert len(cop.private_to("dewi")) == asked  # round 2 was not sent to her


def test_a_group_that_reads_as_empty_makes_nobody_leave(discourse_cop: Cop, caplog: pytest.LogCaptureFixture) -> None:
    cop = discourse_cop
    grouped(cop)
    cop.platform.groups["cop-water"] = ([], [])  # e.g. the group was renamed, or Kring lost access to it
    group_changed(cop, "user_removed_from_group", 2, "evt-empty")
    assert "5 members" in cop.say("status")
    assert "reads as empty; nobody is marked as left" in caplog.text


def test_a_former_admin_has_no_admin_rights(discourse_cop: Cop) -> None:
    """An admin demoted on the platform is demoted by the next sync; one who left is no member at all."""
    cop = discourse_cop
    people = grouped(cop)
    cop.write("roll-call", ROLL_CALL)
    assert "is enabled" in cop.say("enable roll-call")
    cop.platform.groups["cop-water"] = ([people[1]], [people[0], *people[2:]])  # anna owns the group now
    group_changed(cop, "user_added_to_group", people[1][0], "evt-owner")
    assert "Only admins" in cop.say("disable roll-call")  # the former admin
    assert "is disabled" in cop.confirmed("disable roll-call", user="anna")
    cop.platform.groups["cop-water"] = ([people[2]], [people[0], *people[3:]])  # anna leaves the group
    group_changed(cop, "user_removed_from_group", people[1][0], "evt-gone")
    assert "not a member" in cop.say("signal Still here?", user="anna")
