"""Every user-facing sentence of Kring, in Dutch and English, looked up by key with :func:`text`.

The catalog is made of one part per area; a key defined in two parts is an error, not a silent
override. A key missing a language is a bug that the tests catch.
"""

from __future__ import annotations

from typing import Any

from plugin.texts.core import CORE
from plugin.texts.digests import DIGEST
from plugin.texts.operations import OPERATIONS
from plugin.texts.toolbox import TOOLBOX

LANGUAGES = ("nl", "en")


def _merged(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        repeated = merged.keys() & part.keys()
        if repeated:
            raise RuntimeError(f"text keys defined twice: {sorted(repeated)}")
        merged.update(part)
    return merged


CATALOG = _merged(CORE, TOOLBOX, DIGEST, OPERATIONS)


def text(key: str, lang: str, /, **values: Any) -> str:
    """The sentence ``key`` in language ``lang`` (falling back to English), filled with ``values``."""
    entry = CATALOG[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template
