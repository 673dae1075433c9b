"""Member text Kring reposts cannot act with the bot's rights: no mentions that ping, no images, no
polls or tags (`plugin/engine/inert.py`), through the commands a member has."""

from __future__ import annotations

from plugin.engine.inert import ZERO_WIDTH_SPACE
from plugin.storage.models import Member
from tests.workflows.conftest import Cop, T, workflow

HOSTILE = "@channel look ![t](https://evil.example/t.gif) [poll name=x] <img src=https://evil.example/i>"


def assert_inert(posted: str) -> None:
    assert "@channel" not in posted and f"@{ZERO_WIDTH_SPACE}channel" in posted
    assert "![t](" not in posted and "!\\[t](" in posted
    assert "[poll" not in posted.replace("\\[poll", "") and "<img" not in posted


def test_an_answer_reposted_in_a_synthesis_is_inert(cop: Cop) -> None:
    cop.write("ask", workflow("ask", f"""\
        triggers: [{{manual: true}}]
        steps:
          - ask:
              questions: [{T.format("What is this CoP about?")}]
              to: "members | selectattr('role', 'equalto', 'member') | list"
              deadline: 1d
        """))
    cop.command("enable ask")
    cop.command("run ask")
    ref = cop.texts()[0].split("/cop answer ")[1].split()[0]
    for name in ("anna", "bram", "chidi", "dewi"):
        cop.command(f"answer {ref} {HOSTILE}", user=name)
    assert_inert(cop.texts()[-1])


def test_a_value_in_a_workflow_post_is_inert_and_the_workflows_own_words_are_not(cop: Cop) -> None:
    """A member's display name is theirs to choose on the platform."""
    with cop.runtime.database.session() as session:
        session.get_one(Member, cop.members["anna"]).name = HOSTILE
    cop.write("echo", workflow("echo", """\
        triggers: [{manual: true}]
        steps:
          - post: {text: {nl: "x", en: "**Welcome** @admin: {{ members | map(attribute='name') | join(', ') }}"}}
        """))
    cop.command("enable echo")
    cop.command("run echo")
    posted = cop.texts()[-1]
    assert posted.startswith("**Welcome** @admin: ")  # the workflow's author may mention
    assert_inert(posted.removeprefix("**Welcome** @admin: "))


def test_a_signal_listed_back_is_inert(cop: Cop) -> None:
    cop.command(f"signal {HOSTILE}", user="anna")
    assert_inert(cop.command("signal", user="bram")["text"])
