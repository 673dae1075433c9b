"""Every step type, end to end: slash commands over HTTP, runs in the database, the real RQ worker,
and posts at the stand-in platform (each checked against Mattermost's OpenAPI spec)."""

from __future__ import annotations

import itertools
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plugin.engine.journal import EntryKind
from plugin.storage.models import JournalEntry, Member, Poll, Thread, Vote, WorkflowRun
from plugin.storage.states import Orientation, RunStatus
from tests.support.cli import run
from tests.workflows.conftest import ADMIN, Cop, T, workflow


def run_error(cop: Cop) -> str:
    with cop.runtime.database.session() as session:
        return str(session.scalars(sa.select(WorkflowRun.error).where(WorkflowRun.error.is_not(None))).one())


def run_statuses(cop: Cop) -> list[RunStatus]:
    with cop.runtime.database.session() as session:
        return list(session.scalars(sa.select(WorkflowRun.status).order_by(WorkflowRun.id)))


def test_post_to_the_group_a_thread_and_a_member(cop: Cop) -> None:
    cop.write("hello", workflow("hello", f"""\
        triggers:
          - manual: true
        steps:
          - post: {{text: {T.format("Hello {{ community.name }}, {{ members | length }} members")}}}
          - thread:
              id: agenda
              title: {T.format("Agenda")}
              text: {T.format("What shall we discuss?")}
          - post: {{thread: "{{{{ agenda }}}}", text: {T.format("First item")}}}
          - post: {{to: "{{{{ members[1].id }}}}", text: {T.format("Hi {{ members[1].name }}")}}}
        """))
    assert "enabled" in cop.command("enable hello")["text"]
    assert "has started" in cop.command("run hello")["text"]
    texts = cop.texts()
    assert "Hello CoP Water, 5 members" in texts
    agenda = next(p for p in cop.platform.posts() if "What shall we discuss?" in str(p.body.get("message")))
    assert agenda.body["message"].startswith("#### Agenda")
    assert "root_id" not in agenda.body
    reply = next(p for p in cop.platform.posts() if p.body.get("message") == "First item")
    with cop.runtime.database.session() as session:
        thread = session.scalars(sa.select(Thread)).one()
    assert thread.key == "agenda-r1-2"
    assert thread.platform_thread_id is not None
    assert reply.body["root_id"] == thread.platform_thread_id
    assert cop.posts_to("anna") == ["Hi Anna"]
    assert run_statuses(cop) == [RunStatus.DONE]


def test_set_when_and_for_each(cop: Cop) -> None:
    cop.write("logic", workflow("logic", f"""\
        triggers: [{{manual: true}}]
        steps:
          - set: {{big: "members | length > 3", label: "'many'"}}
          - when:
              condition: big
              then:
                - post: {{text: {T.format("{{ label }} members")}}}
              else:
                - post: {{text: {T.format("few members")}}}
          - for_each:
              over: "members | selectattr('role', 'equalto', 'member') | list"
              as: person
              steps:
                - when:
                    condition: "person.name != 'Bram'"
                    then:
                      - post: {{text: {T.format("Welcome {{ person.name }}")}}}
        """))
    cop.command("enable logic")
    cop.command("run logic")
    assert cop.texts() == ["many members", "Welcome Anna", "Welcome Chidi", "Welcome Dewi"]


def test_wait_for_a_duration(cop: Cop) -> None:
    cop.write("later", workflow("later", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("now")}}}
          - wait: {{for: 3d}}
          - post: {{text: {T.format("three days later")}}}
        """))
    cop.command("enable later")
    cop.command("run later")
    assert cop.texts() == ["now"]
    cop.advance(timedelta(days=2, hours=23))
    assert cop.texts() == ["now"]
    assert run_statuses(cop) == [RunStatus.WAITING]
    cop.advance(timedelta(hours=2))
    assert cop.texts() == ["now", "three days later"]
    assert run_statuses(cop) == [RunStatus.DONE]


def test_wait_for_an_event(cop: Cop) -> None:
    cop.write("after", workflow("after", f"""\
        triggers: [{{manual: true}}]
        steps:
          - wait: {{event: meeting_ended, timeout: 8w}}
          - post: {{text: {T.format("meeting {{ meeting.number }} is over")}}}
        """))
    cop.command("enable after")
    cop.command("run after")
    cop.advance(timedelta(days=8, hours=8))  # the first meeting: 2027-01-12 14:00-17:00 Amsterdam
    assert cop.texts() == ["meeting 1 is over"]


def test_wait_until_a_moment(cop: Cop) -> None:
    cop.write("until", workflow("until", f"""\
        triggers: [{{manual: true}}]
        steps:
          - wait: {{until: "{{{{ meeting.starts_at }}}}"}}
          - post: {{text: {T.format("starting now")}}}
        """))
    cop.command("enable until")
    cop.command("run until")
    cop.advance(timedelta(days=8, hours=4, minutes=59))  # 13:59 Amsterdam on the 12th
    assert cop.texts() == []
    cop.advance(timedelta(minutes=2))
    assert cop.texts() == ["starting now"]


def test_ask_in_rounds_collects_answers_and_synthesises(cop: Cop) -> None:
    cop.write("domain", workflow("domain", f"""\
        triggers: [{{manual: true}}]
        steps:
          - ask:
              id: domain
              questions:
                - {T.format("What is this CoP about?")}
                - {T.format("Which problem does it solve?")}
              to: "members | selectattr('role', 'equalto', 'member') | list"
              rounds: 2
              deadline: 7d
          - post: {{text: {T.format("{{ domain.answered }} answers in {{ domain.rounds | length }} rounds")}}}
        """))
    cop.command("enable domain")
    cop.command("run domain")
    [prompt] = cop.texts()
    assert "Round 1" in prompt and "1. What is this CoP about?" in prompt
    ref = prompt.split("/cop answer ")[1].split()[0]
    for name in ("anna", "bram", "chidi", "dewi"):
        assert "recorded" in cop.command(f"answer {ref} 1 About water, says {name}", user=name)["text"]
        if name != "dewi":
            cop.command(f"answer {ref} 2 Floods", user=name)
    assert "put the number first" in cop.command(f"answer {ref} too vague", user="anna")["text"]
    assert "not a member" in cop.command(f"answer {ref} 1 x", user="stranger")["text"]
    assert len(cop.texts()) == 1  # dewi has not answered question 2: the round stays open
    cop.command(f"answer {ref} 2 <script>{{{{ 7*7 }}}}</script>", user="dewi")
    synthesis, round_two = cop.texts()[1:3]
    assert "Synthesis of round 1 (8 answers)" in synthesis
    assert "- Anna: About water, says anna" in synthesis
    assert "- Dewi: &lt;script>{{ 7*7 }}&lt;/script>" in synthesis  # data, never a template (nor markup)
    assert "Round 2" in round_two
    cop.advance(timedelta(days=7, minutes=1))  # nobody answers round 2: it closes at its deadline
    assert "Synthesis of round 2 (0 answers)" in cop.texts()[3]
    assert cop.texts()[4] == "8 answers in 2 rounds"
    assert "no open question" in cop.command(f"answer {ref} 1 late", user="anna")["text"]


def test_anonymous_poll_closes_when_all_voted_and_hides_voters(cop: Cop) -> None:
    cop.write("evaluate", workflow("evaluate", f"""\
        triggers: [{{manual: true}}]
        steps:
          - poll:
              id: score
              question: {T.format("How valuable was it?")}
              scale: 5
              voters: "members | selectattr('role', 'equalto', 'member') | list"
          - post: {{text: {T.format("average {{ score.average }} from {{ score.votes }}; named {{ score.named }}")}}}
        """))
    cop.command("enable evaluate")
    cop.command("run evaluate")
    [prompt] = cop.texts()
    ref = prompt.split("/cop vote ")[1].split()[0]
    assert "Anonymous" in prompt
    assert "Choose 1-5" in cop.command(f"vote {ref} 9", user="anna")["text"]
    assert "Choose 1-5" in cop.command(f"vote {ref} 1,2", user="anna")["text"]
    for name, score in (("anna", 4), ("bram", 5), ("chidi", 3), ("anna", 2)):  # anna changes her vote
        assert "counted" in cop.command(f"vote {ref} {score}", user=name)["text"]
    assert len(cop.texts()) == 1
    assert "no open poll" in cop.command(f"vote {ref} 3", user="admin")["text"]  # not among the voters
    cop.command(f"vote {ref} 4", user="dewi")
    assert cop.texts()[1] == "average 3.5 from 4; named {}"
    with cop.runtime.database.session() as session:
        poll = session.scalars(sa.select(Poll)).one()
        assert poll.results is not None and poll.results["named"] == {}
        assert list(session.scalars(sa.select(Vote.voter))) == []  # closed: the counts stay, the ballots go


def test_named_poll_with_choices_closes_at_its_time(cop: Cop) -> None:
    cop.write("choose", workflow("choose", f"""\
        triggers: [{{manual: true}}]
        steps:
          - poll:
              id: expert
              question: {T.format("Invite an expert?")}
              choices: [{T.format("Yes")}, {T.format("No")}]
              anonymous: false
              closes_after: 1d
          - post: {{text: {T.format("{{ expert.counts }} {{ expert.named }}")}}}
        """))
    cop.command("enable choose")
    cop.command("run choose")
    ref = cop.texts()[0].split("/cop vote ")[1].split()[0]
    cop.command(f"vote {ref} 1", user="anna")
    cop.command(f"vote {ref} 2", user="bram")
    cop.advance(timedelta(hours=23))
    assert len(cop.texts()) == 1
    cop.advance(timedelta(hours=2))
    assert cop.texts()[1] == "{'Yes': 1, 'No': 1} {'Anna': ['Yes'], 'Bram': ['No']}"


def test_assign_rotates_fairly_and_remind_sends_direct_messages(cop: Cop) -> None:
    cop.write("facilitate", workflow("facilitate", f"""\
        triggers: [{{manual: true}}]
        steps:
          - assign:
              id: pair
              roles: [content, process]
              pool: "members | selectattr('role', 'equalto', 'member') | list"
          - remind:
              to: "[pair.content.id, pair.process.id]"
              text: {T.format("You facilitate: {{ pair.content.name }} (content), {{ pair.process.name }} (process)")}
        """))
    cop.command("enable facilitate")
    pairs = []
    for _ in range(4):
        cop.command("run facilitate")
    for message in cop.direct_messages():
        pairs.append(message.split(": ", 1)[1])
    distinct = pairs[::2]  # each pair is reminded twice (one message each)
    assert len(distinct) == 4
    served = " ".join(distinct)
    for name in ("Anna", "Bram", "Chidi", "Dewi"):
        assert served.count(name) == 2
    firsts = [pair.split(" (content)")[0] for pair in distinct]
    assert all(a != b for a, b in itertools.pairwise(firsts))
    assert len(cop.posts_to("anna")) == 2


def test_digest_shows_anonymous_results_only_from_three_votes(cop: Cop) -> None:
    cop.write("report", workflow("report", f"""\
        triggers: [{{manual: true}}]
        steps:
          - poll: {{id: a, question: {T.format("Small poll")}, scale: 5, closes_after: 1h}}
          - poll: {{id: b, question: {T.format("Big poll")}, scale: 5, closes_after: 1h}}
          - digest: {{audience: field}}
        """))
    cop.command("enable report")
    cop.command("run report")
    ref_a = cop.texts()[0].split("/cop vote ")[1].split()[0]
    for name in ("anna", "bram"):
        cop.command(f"vote {ref_a} 5", user=name)
    cop.advance(timedelta(hours=1, minutes=1))
    ref_b = cop.texts()[1].split("/cop vote ")[1].split()[0]
    for name, score in (("anna", 2), ("bram", 3), ("chidi", 4)):
        cop.command(f"vote {ref_b} {score}", user=name)
    cop.advance(timedelta(hours=1, minutes=1))
    digest = cop.texts()[2]
    assert digest.startswith("#### Results of CoP Water for the field")
    assert "- Small poll: too few votes to show anonymously" in digest
    assert "- Big poll: ⌀ 3.0 (3 votes)" in digest


def test_call_runs_another_workflow_and_waits_for_it(cop: Cop) -> None:
    cop.write("child", workflow("child", f"""\
        params:
          greeting: {{type: string, default: hello}}
        steps:
          - wait: {{for: 1h}}
          - post: {{text: {T.format("child says {{ params.greeting }}")}}}
        """))
    cop.write("parent", workflow("parent", f"""\
        triggers: [{{manual: true}}]
        steps:
          - call: {{workflow: child, params: {{greeting: "hoi"}}}}
          - post: {{text: {T.format("parent continues")}}}
        """))
    cop.command("enable child")
    cop.command("enable parent")
    cop.command("run parent")
    assert cop.texts() == []
    cop.advance(timedelta(hours=1, minutes=1))
    assert cop.texts() == ["child says hoi", "parent continues"]
    assert run_statuses(cop) == [RunStatus.DONE, RunStatus.DONE]


def run_broken(cop: Cop) -> None:
    """Enable and run a workflow whose template reads a field the community does not have (an unknown name
    would be refused when the file is read: only a value's missing part is found when the step runs)."""
    cop.write("broken", workflow("broken", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("{{ community.no_such }}")}}}
        """))
    cop.command("enable broken")
    cop.command("run broken")


def test_a_template_error_stops_the_run_and_says_where(cop: Cop) -> None:
    run_broken(cop)
    assert run_statuses(cop) == [RunStatus.FAILED]
    assert cop.texts() == []  # the members are not shown server paths and template internals
    [notice] = cop.private_to(ADMIN)  # the admins are told, with where to look
    assert notice == ("Workflow `broken` (run 1) stopped on an error. What went wrong: `/cop runs` (for admins) "
                      "or `kring runs` on the server.")
    assert "broken.yaml:" in run_error(cop) and "no_such" in run_error(cop)
    assert "no_such" in cop.command("runs")["text"]  # an admin sees the error
    seen_by_member = cop.command("runs", user="anna")["text"]
    assert "run 1: `broken` — failed" in seen_by_member and "no_such" not in seen_by_member
    assert "not a member" in cop.command("runs", user="stranger")["text"]


def test_kring_runs_shows_the_operator_the_whole_error(cop: Cop, env: dict[str, str]) -> None:
    run_broken(cop)
    process_env = {**{k: v for k, v in os.environ.items() if not k.startswith("KRING_")}, **env}
    result = run(["runs", "--failed"], process_env)
    assert result.returncode == 0, result.stderr
    heading, *error = result.stdout.splitlines()
    assert heading.startswith(f"run 1 community {cop.community_id} broken failed started ")
    assert error and "broken.yaml:" in error[0] and "no_such" in "\n".join(error)
    assert run(["runs", "--failed", "--community", str(cop.community_id + 1)], process_env).stdout == (
        "No workflow runs failed.\n")


def test_templates_cannot_reach_python_internals(cop: Cop) -> None:
    cop.write("escape", workflow("escape", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("{{ members.__class__.__mro__ }}")}}}
        """))
    cop.command("enable escape")
    cop.command("run escape")
    assert run_statuses(cop) == [RunStatus.FAILED]
    assert "unsafe" in run_error(cop) or "undefined" in run_error(cop)


@pytest.mark.parametrize(("expression", "why"), [
    ("'x' * 200000000", "a repetition longer than 16000 is refused"),
    ("9 ** 99999", "an exponent above 1000 is refused"),
    ("range(10 ** 9) | list | length", "OverflowError: Range too big"),
])
def test_a_template_that_would_build_a_huge_value_stops_the_run_with_the_reason(cop: Cop, expression: str,
                                                                                 why: str) -> None:
    cop.write("huge", workflow("huge", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("{{ " + expression.replace('"', "'") + " }}")}}}
        """))
    cop.command("enable huge")
    cop.command("run huge")
    assert run_statuses(cop) == [RunStatus.FAILED]
    assert why in run_error(cop)


def test_record_keeps_a_journal_entry_that_later_steps_read(cop: Cop) -> None:
    cop.write("decide", workflow("decide", f"""\
        triggers: [{{manual: true}}]
        steps:
          - record:
              id: decision
              kind: decision
              text: "Meet at the pumping station"
              data: "{{'agree': 3, 'adopted': true}}"
              member: "{{{{ members[1].id }}}}"
          - record: {{kind: highlight, text: "Only mine", member: "{{{{ members[1].id }}}}", private: true}}
          - post: {{text: {T.format("Decision {{ decision.number }}: {{ entries('decision') | length }} public, "
                                    "{{ entries('highlight') | length }} highlights shown")}}}
        """))
    cop.command("enable decide")
    cop.command("run decide")
    assert cop.texts()[-1] == "Decision 1: 1 public, 0 highlights shown"  # the private one stays private
    with cop.runtime.database.session() as session:
        entries = {e.kind: e for e in session.scalars(sa.select(JournalEntry))}
    assert entries[EntryKind.DECISION].data == {"agree": 3, "adopted": True}
    assert entries[EntryKind.DECISION].member_id == cop.members["anna"] and entries[EntryKind.HIGHLIGHT].private


def test_profile_keeps_each_members_intake_answers(cop: Cop) -> None:
    cop.write("intake", workflow("intake", f"""\
        triggers: [{{manual: true}}]
        steps:
          - ask:
              id: intake
              questions: [{T.format("Your function?")}, {T.format("Practice or theory?")}]
              to: "[members[1]]"
              deadline: 1d
          - profile: {{answers: intake, fields: [function, orientation]}}
          - post: {{text: {T.format("profiled")}}}
        """))
    cop.command("enable intake")
    cop.command("run intake")
    ref = cop.texts()[0].split("/cop answer ")[1].split()[0]
    cop.command(f"answer {ref} 1 Dike inspector", user="anna")
    cop.command(f"answer {ref} 2 Mostly praktijk", user="anna")
    assert cop.texts()[-1] == "profiled"
    with cop.runtime.database.session() as session:
        anna = session.get_one(Member, cop.members["anna"])
        assert anna.profile["function"] == "Dike inspector"
        assert anna.orientation == Orientation.PRACTICE  # read in either language
