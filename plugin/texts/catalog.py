"""How a part of the catalog declares its sentences: a key, and the English (the source language) that the
translations in ``plugin/locale`` translate.

``pybabel extract`` reads these declarations (``babel.cfg``): the key becomes the message's context and
the English its ``msgid``, so a translator sees the English and a key that says where it is used.
"""

from __future__ import annotations

from typing import NamedTuple


class Sentence(NamedTuple):
    """One message. ``plural`` is set for a sentence about a number of things: it is chosen by ``count``."""

    key: str
    english: str
    plural: str | None = None


def sentence(key: str, english: str, plural: str | None = None) -> Sentence:
    """Declare the sentence ``key``: ``english``, or ``english``/``plural`` for one and for more than one."""
    return Sentence(key, english, plural)
