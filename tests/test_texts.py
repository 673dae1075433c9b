"""Every user-facing text exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from plugin.texts import CATALOG, LANGUAGES, text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_text_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), f"{key} lacks {set(LANGUAGES) - set(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert placeholders(entry["nl"]) == placeholders(entry["en"])


def test_unknown_language_falls_back_to_english() -> None:
    assert text("command.help", "de") == CATALOG["command.help"]["en"]


def test_the_dutch_intro_uses_the_toolboxs_own_words() -> None:
    intro = text("intro.message", "nl")
    for words in ("Definieer het vraagstuk", "Stel de groep samen", "Zorg voor doorwerking",
                  "Benoem twee facilitators", "Zorg voor groepsverantwoordelijkheid", "Monitor",
                  "Experimenteer", "Communiceer"):
        assert words in intro
