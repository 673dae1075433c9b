"""Kring: a Community of Practice toolbox inside Mattermost and Discourse."""

from __future__ import annotations

__version__ = "0.1.0"
