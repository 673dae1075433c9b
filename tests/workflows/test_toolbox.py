"""The built-in toolbox workflows end to end, over HTTP, on the fake Mattermost and the fake Discourse:
what members type, what Kring posts, and what it keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from plugin.cop import facilitation
from plugin.digests.charts import all_charts
from plugin.digests.content import build
from plugin.engine.journal import EntryKind
from plugin.storage.models import Assignment, Community, JournalEntry, Member, Poll, QuestionSet
from tests.workflows.conftest import ADMIN, MEMBERS, Cop

MEETING_1 = datetime(2027, 1, 12, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
CADENCE = timedelta(weeks=6)


def until(cop: Cop, moment: datetime) -> None:
    cop.advance(moment - cop.clock.now())


def latest(cop: Cop, model: type[Poll] | type[QuestionSet]) -> int:
    with cop.runtime.database.session() as session:
        found = session.scalar(sa.select(model.id).order_by(model.id.desc()).limit(1))
    assert found is not None
    return int(found)


def journal(cop: Cop, kind: EntryKind) -> list[JournalEntry]:
    with cop.runtime.database.session() as session:
        return list(session.scalars(sa.select(JournalEntry).where(JournalEntry.kind == kind)
                                    .order_by(JournalEntry.id)).all())


def everyone_votes(cop: Cop, choice: int, voters: tuple[str, ...] = MEMBERS) -> None:
    """Each voter picks ``choice``: with `/cop vote`, or in the forum's own poll where Kring made one
    (read back when it closes)."""
    poll_id = latest(cop, Poll)
    with cop.runtime.database.session() as session:
        poll = session.get_one(Poll, poll_id)
        native, option = poll.native, str(poll.options[choice - 1])
    if native:
        assert "voted in the poll itself" in cop.say(f"vote {poll_id} {choice}", user=voters[0])
        votes = cop.platform.native_votes.setdefault(f"kring-{poll_id}", {})
        votes[option] = votes.get(option, 0) + len(voters)
        return
    for user in voters:
        assert "counted" in cop.say(f"vote {poll_id} {choice}", user=user)


def test_cop_lifecycle_calendar_agenda_and_changes(any_cop: Cop) -> None:
    cop = any_cop
    assert "enabled" in cop.say("enable cop-lifecycle")
    cop.say("run cop-lifecycle")
    calendar = cop.texts()[-1]
    assert calendar.startswith("**Our meetings** — every 6 weeks, for 18 months:")
    assert "1. 2027-01-12 at 14:00" in calendar and "14. 2028-07-11 at 14:00" in calendar
    assert cop.say("meeting next", user="anna") == "Next meeting: 1. 2027-01-12 at 14:00"
    # Members may not change the calendar; admins move and cancel, and the agenda follows.
    assert "Only admins and facilitators" in cop.say("meeting move 2 2027-02-25 15:00", user="anna")
    assert cop.say("meeting move 2 2027-02-25 15:00").startswith("Moved: 2. 2027-02-25 at 15:00")
    assert "would then pass meeting 3" in cop.say("meeting move 2 2027-05-01")
    assert "is not a date" in cop.say("meeting move 2 25-02-2027")
    assert "Meeting 3 is cancelled" in cop.confirmed("meeting cancel 3")
    assert "cancelled already" in cop.say("meeting cancel 3")
    listing = cop.say("meeting list", user="bram")
    assert "3. 2027-04-06 at 14:00 — cancelled" in listing
    until(cop, MEETING_1 - timedelta(days=7))
    assert "In a week, on 2027-01-12 at 14:00, we meet again." in cop.texts()[-1]
    until(cop, MEETING_1 + timedelta(minutes=1))
    assert cop.texts()[-2] == "Meeting 1 is today at 14:00. See you there!"
    assert cop.texts()[-1].startswith("Meeting 1 starts. Connection before content")
    assert "has started or is over" in cop.say("meeting move 1 2027-01-20")
    # The moved meeting's agenda opens a week before its new date; the cancelled one has none.
    until(cop, datetime(2027, 2, 18, 14, 1, tzinfo=UTC))
    assert "In a week, on 2027-02-25 at 15:00, we meet again." in cop.texts()[-1]
    assert "1. 2027-01-12 at 14:00 — held" in cop.say("meeting list")
    until(cop, datetime(2027, 4, 7, tzinfo=UTC))
    assert not any("In a week, on 2027-04-06" in t for t in cop.texts())


def test_domain_definition_rounds_vote_versions_and_signals(any_cop: Cop) -> None:
    cop = any_cop
    assert "rounds=1" in cop.say("enable domain-definition rounds=1 round_length=2d")
    cop.say("run domain-definition")
    questions = latest(cop, QuestionSet)
    for user in MEMBERS:
        cop.say(f"answer {questions} 1 Water safety for {user}", user=user)
    cop.advance(timedelta(days=2))  # the round closes; the outcome canvas opens
    canvas = latest(cop, QuestionSet)
    assert canvas != questions
    cop.say(f"answer {canvas} 1 New skills", user="anna")
    cop.advance(timedelta(days=2))
    assert "Propose one with `/cop propose-domain <text>`" in cop.texts()[-1]
    [canvas_entry] = journal(cop, EntryKind.CANVAS)
    assert canvas_entry.data["answers"] == ["New skills"]
    assert "has started" in cop.say("propose-domain How do we keep the delta safe together?", user="bram")
    everyone_votes(cop, 1, MEMBERS[:3])
    everyone_votes(cop, 2, MEMBERS[3:])
    cop.advance(timedelta(days=5))
    assert cop.texts()[-1] == ("Adopted by 3 votes to 1 — our question (version 1): "
                               "How do we keep the delta safe together?")
    assert "Only admins and facilitators" in cop.say("domain adopt Something else", user="anna")
    assert cop.say("domain adopt How do we keep the delta safe, together with the region?").startswith(
        "Domain statement version 2 adopted")
    shown = cop.say("domain", user="dewi")
    assert shown.startswith("**Our question** (version 2): How do we keep the delta safe, together with the region?")
    assert "- version 1 (2027-01-" in shown
    # Urgency signals: recorded with an optional link, listed for everyone.
    assert cop.say("signal Dikes fail more often https://example.org/report", user="chidi") == \
        "Urgency signal 1 is recorded."
    assert "1. 2027-01-" in cop.say("signal", user="anna")
    [signal] = journal(cop, EntryKind.SIGNAL)
    assert (signal.text, signal.link) == ("Dikes fail more often", "https://example.org/report")


def test_intake_profiles_and_the_composition_report(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable intake-and-composition deadline=2d")
    cop.say("run intake-and-composition")
    intake = latest(cop, QuestionSet)
    assert any("What is your job" in m for m in cop.private_to("anna"))
    cop.say(f"answer {intake} 1 Policy advisor at Waterschap", user="anna")
    cop.say(f"answer {intake} 2 Mostly theory: I do research", user="anna")
    cop.say(f"answer {intake} 4 Learn to run a pilot", user="anna")
    cop.advance(timedelta(days=2))
    [report] = [m for m in cop.private_to(ADMIN) if m.startswith("**Composition of CoP Water**")]
    assert "Size: 5 members (aim: 20) — note: a CoP works best with about 20 members" in report
    assert "Organisations (2): Ingenieursbureau (2), Waterschap (3)" in report
    assert "Practice: 0, theory: 1, unknown: 4" in report
    assert "One member per organisation" not in report
    assert not any("Policy advisor" in t for t in cop.texts())  # intake answers stay private
    notes = cop.say("notes", user="anna")
    assert "- job: Policy advisor at Waterschap" in notes and "- learning goals: Learn to run a pilot" in notes
    assert "Only admins of this community may use `/cop composition`" in cop.say("composition", user="anna")
    assert "Practice: 0, theory: 1" in cop.say("composition")


def test_home_organisation_links_consent_and_contacts(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable home-organisation-links")
    cop.say("run home-organisation-links")
    assert any("May it include what you did and learned?" in m for m in cop.private_to("bram"))
    assert any("have no contact for the result digests yet: Ingenieursbureau, Waterschap" in m
               for m in cop.private_to(ADMIN))
    assert "not an @user, e-mail address" in cop.say("contact Waterschap not-a-contact")
    assert "Waterschap receives the digests via digest@waterschap.example" in cop.say(
        "contact Waterschap digest@waterschap.example")
    refused = cop.say("contact Waterschap x@y.example", user="anna")
    assert "Only admins of this community may use `/cop contact`" in refused
    assert "- Waterschap: digest@waterschap.example" in cop.say("contact")
    assert cop.say("consent yes", user="bram") == "You give consent."
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(Member.consent).where(Member.username == "bram")) is True
    assert "You do not give consent." in cop.say("consent", user="chidi")


def test_facilitators_rotate_respect_absences_and_answer(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable facilitators")
    assert "Noted: you will miss meeting 1" in cop.say("absent 1", user="anna")
    until(cop, MEETING_1 - timedelta(days=2))  # within 21 days of meeting 1: the 2-day trigger assigns
    with cop.runtime.database.session() as session:
        [assignment] = session.scalars(sa.select(Assignment)).all()
        names = {m.id: m.username for m in session.scalars(sa.select(Member))}
    pair = {role: names[int(member)] for role, member in assignment.roles.items()}
    assert set(pair) == {"content", "process"} and "anna" not in pair.values()
    assert cop.texts()[-1].startswith("Meeting 1 (2027-01-12) is facilitated by ")
    asked = pair["content"]
    assert any("Will you co-facilitate meeting 1" in m for m in cop.private_to(asked))
    assert "Understood." in cop.say("facilitators decline 1", user=asked)
    with cop.runtime.database.session() as session:
        roles = session.scalars(sa.select(Assignment.roles)).one()
    replacement = names[int(roles["content"])]
    assert replacement not in (asked, "anna", pair["process"])
    assert any("Someone else could not" in m for m in cop.private_to(replacement))
    assert "Thank you! You facilitate meeting 1 (content)" in cop.say("facilitators accept 1", user=replacement)
    overview = cop.say("facilitators", user="bram")
    assert "Meeting 1: content:" in overview and "(accepted)" in overview
    assert "no role at meeting 1" in cop.say("facilitators accept 1", user="anna")
    # Meeting 2: three weeks ahead a new pair; two days ahead, the toolbox's tips.
    until(cop, MEETING_1 + CADENCE - timedelta(days=2))
    with cop.runtime.database.session() as session:
        second = session.scalars(sa.select(Assignment).where(Assignment.meeting_number == 2)).one()
    tipped = names[int(second.roles["process"])]
    assert any("Connection before content" in m and "Ask a question and wait" in m for m in cop.private_to(tipped))


def test_group_decisions_and_learning_goals(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable group-decisions vote_days=2d goals_every=1")
    assert "has started" in cop.say("propose Invite an expert on dike monitoring", user="chidi")
    everyone_votes(cop, 1, MEMBERS[:2])
    everyone_votes(cop, 2, MEMBERS[2:3])
    cop.advance(timedelta(days=2))
    assert cop.texts()[-1] == ("Decision 1: \u2018Invite an expert on dike monitoring\u2019 is adopted "
                               "(2 agree, 1 disagree, 3 votes).")
    [decision] = journal(cop, EntryKind.DECISION)
    assert decision.data == {"agree": 2, "disagree": 1, "votes": 3, "adopted": True}
    assert "only you see it" in cop.say("goal Run a pilot with sensors", user="dewi")
    assert "Run a pilot with sensors" in cop.say("goal", user="dewi")
    assert "no learning goals yet" in cop.say("goal", user="anna")
    until(cop, MEETING_1 + timedelta(hours=3, days=1, minutes=1))  # a day after meeting 1 ends
    prompts = cop.private_to("dewi")
    assert any("how are your learning goals doing?" in m and "give" in m and "feedback" in m for m in prompts)


def test_monitoring_evaluation_ambition_and_private_highlights(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable monitoring ambition_every=1 tis_every=1")
    cop.say("domain adopt Keep the delta safe")
    until(cop, MEETING_1 + timedelta(hours=3, minutes=1))
    everyone_votes(cop, 4, MEMBERS[:3])
    cop.advance(timedelta(days=2))
    assert any(t.startswith("Evaluation of meeting 1: 4.0 on average from 3 votes.") for t in cop.texts())
    highlight = latest(cop, QuestionSet)
    cop.say(f"answer {highlight} 1 The sensor demo by Bram", user="anna")
    cop.advance(timedelta(days=3))
    everyone_votes(cop, 3, MEMBERS)  # the ambition check
    cop.advance(timedelta(days=3))
    assert cop.texts()[-2].startswith("Check against our ambition, the trend so far: meeting 1: 3.0")
    everyone_votes(cop, 2, MEMBERS[:2])  # the system analysis: too few for an anonymous result
    cop.advance(timedelta(days=5))
    assert "too few votes (2) to show an anonymous result" in cop.texts()[-1]
    assert "The sensor demo by Bram" in cop.say("notes", user="anna")
    assert "The sensor demo by Bram" not in cop.say("notes", user="bram")
    assert not any("sensor demo" in t for t in cop.texts())
    [evaluation] = journal(cop, EntryKind.EVALUATION)
    assert evaluation.data["average"] == 4.0 and evaluation.meeting_number == 1


def test_experiments_backcasting_buddies_and_the_logbook(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable experiments checkin_after=1w backcast_days=2d")
    assert "has started" in cop.say("experiment Measure dike moisture weekly", user="anna")
    post = cop.texts()[-1]
    assert post.startswith("Experiment 1: Measure dike moisture weekly — buddy: ")
    assert "buddy: Anna" not in post
    buddy = post.split("buddy: ")[1].split(".")[0].lower()
    cop.advance(timedelta(weeks=1))
    assert any("Halfway through the experiment" in m for m in cop.private_to("anna"))
    assert any("Halfway through the experiment" in m for m in cop.private_to(buddy))
    cop.say("backcast", user="bram")
    backcast = latest(cop, QuestionSet)
    cop.say(f"answer {backcast} 1 Dry feet in 2040", user="bram")
    cop.say(f"answer {backcast} 5 Law changed\nPilot in two towns\nTalk to the water board", user="bram")
    cop.advance(timedelta(days=2))
    assert cop.texts()[-1] == ("Timeline, from now to the desired future: Talk to the water board → "
                               "Pilot in two towns → Law changed")
    [timeline] = journal(cop, EntryKind.BACKCAST)
    assert timeline.data["future"] == ["Dry feet in 2040"]
    assert "only you see it" in cop.say("log Talked to the lab about sensors", user="chidi")
    assert "Talked to the lab" in cop.say("log", user="chidi")
    assert "logbook is empty" in cop.say("log", user="dewi")
    assert "Coalition 1 recorded: Waterschap + Ingenieursbureau." in cop.say(
        "coalition add waterschap Ingenieursbureau Joint sensor pilot", user="dewi")
    assert "Unknown organisation: Nowhere" in cop.say("coalition add Nowhere Waterschap x", user="dewi")
    assert "Joint sensor pilot" in cop.say("coalition list", user="anna")


def test_backcasting_steps_with_their_years_are_placed_in_time(any_cop: Cop) -> None:
    """Members each name steps with the year they are done by; the timeline runs from now to the desired
    future, a step named twice once, and the digest draws it."""
    cop = any_cop
    cop.say("enable experiments backcast_days=2d")
    cop.say("backcast", user="bram")
    backcast = latest(cop, QuestionSet)
    cop.say(f"answer {backcast} 5 2031: Law changed\n2027: Talk to the water board", user="bram")
    cop.say(f"answer {backcast} 5 2028-06: Pilot in two towns\n2027: talk to the water board", user="chidi")
    cop.advance(timedelta(days=2))
    assert cop.texts()[-1] == ("Timeline, from now to the desired future: 2027: Talk to the water board → "
                               "2028-06: Pilot in two towns → 2031: Law changed")
    [timeline] = journal(cop, EntryKind.BACKCAST)
    assert timeline.data["steps"] == ["2027: Talk to the water board", "2028-06: Pilot in two towns",
                                      "2031: Law changed"]
    with cop.runtime.database.session() as session:
        community = session.get_one(Community, cop.community_id)
        content = build(session, community, "field", None, cop.clock.now())
    assert content.backcasts == [timeline.data["steps"]]
    assert "backcast" in all_charts(content)


def test_communication_reminds_of_consent_then_sends_the_digests(any_cop: Cop) -> None:
    cop = any_cop
    cop.platform.mm_users["anna"] = "user-anna"
    cop.say("enable communication every=1 notice=1d")
    cop.say("contact Waterschap @anna")
    until(cop, MEETING_1 + timedelta(hours=3, days=1, minutes=1))
    assert any("the digest goes to the home organisations" in m for m in cop.private_to("bram"))
    # The admins hear beforehand which organisations would get nothing, and again when it was archived for nobody.
    assert any("these organisations will get nothing: they have no contact: Ingenieursbureau." in m
               for m in cop.private_to(ADMIN))
    assert not any("will get nothing" in m for m in cop.private_to("bram"))
    cop.advance(timedelta(days=1))
    assert any(m.startswith("Digest ") and "for Ingenieursbureau is archived, but there is no recipient" in m
               for m in cop.private_to(ADMIN))
    assert cop.texts()[-1].startswith("#### Results of CoP Water for the field")  # the field: in the group
    assert cop.private_to("anna")[-1].startswith("#### Results of CoP Water for Waterschap")  # its contact
    assert cop.private_to(ADMIN)[-1].startswith("#### Results of CoP Water for the initiator")  # no initiator: admins
    archive = cop.say("digest list")
    for audience in ("Ingenieursbureau: -", "Waterschap: direct message sent", "field: group post sent",
                     "initiator: direct message sent"):
        assert audience in archive


def test_a_digest_sent_before_a_meetings_monitoring_closed_says_what_is_still_open(any_cop: Cop) -> None:
    """The evaluation closes two days after the meeting; a digest sent a day and a half after it names
    that poll and when it closes, and the next digest has its result in the trend instead."""
    cop = any_cop
    cop.say("enable monitoring")
    cop.say("enable communication every=1 notice=12h")
    meeting_1_ends = MEETING_1 + timedelta(hours=3)
    until(cop, meeting_1_ends + timedelta(days=1, hours=12, minutes=1))
    [first] = [t for t in cop.texts() if t.startswith("#### Results of CoP Water for the field")]
    still_open = first.split("**Still open: the results follow in the next digest**\n")[1]
    assert still_open.startswith("- How valuable was meeting 1 for your practice? (1 = little, 5 = very) — "
                                 "closes on 2027-01-14\n")
    assert "**Evaluations" not in first  # none closed yet
    until(cop, meeting_1_ends + CADENCE + timedelta(days=1, hours=12, minutes=1))
    second = [t for t in cop.texts() if t.startswith("#### Results of CoP Water for the field")][-1]
    assert "How valuable was meeting 1 " not in second and "How valuable was meeting 2 " in second
    assert "meeting 1: too few votes" in second


def test_a_fixed_content_facilitator_with_a_rotating_process_facilitator(any_cop: Cop) -> None:
    cop = any_cop
    assert "content=anna" in cop.say("enable facilitators content=anna")
    until(cop, MEETING_1 + 2 * CADENCE - timedelta(days=20))  # meetings 1, 2 and 3 have their pairs
    with cop.runtime.database.session() as session:
        names = {m.id: m.username for m in session.scalars(sa.select(Member))}
        pairs = [{role: names[int(member)] for role, member in roles.items()}
                 for roles in session.scalars(sa.select(Assignment.roles).order_by(Assignment.id))]
    assert [p["content"] for p in pairs] == ["anna", "anna", "anna"]
    processes = [p["process"] for p in pairs]
    assert "anna" not in processes and len(set(processes)) == 3  # the process role rotates among the others
    cop.say("enable facilitators content=nobody")
    until(cop, MEETING_1 + 3 * CADENCE - timedelta(days=20))
    assert "fixed: content gave 'no member nobody', not a member id" in cop.say("runs")


def pair_of(cop: Cop, meeting: int) -> dict[str, str]:
    """The facilitator pair of a meeting: role -> user name."""
    with cop.runtime.database.session() as session:
        names = {m.id: m.username for m in session.scalars(sa.select(Member))}
        roles = session.scalars(sa.select(Assignment.roles).where(Assignment.meeting_number == meeting)).one()
    return {role: names[int(member)] for role, member in roles.items()}


def test_an_absence_taken_back_puts_the_member_in_the_rotation_again(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable facilitators")
    for name in (ADMIN, "chidi", "dewi", "anna"):
        cop.say("absent 1", user=name)
    assert cop.say("absent 1 undo", user="anna") == "Noted: you will attend meeting 1 after all."
    until(cop, MEETING_1 - timedelta(days=2))
    assert set(pair_of(cop, 1).values()) == {"anna", "bram"}  # the only two who can come


def test_a_facilitator_swaps_their_role_with_another_member(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable facilitators")
    until(cop, MEETING_1 - timedelta(days=2))
    pair = pair_of(cop, 1)
    other = next(name for name in (ADMIN, *MEMBERS) if name not in pair.values())
    in_pair = cop.say(f"facilitators swap 1 {pair['content']}", user=pair["process"])
    assert in_pair == f"{pair['content'].capitalize()} facilitates meeting 1 already."
    assert "No member is called `nobody`." in cop.say("facilitators swap 1 nobody", user=pair["process"])
    swapped = cop.say(f"facilitators swap 1 @{other}", user=pair["process"])
    assert swapped == f"Swapped: {other.capitalize()} facilitates meeting 1 (process)."
    assert pair_of(cop, 1) == {"content": pair["content"], "process": other}
    assert cop.say(f"facilitators swap 1 {pair['process']}", user=pair["process"]) == \
        "You have no role at meeting 1."  # handed over: no longer theirs to swap


def test_consent_withdrawn_and_a_contact_removed(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable home-organisation-links")
    assert cop.say("consent yes", user="bram") == "You give consent."
    assert cop.say("consent no", user="bram") == "You do not give consent."
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(Member.consent).where(Member.username == "bram")) is False
    cop.say("contact Waterschap digest@waterschap.example")
    assert cop.say("contact Waterschap remove") == "Waterschap has no contact any more."
    assert "Waterschap: digest@waterschap.example" not in cop.say("contact")


def test_an_absence_announced_after_the_pair_was_chosen_hands_the_role_over(any_cop: Cop) -> None:
    cop = any_cop
    cop.say("enable facilitators")
    until(cop, MEETING_1 + CADENCE - timedelta(days=20))  # three weeks ahead: the pair of meeting 2 is chosen
    before = pair_of(cop, 2)
    absent = before["content"]
    answer = cop.say("absent 2", user=absent)
    assert "Noted: you will miss meeting 2." in answer and "is asked to take over meeting 2" in answer
    after = pair_of(cop, 2)
    replacement = after["content"]
    assert replacement not in (absent, before["process"]) and after["process"] == before["process"]
    assert any("Someone else could not" in m for m in cop.private_to(replacement))
    until(cop, MEETING_1 + CADENCE - timedelta(days=1))  # two days ahead: the tips go to the new pair
    assert any("Connection before content" in m for m in cop.private_to(replacement))
    assert not any("Connection before content" in m for m in cop.private_to(absent))
    assert cop.say("absent 2 undo", user=absent) == "Noted: you will attend meeting 2 after all."
    assert pair_of(cop, 2) == after  # taking it back does not undo the hand-over


def test_facilitators_enabled_late_still_prepare_the_next_meeting_fully(any_cop: Cop) -> None:
    """Enabled when the three-weeks-ahead moment of meeting 2 has passed: that moment is caught up at
    once (pick, ask to confirm, name the pair), and the tips still come two days ahead."""
    cop = any_cop
    until(cop, MEETING_1 + CADENCE - timedelta(days=10))
    cop.say("enable facilitators")
    cop.advance(timedelta(minutes=1))
    pair = pair_of(cop, 2)
    assert cop.texts()[-1].startswith("Meeting 2 (2027-02-23) is facilitated by ")
    for name in pair.values():
        assert any("Will you co-facilitate meeting 2" in m for m in cop.private_to(name))
    with cop.runtime.database.session() as session:  # the meeting that is over is left alone
        assert session.scalars(sa.select(Assignment.meeting_number)).all() == [2]
    until(cop, MEETING_1 + CADENCE - timedelta(days=1))
    for name in pair.values():
        assert any("Connection before content" in m for m in cop.private_to(name))


def test_the_agenda_thread_hears_of_a_pair_and_experiments_that_came_after_it(any_cop: Cop) -> None:
    """The agenda went out a week ahead without a pair (facilitators was enabled later) and before an
    experiment started; on the meeting's day the agenda thread names the pair and adds the experiment."""
    cop = any_cop
    cop.say("enable cop-lifecycle")
    cop.say("enable experiments")
    until(cop, MEETING_1 + CADENCE - timedelta(days=7, minutes=-1))
    agenda = cop.texts()[-1]
    assert "In a week, on 2027-02-23 at 14:00, we meet again." in agenda and "Facilitated by" not in agenda
    assert "Reporting back" not in agenda
    cop.say("enable facilitators")
    cop.say("experiment Measure dike moisture weekly", user="anna")
    until(cop, MEETING_1 + CADENCE - timedelta(hours=4, minutes=-1))  # 10:00 in Amsterdam on the day
    with cop.runtime.database.session() as session:
        names = {str(m.id): m.name for m in session.scalars(sa.select(Member))}
        roles = session.scalars(sa.select(Assignment.roles).where(Assignment.meeting_number == 2,
                                                                 Assignment.kind == facilitation.KIND)).one()
    [day_of] = [t for t in cop.texts() if t.startswith("Meeting 2 is today at 14:00. See you there!")]
    assert f"Facilitated by {names[str(roles['content'])]} (content) and {names[str(roles['process'])]} (process)." \
        in day_of
    assert "Also reporting back, on experiments started after this agenda: Measure dike moisture weekly (" \
        in day_of
    # The next meeting's agenda, made after the experiment and the pair, says it all at once, and its
    # day-of post repeats nothing.
    until(cop, MEETING_1 + 2 * CADENCE - timedelta(hours=4, minutes=-1))
    [later] = [t for t in cop.texts() if t.startswith("Meeting 3 is today at 14:00. See you there!")]
    assert later == "Meeting 3 is today at 14:00. See you there!"


def test_facilitators_enabled_a_day_ahead_pick_and_send_the_tips_at_once(any_cop: Cop) -> None:
    cop = any_cop
    until(cop, MEETING_1 + CADENCE - timedelta(days=1))
    cop.say("enable facilitators")
    cop.advance(timedelta(minutes=1))
    pair = pair_of(cop, 2)
    for name in pair.values():
        assert any("Will you co-facilitate meeting 2" in m for m in cop.private_to(name))
        assert any("Connection before content" in m for m in cop.private_to(name))
