"""YAML text to plain data, keeping the line and column of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from plugin.engine.problems import Path, Problem, format_path

#: Workflows are small; a larger file or document is refused before it can cost memory.
MAX_SOURCE_BYTES = 256 * 1024
MAX_NODES = 50_000


class SourceTooLarge(Exception):
    pass


@dataclass
class Source:
    """Plain data of one YAML document, with the 1-based (line, column) of each path."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path, message: str) -> Problem:
        line, column = self.position(path)
        return Problem(self.file, line, column, format_path(path), message)


def _plain(node: Any, path: Path, positions: dict[Path, tuple[int, int]], budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise SourceTooLarge
    if isinstance(node, CommentedMap):
        result = {}
        for key in node:
            line, column = node.lc.key(key)
            child = (*path, str(key))
            positions[child] = (line + 1, column + 1)
            result[str(key)] = _plain(node[key], child, positions, budget)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, column = node.lc.item(index)
            positions[(*path, index)] = (line + 1, column + 1)
            items.append(_plain(item, (*path, index), positions, budget))
        return items
    if isinstance(node, str):
        return str(node)
    return node


def parse_yaml(text: str, file: str) -> Source | Problem:
    """Parse ``text``; a syntax error becomes one Problem with its position."""
    if len(text.encode("utf-8", errors="replace")) > MAX_SOURCE_BYTES:
        return Problem(file, 1, 1, "", f"file is larger than {MAX_SOURCE_BYTES // 1024} KiB")
    yaml = YAML(typ="rt", pure=True)
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Problem(file, line, column, "", f"invalid YAML: {message or exc}")
    except TypeError as exc:  # ruamel hashes a mapping used as a key: one with a mapping or list in it fails
        found = _compound_key(yaml.compose(text))
        if found is None:
            return Problem(file, 1, 1, "", f"invalid YAML: {str(exc)[:200]}")
        return Problem(file, *found, "", "invalid YAML: a key must be one value, not a mapping or a list "
                                         "(quote it if it is text)")
    except (YAMLError, ValueError, RecursionError) as exc:
        return Problem(file, 1, 1, "", f"invalid YAML: {type(exc).__name__}: {str(exc)[:200]}")
    positions: dict[Path, tuple[int, int]] = {(): (1, 1)}
    try:
        data = _plain(document, (), positions, [MAX_NODES])
    except (SourceTooLarge, RecursionError):
        return Problem(file, 1, 1, "", f"document has more than {MAX_NODES} values (anchors expanded)")
    return Source(file, data, positions)


def _compound_key(node: Node | None) -> tuple[int, int] | None:
    """The (line, column) of the first key that is a mapping or a list, if there is one."""
    children: list[Node] = []
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                return key.start_mark.line + 1, key.start_mark.column + 1
            children.append(value)
    elif isinstance(node, SequenceNode):
        children = node.value
    return next((found for child in children if (found := _compound_key(child)) is not None), None)
