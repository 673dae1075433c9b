"""Member text made inert before Kring posts it with its bot's rights.

Kring reposts what members wrote (answers in a synthesis, names, signals). Unchanged, `@channel` would
ping everyone, `![x](https://tracker/…)` would embed a tracking image, and on Discourse `[poll]` would
add a poll and `<img>` an image. What members see stays the same text: a mention keeps its `@` but
pings nobody (a zero-width space follows it), and the markup is escaped, not removed.
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
#: `@name` at the start of a word (an e-mail address is left alone).
_MENTION = re.compile(r"(?<![\w.])@(?=[\w.-])")
#: Discourse's BBCode tags that make something: `[poll …]`, `[/quote]`, `[details=…]`, `[img]`, …
_BBCODE_TAG = re.compile(r"\[(?=/?(?:poll|quote|details|spoiler|img|url|email|wrap|date|grid|chat|code)\b)",
                         re.IGNORECASE)


def inert(text: str) -> str:
    text = text.replace("<", "&lt;")
    text = _MENTION.sub("@" + ZERO_WIDTH_SPACE, text)
    text = _BBCODE_TAG.sub(lambda _: "\\[", text)
    return text.replace("![", "!\\[")
