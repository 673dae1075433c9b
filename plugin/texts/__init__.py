"""Every user-facing sentence of Kring, in Dutch and English, looked up by key with :func:`text`.

The catalog is made of one part per area; a key defined in two parts is an error, not a silent
override. A key missing a language is a bug that the tests catch. A sentence about a number of things
has a form per number (``{"one": …, "other": …}``: both languages say "1 bijeenkomst", "2
bijeenkomsten"), chosen by its ``count``: never "bijeenkomst(en)".
"""

from __future__ import annotations

from typing import Any

from plugin.texts.catalog import Catalog
from plugin.texts.core import CORE
from plugin.texts.digests import DIGEST
from plugin.texts.operations import OPERATIONS
from plugin.texts.personal_data import PERSONAL_DATA
from plugin.texts.toolbox import TOOLBOX
from plugin.texts.values import VALUES


def _merged(*parts: Catalog) -> Catalog:
    merged: Catalog = {}
    for part in parts:
        repeated = merged.keys() & part.keys()
        if repeated:
            raise RuntimeError(f"text keys defined twice: {sorted(repeated)}")
        merged.update(part)
    return merged


CATALOG = _merged(CORE, TOOLBOX, DIGEST, OPERATIONS, VALUES, PERSONAL_DATA)


def label(group: str, value: str, lang: str, /) -> str:
    """The reader's word for ``value`` of a kind of thing (a role, a channel, a status, a profile field):
    the sentence ``group.value``, or ``value`` itself when there is none (a role a workflow made up)."""
    key = f"{group}.{value}"
    return text(key, lang) if key in CATALOG else value


def text(key: str, lang: str, /, **values: Any) -> str:
    """The sentence ``key`` in language ``lang`` (falling back to English), filled with ``values``."""
    entry = CATALOG[key]
    sentence = entry.get(lang) or entry["en"]
    if isinstance(sentence, dict):
        sentence = sentence["one" if values.get("count") == 1 else "other"]
    return sentence.format(**values) if values else sentence
