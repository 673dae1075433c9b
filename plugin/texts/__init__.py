"""Every user-facing sentence of Kring, looked up by key with :func:`text`, as gettext catalogs.

Each part of the catalog (one module per area) declares its sentences in English, the source language;
the other languages are gettext catalogs in ``plugin/locale/<language>/LC_MESSAGES/kring.po``, compiled
to ``.mo`` files when Kring is installed (``setup.py``). A sentence's key is its gettext context, so two
sentences with the same English can still be translated differently. A key declared in two parts is an
error, not a silent override. A sentence about a number of things has a form for one and for more
(``ngettext``, with each language's own plural rule), chosen by its ``count``: never "bijeenkomst(en)".
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any

from plugin.languages import LANGUAGES, SOURCE_LANGUAGE
from plugin.texts.catalog import Sentence
from plugin.texts.core import CORE
from plugin.texts.digests import DIGEST
from plugin.texts.operations import OPERATIONS
from plugin.texts.pages import PAGES
from plugin.texts.personal_data import PERSONAL_DATA
from plugin.texts.toolbox import TOOLBOX
from plugin.texts.usage import USAGE
from plugin.texts.values import VALUES

#: Where the catalogs are: ``kring.pot`` (extracted from the code) and a ``.po``/``.mo`` per language.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "kring"


class CatalogMissing(RuntimeError):
    """A language's compiled catalog is not installed (Kring was not installed, or a ``.po`` was edited)."""


def _by_key(*parts: tuple[Sentence, ...]) -> dict[str, Sentence]:
    declared: dict[str, Sentence] = {}
    for part in parts:
        for declaration in part:
            if declaration.key in declared:
                raise RuntimeError(f"text key defined twice: {declaration.key}")
            declared[declaration.key] = declaration
    return declared


SENTENCES = _by_key(CORE, TOOLBOX, DIGEST, OPERATIONS, VALUES, PERSONAL_DATA, USAGE, PAGES)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English for a language Kring does not speak)."""
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, [language])
    except FileNotFoundError as exc:
        raise CatalogMissing(
            f"The '{language}' catalog is not compiled ({LOCALE_DIR / language / 'LC_MESSAGES' / DOMAIN}.mo): "
            f"install Kring again (pip install -e .), or run `pybabel compile -d plugin/locale -D {DOMAIN}`."
        ) from exc


def text(key: str, lang: str, /, **values: Any) -> str:
    """The sentence ``key`` in language ``lang`` (falling back to English), filled with ``values``."""
    declared = SENTENCES[key]
    catalog = translations(lang)
    if declared.plural is None:
        sentence = catalog.pgettext(key, declared.english)
    else:
        sentence = catalog.npgettext(key, declared.english, declared.plural, int(values.get("count", 0)))
    return sentence.format(**values) if values else sentence


def label(group: str, value: str, lang: str, /) -> str:
    """The reader's word for ``value`` of a kind of thing (a role, a channel, a status, a profile field):
    the sentence ``group.value``, or ``value`` itself when there is none (a role a workflow made up)."""
    key = f"{group}.{value}"
    return text(key, lang) if key in SENTENCES else value


def usage_in(usage: str, language: str) -> str:
    """``usage`` with its placeholders in ``language`` (unchanged in English)."""
    for placeholder in USAGE:
        usage = usage.replace(placeholder.english, text(placeholder.key, language))
    return usage
