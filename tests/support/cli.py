"""Running `kring` as a separate process, the way an operator does."""

from __future__ import annotations

import subprocess
import sys

KRING = [sys.executable, "-m", "plugin"]


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KRING, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
