"""Every user-facing text exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from plugin.languages import LANGUAGES
from plugin.texts import CATALOG, text
from plugin.texts.catalog import Sentence


def placeholders(sentence: Sentence) -> set[str]:
    forms = sentence.values() if isinstance(sentence, dict) else (sentence,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_text_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), f"{key} lacks {set(LANGUAGES) - set(entry)}"
    for language in LANGUAGES:
        sentence = entry[language]
        forms = sentence.values() if isinstance(sentence, dict) else (sentence,)
        assert all(form.strip() for form in forms)
        if isinstance(sentence, dict):  # a sentence about a number of things: a form for one and for more
            assert set(sentence) == {"one", "other"} and "count" in placeholders(sentence), key
    assert placeholders(entry["nl"]) == placeholders(entry["en"])


#: Words that give English away in a Dutch sentence (none of them is also a Dutch word).
ENGLISH_IN_DUTCH = re.compile(
    r"\b(the|and|by|with|from|failed|refused|sent|running|please|meetings?|members?|content|process|expected|"
    r"invalid|not|are|you|your|should|will|would|has|have|digest|poll|votes?|started|admins?|answers?)\b", re.I)
#: What a reader must never see: a Python value or error, a plural crutch, a duration as Kring parses it.
NEVER = {
    "a Python value": re.compile(r"\b(None|True|False)\b|Traceback|invalid literal|Error:"),
    "a plural crutch": re.compile(r"\w\((s|en|n|es)\)"),
    "a raw duration": re.compile(r"\b\d+[wdhms]\b"),
}


def _samples(entry: dict[str, Sentence], count: int) -> dict[str, object]:
    numbers = {"count", "number", "votes", "meeting", "answers", "retrying", "failed", "attempts", "members",
               "consent", "limit", "length", "round", "version", "ref"}
    return {name: count if name == "count" else 3 if name in numbers else "Anna" for name in placeholders(entry["nl"])}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_reads_as_a_sentence_of_its_language(key: str) -> None:
    """Rendered as a member reads it (with one and with several of what it counts): no Python values, no
    "(en)", no "3d", and in Dutch no English words outside the `commands` a member is told to type."""
    for count in (1, 2):
        values = _samples(CATALOG[key], count)
        for language in LANGUAGES:
            shown = re.sub(r"`[^`]*`", "", text(key, language, **values))
            for what, pattern in NEVER.items():
                assert not pattern.search(shown), f"{key} ({language}) shows {what}: {shown!r}"
        dutch = re.sub(r"`[^`]*`|\*\*Kring\*\*", "", text(key, "nl", **values))
        assert not ENGLISH_IN_DUTCH.search(dutch), f"{key}: English in Dutch: {dutch!r}"


def test_a_sentence_about_a_number_has_the_right_form_for_one_and_for_more() -> None:
    assert text("digest.contribution.facilitated", "nl", count=1) == "begeleidde 1 bijeenkomst"
    assert text("digest.contribution.facilitated", "nl", count=3) == "begeleidde 3 bijeenkomsten"
    assert text("digest.contribution.facilitated", "en", count=1) == "facilitated 1 meeting"
    assert text("digest.contribution.facilitated", "en", count=0) == "facilitated 0 meetings"


def test_unknown_language_falls_back_to_english() -> None:
    assert text("command.help", "de") == CATALOG["command.help"]["en"]


def test_the_dutch_intro_uses_the_toolboxs_own_words() -> None:
    intro = text("intro.message", "nl")
    for words in ("Definieer het vraagstuk", "Stel de groep samen", "Zorg voor doorwerking",
                  "Benoem twee facilitators", "Zorg voor groepsverantwoordelijkheid", "Monitor",
                  "Experimenteer", "Communiceer"):
        assert words in intro
