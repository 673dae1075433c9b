"""Running `kring` as a separate process, the way an operator does."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import IO

KRING = [sys.executable, "-m", "plugin"]


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KRING, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


def start_serve(env: dict[str, str], *args: str, stderr: IO[bytes] | int = subprocess.DEVNULL,
                ) -> tuple[subprocess.Popen[bytes], str]:
    """`kring serve` on a port the system picks (no race for a free port); the process and its URL,
    read from the line it prints first."""
    process = subprocess.Popen([*KRING, "serve", "--host", "127.0.0.1", "--port", "0", *args], env=env,
                               stdout=subprocess.PIPE, stderr=stderr)
    assert process.stdout is not None
    first_line = process.stdout.readline().decode()
    found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first_line)
    if found is None:
        process.kill()
        raise AssertionError(f"kring serve did not start: {first_line!r} (exit {process.wait()})")
    return process, found.group(1)
