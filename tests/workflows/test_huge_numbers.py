"""A number no database column can hold (or a digit Python's ``int`` does not read), typed where a command
expects a meeting, a poll, a run or an action, is answered like any unknown number: never a server error,
on PostgreSQL neither (which refuses such a number, where SQLite just finds no row)."""

from __future__ import annotations

import pytest

from tests.workflows.conftest import Cop

HUGE = "99999999999999999999"


@pytest.mark.parametrize("command", [
    f"meeting move {HUGE} 2027-03-02", f"meeting cancel {HUGE}", f"absent {HUGE}", f"facilitators accept {HUGE}",
    f"facilitators decline {HUGE}", f"vote {HUGE} 1", f"answer {HUGE} hello", f"cancel {HUGE}", f"confirm {HUGE}",
    f"undo {HUGE}", f"facilitators swap {HUGE} @bram", "vote ² 1", "meeting move ² 2027-03-02", "absent ²",
    "vote 1 ²",
])
def test_a_huge_number_is_an_unknown_one(cop: Cop, command: str) -> None:
    cop.command("enable cop-lifecycle")
    answer = cop.command(command)["text"]  # cop.command fails the test on anything but a 200
    assert answer and "unexpected error" not in answer
