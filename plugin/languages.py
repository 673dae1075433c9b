"""The languages Kring speaks: one definition for its texts, workflows and configuration."""

from __future__ import annotations

LANGUAGES = ("nl", "en")
