"""Waiting for something another process or thread does, with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests


def wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    """Poll ``condition`` until it holds; a refused HTTP connection counts as not yet."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
