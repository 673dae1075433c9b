"""What simulated members answer: the answer bank's defaults per language, a community file's own
answers first, matched by how a question starts, with the member's details filled in."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from plugin.answer_bank import Answerer, answer_bank
from plugin.community_file import SimulationError, read_community
from plugin.engine.loader import load_workflow
from plugin.engine.model import Step
from tests.support.openapi import REPO_ROOT

ANNA = Answerer("Waterschap", "overheid", "theory", 2027)


def _questions(language: str) -> list[str]:
    """Every question the built-in workflows ask, in ``language`` (templates left in)."""
    found = []
    for path in sorted((REPO_ROOT / "workflows").glob("*.yaml")):
        workflow, problems = load_workflow(path.read_text("utf-8"), str(path))
        assert workflow is not None and problems == []
        found += [q.get(language) for step in _every_step(workflow.steps) if step.type == "ask"
                  for q in step.options["questions"]]
    return found


def _every_step(steps: tuple[Step, ...]) -> list[Step]:
    return [found for step in steps
            for found in (step, *(s for nested in step.children.values() for s in _every_step(nested)))]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_built_in_question_has_answers_of_its_own(language: str) -> None:
    bank = answer_bank(language)
    questions = _questions(language)
    assert len(questions) == 17  # domain 3, canvas 4, backcast 5, intake 4, highlight 1
    for question in questions:
        assert bank.answers_for(question) != bank.other, question


def test_the_longest_matching_start_wins_and_the_members_details_are_filled_in() -> None:
    bank = answer_bank("nl", [("Wat", ("kort",)), ("Wat was voor jou het hoogtepunt", ("eigen {organisation}",))])
    chance = random.Random(1)
    assert bank.answer("Wat was voor jou het hoogtepunt van bijeenkomst 3?", ANNA, chance) == "eigen Waterschap"
    assert bank.answer("Wat nu?", ANNA, chance) == "kort"
    question = "Which steps do we take, back in time to now? One step per line"
    steps = answer_bank("en").answers_for(question)
    filled = {answer_bank("en").answer(question, ANNA, random.Random(seed)) for seed in range(20)}
    assert len(filled) == len(steps) and all("{" not in answer for answer in filled)
    assert all(answer.splitlines()[-1].startswith("2027: ") for answer in filled)
    assert any(answer.startswith("2032: ") for answer in filled)  # {year+5}
    assert answer_bank("nl").answer("Sta je vooral in de praktijk of meer in de theorie?", ANNA,
                                    random.Random(2)).count("theorie") == 1
    assert answer_bank("en").answer("Something nobody asked before?", ANNA, random.Random(3)) in {
        a.replace("{organisation}", "Waterschap").replace("{orientation}", "theory") for a in answer_bank("en").other}


def test_a_community_files_answers_must_be_lists_of_texts(tmp_path: Path) -> None:
    base = "name: C\nstart: 2027-01-12\nmembers: [{name: Anna}]\n"
    path = tmp_path / "community.yaml"
    path.write_text(base + "answers:\n  What is this CoP about?: [About water, About dikes]\n", "utf-8")
    assert read_community(path).answers == (("What is this CoP about?", ("About water", "About dikes")),)
    for bad in ("answers: [one, two]\n", "answers:\n  What?: About water\n", "answers:\n  What?: []\n"):
        path.write_text(base + bad, "utf-8")
        with pytest.raises(SimulationError, match=r"not a valid community file.*answers"):
            read_community(path)
