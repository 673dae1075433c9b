"""Every user-facing text exists in Dutch and English, with the same placeholders, as gettext catalogs
that are what the code declares."""

from __future__ import annotations

import gettext
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import plugin.texts
from plugin.languages import LANGUAGES, SOURCE_LANGUAGE
from plugin.texts import DOMAIN, LOCALE_DIR, SENTENCES, CatalogMissing, text, translations
from plugin.texts.catalog import Sentence
from tests.support.openapi import REPO_ROOT

#: ``pybabel extract`` as the README gives it.
EXTRACT = ["extract", "-F", "babel.cfg", "--no-default-keywords", "-k", "sentence:1c,2", "-k", "sentence:1c,2,3,3t",
           "--project", "Kring", "--version", "0.1.0", "--copyright-holder", "Kring developers"]


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language)


def _messages(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


def placeholders(*forms: str) -> set[str]:
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def _forms(declared: Sentence) -> tuple[str, ...]:
    return (declared.english,) if declared.plural is None else (declared.english, declared.plural)


def test_the_template_is_what_the_code_declares(tmp_path: Path) -> None:
    """``plugin/locale/kring.pot`` holds exactly the sentences the code declares: extract it again and compare."""
    fresh = tmp_path / "kring.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *EXTRACT, "-o", str(fresh), "."],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    declared = {(m.context, m.id) for m in _read(fresh) if m.id}
    kept = {(m.context, m.id) for m in _read(LOCALE_DIR / f"{DOMAIN}.pot") if m.id}
    assert declared == kept, "plugin/locale/kring.pot is out of date: run pybabel extract (README, Languages)"
    assert len(declared) == len(SENTENCES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_catalog_of_every_sentence_with_the_same_placeholders(language: str) -> None:
    catalog = _read(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", language)
    assert not catalog.obsolete, f"{language}: obsolete entries; pybabel update --ignore-obsolete (README, Languages)"
    messages = _messages(catalog)
    assert set(messages) == {(key, declared.english) for key, declared in SENTENCES.items()}
    for (key, _), message in messages.items():
        assert not message.fuzzy, f"{language}: {key} is marked fuzzy"
        forms = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        if language == SOURCE_LANGUAGE:
            continue  # the source language's catalog may leave a sentence as the code says it
        assert all(form.strip() for form in forms), f"{language}: {key} is not translated"
        assert len(forms) == len(_forms(SENTENCES[key])), key
        assert placeholders(*forms) == placeholders(*_forms(SENTENCES[key])), key
        if SENTENCES[key].plural is not None:  # a sentence about a number of things: a form for one and for more
            assert "count" in placeholders(*forms), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_installed_catalogs_are_compiled_from_the_current_translations(language: str) -> None:
    """What the compiled ``.mo`` answers for each sentence is what its ``.po`` says now (or the English)."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (folder / f"{DOMAIN}.mo").open("rb") as compiled:
        installed = gettext.GNUTranslations(compiled)
    source = _messages(_read(folder / f"{DOMAIN}.po", language))
    for key, declared in SENTENCES.items():
        message = source[key, declared.english]
        if declared.plural is None:
            assert installed.pgettext(key, declared.english) == (message.string or declared.english), (
                f"{folder / DOMAIN}.mo is older than its .po: install Kring again (pip install -e .)")
        else:
            for count, form in ((1, 0), (2, 1)):
                expected = message.string[form] or _forms(declared)[form]
                assert installed.npgettext(key, declared.english, declared.plural, count) == expected, key


def test_a_catalog_that_is_not_compiled_is_named_with_how_to_compile_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(plugin.texts, "LOCALE_DIR", tmp_path)
    translations.cache_clear()
    try:
        with pytest.raises(CatalogMissing, match=r"'nl' catalog is not compiled .*pybabel compile"):
            text("command.help", "nl")
    finally:
        translations.cache_clear()


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


def _samples(declared: Sentence, count: int) -> dict[str, object]:
    numbers = {"count", "number", "votes", "meeting", "answers", "retrying", "failed", "attempts", "members",
               "consent", "limit", "length", "round", "version", "ref"}
    return {name: count if name == "count" else 3 if name in numbers else "Anna"
            for name in placeholders(*_forms(declared))}


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_message_reads_as_a_sentence_of_its_language(key: str) -> None:
    """Rendered as a member reads it (with one and with several of what it counts): no Python values, no
    "(en)", no "3d", and in Dutch no English words outside the `commands` a member is told to type."""
    def shown_as(language: str, values: dict[str, object]) -> str:
        shown = text(key, language, **values)
        # A usage placeholder is only ever shown in a usage line, which is code: "Gebruik: `/cop …`".
        return text("usage", language, usage=shown) if key.startswith("usage.") else shown

    for count in (1, 2):
        values = _samples(SENTENCES[key], count)
        for language in LANGUAGES:
            shown = re.sub(r"`[^`]*`", "", shown_as(language, values))
            for what, pattern in NEVER.items():
                assert not pattern.search(shown), f"{key} ({language}) shows {what}: {shown!r}"
        dutch = re.sub(r"`[^`]*`|\*\*Kring\*\*", "", shown_as("nl", values))
        assert not ENGLISH_IN_DUTCH.search(dutch), f"{key}: English in Dutch: {dutch!r}"


def test_a_sentence_about_a_number_has_the_right_form_for_one_and_for_more() -> None:
    assert text("digest.contribution.facilitated", "nl", count=1) == "begeleidde 1 bijeenkomst"
    assert text("digest.contribution.facilitated", "nl", count=3) == "begeleidde 3 bijeenkomsten"
    assert text("digest.contribution.facilitated", "en", count=1) == "facilitated 1 meeting"
    assert text("digest.contribution.facilitated", "en", count=0) == "facilitated 0 meetings"


def test_unknown_language_falls_back_to_english() -> None:
    assert text("command.help", "de") == SENTENCES["command.help"].english == "shows this help"


def test_the_dutch_intro_uses_the_toolboxs_own_words() -> None:
    intro = text("intro.message", "nl")
    for words in ("Definieer het vraagstuk", "Stel de groep samen", "Zorg voor doorwerking",
                  "Benoem twee facilitators", "Zorg voor groepsverantwoordelijkheid", "Monitor",
                  "Experimenteer", "Communiceer"):
        assert words in intro
