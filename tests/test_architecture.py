"""The layering the README describes, checked on the source: platforms stay in their connectors,
packages import each other in one direction, and modules stay small."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from tests.support.openapi import REPO_ROOT

SOURCES = sorted(p for folder in ("plugin", "webhooks") for p in (REPO_ROOT / folder).rglob("*.py")
                 if "migrations" not in p.parts)
#: The packages (or top-level modules) of `plugin/` and `webhooks/` that the layering is about.
PLATFORM_FREE = ("engine", "workflows", "commands", "cop", "digests", "queue", "cli", "runtime.py", "intake.py",
                 "channels", "storage", "texts", "pages")
LONGEST_MODULE = 400
#: Table declarations may be longer; they are one list of tables.
LONG_ALLOWED = {"plugin/storage/models.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """`plugin.queue.jobs` -> `plugin.queue`; `plugin.runtime` -> `plugin.runtime`; `webhooks.app` -> `webhooks`."""
    parts = module.split(".")
    return "webhooks" if parts[0] == "webhooks" else ".".join(parts[:2])


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name.split(".")[0] in ("plugin", "webhooks")]


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def platform_free(path: Path) -> bool:
    inside = relative(path).removeprefix("plugin/")
    return any(inside == area or inside.startswith(area + "/") for area in PLATFORM_FREE)


def test_no_package_imports_another_that_imports_it_back() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SOURCES:
        source = package_of(module_name(path))
        for target in imports(path):
            if package_of(target) != source:
                graph[source].add(package_of(target))

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    loops = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and reaches(b, a))
    assert loops == []


def test_the_engine_imports_no_storage_and_only_the_composition_roots_import_webhooks() -> None:
    for path in SOURCES:
        name = module_name(path)
        targets = imports(path)
        if name.startswith("plugin.engine"):
            assert not [t for t in targets if t.startswith("plugin.storage")], relative(path)
        if name.startswith("plugin.") and not name.startswith(("plugin.cli", "plugin.demo")):
            assert not [t for t in targets if t.startswith("webhooks")], relative(path)


#: Naming a platform in code: its enum member, or comparing a platform with a name.
PLATFORM_NAMES = re.compile(r"Platform\.(MATTERMOST|DISCOURSE)|platform\s*[!=]=\s*[\"']")
ADAPTER_CHECK = re.compile(r"isinstance\([^)]*(Adapter|Connector|Outbound)\b")


def test_the_core_never_asks_which_platform_it_is_on() -> None:
    offending = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if platform_free(path):
            offending += [f"{relative(path)}: {m.group(0)}" for m in PLATFORM_NAMES.finditer(text)]
        if not relative(path).startswith("plugin/platforms/"):
            offending += [f"{relative(path)}: {m.group(0)}" for m in ADAPTER_CHECK.finditer(text)]
    assert offending == []


def test_no_module_is_longer_than_the_budget() -> None:
    long = [f"{relative(p)}: {n}" for p in SOURCES if (n := len(p.read_text(encoding="utf-8").splitlines()))
            > LONGEST_MODULE and relative(p) not in LONG_ALLOWED]
    assert long == []


def test_the_check_sees_a_platform_name_and_a_loop() -> None:
    """The checks above can fail: they find what they look for in a sample."""
    assert PLATFORM_NAMES.search('if community.platform == "discourse":')
    assert ADAPTER_CHECK.search("isinstance(adapter, MattermostAdapter)")
    assert package_of("plugin.queue.jobs") == "plugin.queue" and package_of("webhooks.app") == "webhooks"
