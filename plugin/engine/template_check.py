"""The names and filters a workflow's templates use, checked when the file is loaded.

A template that reads a name nothing provides (``{{ comunity.name }}``) or a filter that does not exist
fails only when its step runs, perhaps months into a CoP. The loader asks here, per step, with the
names known at that point: the documented context (:data:`CONTEXT`), and the ids, `set` names and
`for_each` items of the steps before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import Schema, fields

from plugin.engine.fields import DurationOrTemplateField, IntOrTemplateField, TemplateField, TextField
from plugin.engine.problems import Path, nearest
from plugin.engine.templates import known_filters, known_globals, names_and_filters
from plugin.engine.values import Text

#: What every template may read (README: Writing a workflow, "Templates").
CONTEXT = frozenset({"community", "members", "organisations", "meetings", "meeting", "params", "args", "event",
                     "run", "trigger", "entries", "composition", "facilitators", "vars", "language", "now"})


def _templates(field: fields.Field[Any], value: Any, path: Path) -> Iterator[tuple[Path, str, bool]]:
    """(where, source, is an expression) of each template in one loaded option."""
    if isinstance(field, TextField) and isinstance(value, Text):
        yield (*path, "nl"), value.nl, False
        yield (*path, "en"), value.en, False
    elif isinstance(field, TemplateField) and isinstance(value, str):
        yield path, value, field.expression
    elif isinstance(field, IntOrTemplateField | DurationOrTemplateField) and isinstance(value, str):
        yield path, value, False
    elif isinstance(field, fields.List) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _templates(field.inner, item, (*path, index))
    elif isinstance(field, fields.Dict) and isinstance(value, dict) and field.value_field is not None:
        for key, item in value.items():
            yield from _templates(field.value_field, item, (*path, key))


def unknown_uses(schema: Schema, loaded: dict[str, Any], path: Path, names: set[str]
                 ) -> Iterator[tuple[Path, str]]:
    """(where, what is wrong) for each unknown name or filter in a step's templates."""
    readable = CONTEXT | names | known_globals()
    filters = known_filters()
    for name, field in schema.fields.items():
        if name not in loaded:
            continue
        for where, source, expression in _templates(field, loaded[name], (*path, field.data_key or name)):
            found = names_and_filters(source, expression)
            if found is None:
                continue
            used, used_filters = found
            for unknown in sorted(used - readable):
                suggestion = _suggest(unknown, readable)
                yield where, f"the template reads '{unknown}', which nothing provides here.{suggestion}"
            for unknown in sorted(used_filters - filters):
                yield where, f"unknown filter '{unknown}'.{_suggest(unknown, filters)}"


def _suggest(word: str, choices: frozenset[str] | set[str]) -> str:
    close = nearest(word, choices)
    return f" Did you mean '{close}'?" if close else ""
