"""The languages Kring speaks: one definition for its texts, workflows and configuration."""

from __future__ import annotations

LANGUAGES = ("nl", "en")
#: The language the code's sentences are written in (the catalogs translate from it).
SOURCE_LANGUAGE = "en"
