"""What simulated members answer: plausible answers per question, in Dutch and English.

The defaults (``plugin/demo/answers.yaml``) cover the built-in workflows' questions; a community file's
``answers:`` (question start → answers) come first: the defaults answer only what they do not match. A
question is matched by how it starts, the longest match winning, so a question with a template in it
(``… of meeting 3``) is matched too.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

DEFAULT_BANK = Path(__file__).parent / "demo" / "answers.yaml"
_PLACEHOLDER = re.compile(r"\{(organisation|sector|orientation|year)(?:\+(\d{1,2}))?\}")
ORIENTATION_WORDS = {"nl": {"practice": "praktijk", "theory": "theorie"},
                     "en": {"practice": "practice", "theory": "theory"}}


@dataclass(frozen=True)
class Answerer:
    """What an answer may mention about the member who gives it."""

    organisation: str
    sector: str | None
    orientation: str | None
    #: The year of the CoP's first meeting.
    year: int


@dataclass(frozen=True)
class AnswerBank:
    language: str
    #: (question start, answers): the community's own, then the defaults; the first list with a match wins.
    questions: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]
    #: For a question the bank does not know.
    other: tuple[str, ...]

    def answers_for(self, question: str) -> tuple[str, ...]:
        asked = question.strip().casefold()
        for starts in self.questions:
            matches = [(start, answers) for start, answers in starts if asked.startswith(start.casefold())]
            if matches:
                return max(matches, key=lambda match: len(match[0]))[1]
        return self.other

    def answer(self, question: str, who: Answerer, chance: random.Random) -> str:
        """One answer to ``question``, with ``who``'s organisation, sector and orientation filled in."""
        words = ORIENTATION_WORDS.get(self.language, ORIENTATION_WORDS["en"])
        values = {"organisation": who.organisation, "sector": who.sector or who.organisation,
                  "orientation": words.get(who.orientation or "practice", words["practice"])}

        def fill(found: re.Match[str]) -> str:
            if found[1] == "year":
                return str(who.year + int(found[2] or 0))
            return values[found[1]]

        return _PLACEHOLDER.sub(fill, chance.choice(self.answers_for(question)))


@lru_cache(maxsize=4)
def _defaults(language: str) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]:
    data = YAML(typ="safe", pure=True).load(DEFAULT_BANK.read_text(encoding="utf-8"))
    bank = data.get(language) or data["en"]
    questions = tuple((str(start), tuple(map(str, answers))) for start, answers in bank["questions"].items())
    return questions, tuple(map(str, bank["other"]))


def answer_bank(language: str, own: Sequence[tuple[str, Sequence[str]]] = ()) -> AnswerBank:
    defaults, other = _defaults(language)
    return AnswerBank(language, (tuple((start, tuple(answers)) for start, answers in own), defaults), other)


def read_answers(data: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A community file's ``answers:``: question start → a list of answers (ValueError otherwise)."""
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        raise ValueError("'answers' must map the start of a question to a list of answers")
    found = []
    for start, answers in data.items():
        if not isinstance(answers, list) or not answers or not all(isinstance(a, str) for a in answers):
            raise ValueError(f"answers for {start!r}: give a list of at least one text")
        found.append((str(start), tuple(answers)))
    return tuple(found)
