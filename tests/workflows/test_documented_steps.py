"""What "Writing a workflow" promises and no other test shows: a wait that ends by its timeout, a
late wake for a wait the run has left, a
`call` that does not wait, a 1-10 scale, the template functions and `trigger.type`, the
`meeting_started` event, and the facilitators workflow's `pool=core` and fixed `process=`."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from plugin.storage import timers
from plugin.storage.models import Assignment, Member, Timer, WorkflowRun
from plugin.storage.states import TimerKind, TimerStatus
from tests.workflows.conftest import ADMIN, Cop, T, workflow
from tests.workflows.test_steps import run_statuses
from tests.workflows.test_toolbox import MEETING_1, until


def test_a_wait_for_an_event_ends_by_its_timeout(cop: Cop) -> None:
    cop.write("patient", workflow("patient", f"""\
        triggers: [{{manual: true}}]
        steps:
          - wait: {{id: waited, event: member_left, timeout: 2h}}
          - post: {{text: {T.format("woken by {{ waited.woken_by }}")}}}
        """))
    cop.command("enable patient")
    cop.command("run patient")
    cop.advance(timedelta(hours=1, minutes=59))
    assert cop.texts() == []
    cop.advance(timedelta(minutes=2))
    assert cop.texts() == ["woken by time"]


def test_a_late_wake_for_a_wait_the_run_has_left_changes_nothing(cop: Cop) -> None:
    """A wake planned for a wait the run has already left (a timer that was queued twice, or a worker
    that held it through a lease) carries that wait's number, and the run ignores it."""
    cop.write("twice", workflow("twice", f"""\
        triggers: [{{manual: true}}]
        steps:
          - wait: {{id: first, event: member_left, timeout: 1h}}
          - post: {{text: {T.format("first ended by {{ first.woken_by }}")}}}
          - wait: {{id: second, event: member_left, timeout: 5h}}
          - post: {{text: {T.format("second ended by {{ second.woken_by }}")}}}
        """))
    cop.command("enable twice")
    cop.command("run twice")
    cop.advance(timedelta(hours=1, minutes=1))
    assert cop.texts() == ["first ended by time"]
    with cop.runtime.database.session() as session:
        run = session.scalars(sa.select(WorkflowRun)).one()
        assert run.state["waits"] == 2
        timers.add_timer(session, key="stale-wake", community_id=cop.community_id, kind=TimerKind.WAKE,
                         due_at=cop.clock.now(), now=cop.clock.now(), run_id=run.id,
                         payload={"token": 1, "reason": "event", "event": "member_left", "data": {}})
        session.commit()
    cop.advance(timedelta(minutes=1))
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(Timer.status).where(Timer.key == "stale-wake")) == TimerStatus.DONE
    assert cop.texts() == ["first ended by time"]  # the second wait still waits
    cop.advance(timedelta(hours=5))
    assert cop.texts() == ["first ended by time", "second ended by time"]


def test_a_call_that_does_not_wait_goes_on_at_once(cop: Cop) -> None:
    cop.write("child", workflow("child", f"""\
        steps:
          - wait: {{for: 1h}}
          - post: {{text: {T.format("child done")}}}
        """))
    cop.write("parent", workflow("parent", f"""\
        triggers: [{{manual: true}}]
        steps:
          - call: {{id: started, workflow: child, wait: false}}
          - post: {{text: {T.format("parent goes on (child run {{ started.run }})")}}}
        """))
    cop.command("enable child")
    cop.command("enable parent")
    cop.command("run parent")
    [parent_post] = cop.texts()
    assert parent_post.startswith("parent goes on (child run ") and parent_post != "parent goes on (child run )"
    cop.advance(timedelta(hours=1, minutes=1))
    assert cop.texts()[1:] == ["child done"]
    assert sorted(run_statuses(cop)) == ["done", "done"]


def test_a_scale_of_ten(cop: Cop) -> None:
    cop.write("ten", workflow("ten", f"""\
        triggers: [{{manual: true}}]
        steps:
          - poll: {{id: score, question: {T.format("Score?")}, scale: 10, closes_after: 1h}}
          - post: {{text: {T.format("{{ score.average }} of {{ score.votes }}")}}}
        """))
    cop.command("enable ten")
    cop.command("run ten")
    ref = cop.texts()[0].split("/cop vote ")[1].split()[0]
    assert cop.say(f"vote {ref} 11", user="anna") == "Choose 1-10."
    for name, score in (("anna", 10), ("bram", 7), ("chidi", 1)):
        cop.say(f"vote {ref} {score}", user=name)
    cop.advance(timedelta(hours=1, minutes=1))
    assert cop.texts()[-1] == "6.0 of 3"


SIGNALS = "{{ entries('signal') | map(attribute='text') | join('; ') }}"


def test_template_functions_and_the_trigger_type(cop: Cop) -> None:
    cop.write("report", workflow("report", f"""\
        triggers:
          - manual: true
          - command: {{word: report}}
        steps:
          - when:
              condition: "trigger.type == 'command'"
              then:
                - post: {{text: {T.format("by command {{ trigger.word }}")}}}
              else:
                - post: {{text: {T.format("{{ trigger.type }}: " + SIGNALS)}}}
                - post: {{text: {T.format("size {{ composition().size }}")}}}
        """))
    cop.command("enable report")
    cop.say("signal Dikes are rising", user="anna")
    cop.say("signal Peat is sinking", user="bram")
    cop.command("run report")
    assert cop.texts()[-2:] == ["manual: Dikes are rising; Peat is sinking", "size 5"]
    cop.say("report", user="anna")
    assert cop.texts()[-1] == "by command report"


def test_the_meeting_started_event_and_the_facilitators_of_that_meeting(cop: Cop) -> None:
    cop.write("opening", workflow("opening", f"""\
        triggers: [{{event: meeting_started}}]
        steps:
          - post: {{text: {T.format("meeting {{ meeting.number }} opens; content: {{ facilitators().content.name }}")}}}
        """))
    cop.command("enable facilitators process=dewi")
    cop.command("enable opening")
    until(cop, MEETING_1 + timedelta(minutes=1))
    with cop.runtime.database.session() as session:
        roles = session.scalars(sa.select(Assignment.roles).where(Assignment.meeting_number == 1)).one()
        names = {m.id: m.name for m in session.scalars(sa.select(Member))}
    assert names[int(roles["process"])] == "Dewi"  # fixed; content rotates among the others
    assert cop.texts()[-1] == f"meeting 1 opens; content: {names[int(roles['content'])]}"


def test_the_rotation_draws_from_the_core_group_with_pool_core(cop: Cop) -> None:
    with cop.runtime.database.session() as session:
        for member in session.scalars(sa.select(Member).where(Member.username.in_(["chidi", ADMIN]))):
            member.core_group = True
    cop.command("enable facilitators pool=core")
    until(cop, MEETING_1 + timedelta(weeks=12) - timedelta(days=1))  # three meetings
    with cop.runtime.database.session() as session:
        served = {m for roles in session.scalars(sa.select(Assignment.roles)) for m in roles.values()}
        core = set(session.scalars(sa.select(Member.id).where(Member.core_group.is_(True))))
    assert {int(m) for m in served} == core


def test_status_lists_the_active_workflows_and_the_work_waiting(cop: Cop) -> None:
    assert "Active workflows: none. Work waiting: 0." in cop.say("status")
    cop.write("hello", workflow("hello", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("hello")}}}
        """))
    cop.command("enable hello")
    cop.command("enable facilitators")
    cop.platform.fail_next(503, times=50, path="/api/v4/posts")  # the platform is down: the post waits
    cop.command("run hello")
    assert "Active workflows: facilitators, hello. Work waiting: 1." in cop.say("status")
    cop.confirmed("disable hello")
    assert "Active workflows: facilitators." in cop.say("status")
