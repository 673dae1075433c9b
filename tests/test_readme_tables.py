"""Every entry in the README's behaviour tables is named by a test: each `kring` command and each of its
options, each `/cop` command and each literal word of its usage, and each `KRING_*` setting.

A test names a `kring` command when it runs it (`"community", "add"` in an argument list) and an option
when the option is in the same test file; a `/cop` command when it sends it (the command's word opens a
quoted string) and a usage word when a quoted command text starting with the command holds the word.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tests.support.openapi import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text("utf-8")
TESTS = REPO_ROOT / "tests"
_WORDS = re.compile(r"[a-z][a-z-]*")


def table(heading: str) -> list[str]:
    """The first cells of the table that follows the first line of the README starting with ``heading``."""
    lines = README[README.index(heading):].splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("| ---"))
    cells = []
    for line in lines[start + 1:]:
        if not line.startswith("|"):
            break
        cells.append(re.split(r"(?<!\\)\|", line)[1].strip())
    return cells


@cache
def sources() -> dict[Path, str]:
    return {path: path.read_text("utf-8") for path in TESTS.rglob("test_*.py")}


def cli_entries() -> list[tuple[list[str], list[str]]]:
    """(the command's words, its options) for each `kring …` in the operators' table."""
    entries = []
    for cell in table("| command | what it does |"):
        for usage in re.findall(r"`kring ([^`]+)`", cell):
            words: list[str] = []
            for token in usage.split():
                if not re.fullmatch(r"[a-z][a-z-]*(\\\|[a-z]+)*", token):
                    break
                words.append(token.split("\\|")[0])
            entries.append((words, sorted(set(re.findall(r"--[a-z][a-z-]*", usage)))))
    return entries


def slash_entries() -> list[tuple[str, list[str]]]:
    """(the command's word, the literal words of its usage) for each `/cop …` in the members' table."""
    entries = []
    for cell in table("| command | answer |"):
        for usage in re.findall(r"`/cop ([a-z][^`]*)`", cell):
            word, *rest = usage.split(maxsplit=1)
            literal = re.sub(r"<[^>]*>|\[number\]|\[link\]|name=value|YYYY-MM-DD|HH:MM|https://…|@user|e-mail", " ",
                             rest[0] if rest else "")
            entries.append((word, sorted(set(_WORDS.findall(literal)) - {word})))
    return entries


def runs_command(words: list[str]) -> bool:
    quoted = ", ".join(f'"{w}"' for w in words)
    return any(quoted in source or f"kring {' '.join(words)}" in source for source in sources().values())


def files_running(words: list[str]) -> list[str]:
    quoted = ", ".join(f'"{w}"' for w in words)
    return [source for source in sources().values() if quoted in source]


def sends(word: str, sub: str | None = None) -> bool:
    tail = rf"[^\"'\n]*\b{re.escape(sub)}\b" if sub else r"(?=[ \"'])"
    pattern = re.compile(rf"[\"'](?:/cop )?{re.escape(word)}{tail}")
    return any(pattern.search(source) for source in sources().values())


CLI = cli_entries()
SLASH = slash_entries()
SETTINGS = sorted(set(re.findall(r"`(KRING_[A-Z_]+)`", "\n".join(table("| variable | default | meaning |")))))


def test_the_tables_were_read() -> None:
    assert len(CLI) >= 20 and len(SLASH) >= 20 and len(SETTINGS) >= 25
    assert (["digest", "render"], ["--community", "--org", "--out", "--pdf", "--since"]) in CLI
    assert ("absent", ["undo"]) in SLASH


@pytest.mark.parametrize(("words", "options"), CLI, ids=[" ".join(w) for w, _ in CLI])
def test_each_kring_command_and_option_is_tested(words: list[str], options: list[str]) -> None:
    assert runs_command(words), f"no test runs `kring {' '.join(words)}`"
    missing = [o for o in options if not any(o in source for source in files_running(words))]
    assert not missing, f"no test of `kring {' '.join(words)}` uses {', '.join(missing)}"


@pytest.mark.parametrize(("word", "subwords"), SLASH, ids=[w for w, _ in SLASH])
def test_each_slash_command_and_usage_word_is_tested(word: str, subwords: list[str]) -> None:
    assert sends(word), f"no test sends `/cop {word}`"
    missing = [s for s in subwords if not sends(word, s)]
    assert not missing, f"no test sends `/cop {word}` with {', '.join(missing)}"


@pytest.mark.parametrize("variable", SETTINGS)
def test_each_setting_is_used_by_a_test(variable: str) -> None:
    assert any(variable in source for source in sources().values()), f"no test sets or reads {variable}"
