"""Workflow files → typed :class:`Workflow` models, with every problem reported at once.

Each problem names the file, line and column, what was expected and, for a misspelt key, step or
trigger type, the nearest valid name. A bad file never stops the valid ones from loading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.fields import Nested

from plugin.engine.fields import TextField, one_of
from plugin.engine.model import Param, Step, Trigger, Workflow
from plugin.engine.params import PARAM_TYPES, parse_value
from plugin.engine.problems import Path, Problem, did_you_mean
from plugin.engine.source import Source, parse_yaml
from plugin.engine.steps import STEP_TYPES
from plugin.engine.template_check import unknown_uses
from plugin.engine.triggers import TRIGGER_TYPES

ID_PATTERN = r"^[a-z][a-z0-9-]{1,60}$"
STEP_ID = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
#: Names the template context already uses; a step id may not shadow them.
RESERVED_NAMES = frozenset({"community", "members", "organisations", "meetings", "meeting", "params", "args",
                            "event", "vars", "language", "now", "run"})
MAX_STEP_DEPTH = 8


def _version(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError("expected a version such as 1 or '1.2'")


class Header(Schema):
    id = fields.String(required=True, validate=validate.Regexp(
        ID_PATTERN, error="use lower-case letters, digits and -, starting with a letter"))
    version = fields.Raw(required=True, validate=_version)
    title = TextField(required=True)
    description = TextField(required=True)
    params = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    triggers = fields.List(fields.Raw(), load_default=list)
    steps = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1))


class ParamSpec(Schema):
    type = fields.String(required=True, validate=one_of(PARAM_TYPES, "parameter type"))
    default = fields.Raw(allow_none=True)
    required = fields.Boolean(load_default=False)
    help = TextField()
    choices = fields.List(fields.String(), load_default=list)


@dataclass
class Loading:
    source: Source
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def schema(self, schema: Schema, data: Any, path: Path) -> dict[str, Any] | None:
        """Load ``data`` with ``schema``; record every error as a positioned problem."""
        if not isinstance(data, dict):
            self.add(path, "expected a mapping of options")
            return None
        try:
            loaded: dict[str, Any] = schema.load(data)
        except ValidationError as exc:
            self._errors(schema, exc.normalized_messages(), path)  # type: ignore[no-untyped-call]
            return None
        return loaded

    def _errors(self, schema: Schema | None, errors: Mapping[Any, Any], path: Path) -> None:
        known = [f.data_key or name for name, f in schema.fields.items()] if schema is not None else []
        for key, value in errors.items():
            if key == "_schema":
                for message in _messages(value):
                    self.add(path, message)
                continue
            child = (*path, key)
            if isinstance(value, dict):
                nested = schema.fields.get(str(key)) if schema is not None else None
                inner = nested.schema if isinstance(nested, Nested) else None
                self._errors(inner if isinstance(inner, Schema) else None, value, child)
                continue
            for message in _messages(value):
                if message == "Unknown field.":
                    self.add(child, f"unknown key '{key}'.{did_you_mean(str(key), known)}")
                elif message == "Missing data for required field.":
                    self.add(path, f"missing required key '{key}'")
                else:
                    self.add(child, message)


def _messages(value: Any) -> list[str]:
    return [str(m) for m in value] if isinstance(value, list) else [str(value)]


def _single_key(loading: Loading, item: Any, path: Path, kinds: Iterable[str], what: str) -> tuple[str, Any] | None:
    names = sorted(kinds)
    if not isinstance(item, dict) or len(item) != 1:
        loading.add(path, f"expected a {what} written as one key (its type) with its options, "
                          f"e.g. '- {names[0]}: …'")
        return None
    [(kind, options)] = item.items()
    if kind not in names:
        loading.add((*path, kind), f"unknown {what} type '{kind}'.{did_you_mean(kind, names)}")
        return None
    return kind, options


def _params(loading: Loading, raw: dict[str, Any]) -> tuple[Param, ...]:
    params = []
    for name, spec in raw.items():
        path: Path = ("params", name)
        if not re.match(r"^[a-z_][a-z0-9_]*$", name):
            loading.add(path, f"parameter name '{name}': use lower-case letters, digits and _")
            continue
        if name == "admins":
            loading.add(path, "'admins' is reserved: `/cop enable <id> admins=@user` names a workflow's admins")
            continue
        loaded = loading.schema(ParamSpec(), spec, path)
        if loaded is None:
            continue
        default = loaded.get("default")
        if default is not None:
            try:
                default = parse_value(loaded["type"], default, tuple(loaded["choices"]))
            except ValueError as exc:
                loading.add((*path, "default"), f"default does not fit type {loaded['type']}: {exc}")
                continue
        if loaded["type"] == "choice" and not loaded["choices"]:
            loading.add(path, "a choice parameter needs 'choices'")
            continue
        params.append(Param(name, loaded["type"], default, loaded["required"], loaded.get("help"),
                            tuple(loaded["choices"])))
    return tuple(params)


def _triggers(loading: Loading, raw: list[Any]) -> tuple[Trigger, ...]:
    triggers = []
    for index, item in enumerate(raw):
        path: Path = ("triggers", index)
        found = _single_key(loading, item, path, TRIGGER_TYPES, "trigger")
        if found is None:
            continue
        kind, options = found
        trigger_type = TRIGGER_TYPES[kind]
        if not isinstance(options, dict) and trigger_type.SHORTHAND is not None:
            options = {trigger_type.SHORTHAND: options}
        loaded = loading.schema(trigger_type.Options(), options, (*path, kind))
        if loaded is not None:
            triggers.append(Trigger(kind, loaded, loading.source.position(path)[0]))
    return tuple(triggers)


def _steps(loading: Loading, raw: list[Any], path: Path, ids: set[str], names: set[str], depth: int = 0
           ) -> tuple[Step, ...]:
    """The steps at ``path``; ``ids`` collects the step ids, ``names`` what templates of later steps may read."""
    if depth > MAX_STEP_DEPTH:
        loading.add(path, f"steps are nested more than {MAX_STEP_DEPTH} levels deep")
        return ()
    steps = []
    for index, item in enumerate(raw):
        item_path: Path = (*path, index)
        found = _single_key(loading, item, item_path, STEP_TYPES, "step")
        if found is None:
            continue
        kind, options = found
        step_type = STEP_TYPES[kind]
        options_path: Path = (*item_path, kind)
        shorthand = getattr(step_type, "SHORTHAND_MAPPING", None)
        if isinstance(options, dict) and shorthand and shorthand not in options:
            options = {shorthand: {k: v for k, v in options.items() if k != "id"}, **(
                {"id": options["id"]} if "id" in options else {})}
        step_id = options.pop("id", None) if isinstance(options, dict) else None
        if step_id is not None and not _valid_step_id(loading, step_id, ids, (*options_path, "id")):
            step_id = None
        schema = step_type.Options()
        loaded = loading.schema(schema, options, options_path)
        if loaded is None:
            continue
        for where, message in unknown_uses(schema, loaded, options_path, names):
            loading.add(where, message)
        names.update(_declared(kind, step_id, loaded))
        children = {}
        for name in step_type.CHILDREN:
            key = schema.fields[name].data_key or name
            children[name.rstrip("_")] = _steps(loading, loaded.pop(name), (*options_path, key), ids, names,
                                                depth + 1)
        steps.append(Step(kind, step_id, loaded, loading.source.position(item_path)[0], children))
    return tuple(steps)


def _declared(kind: str, step_id: str | None, loaded: dict[str, Any]) -> set[str]:
    """The names a step gives the templates after it: its id, a `set` step's names, a `for_each` item."""
    declared = {step_id} if step_id else set()
    if kind == "set":
        declared |= set(loaded["values"])
    if kind == "for_each":
        declared.add(loaded["as_"])
    return declared


def _valid_step_id(loading: Loading, step_id: Any, ids: set[str], path: Path) -> bool:
    if not isinstance(step_id, str) or not STEP_ID.match(step_id):
        loading.add(path, "a step id uses lower-case letters, digits and _ (it becomes a variable name)")
        return False
    if step_id in RESERVED_NAMES:
        loading.add(path, f"'{step_id}' is a reserved name; choose another step id")
        return False
    if step_id in ids:
        loading.add(path, f"step id '{step_id}' is used twice")
        return False
    ids.add(step_id)
    return True


def _readable_parts(data: dict[str, Any]) -> dict[str, Any]:
    """Params, triggers and steps of a file whose header did not load, where they have the right shape."""
    def shaped(key: str, kind: type) -> Any:
        value = data.get(key)
        return value if isinstance(value, kind) else kind()

    return {"params": shaped("params", dict), "triggers": shaped("triggers", list), "steps": shaped("steps", list)}


def load_workflow(text: str, file: str) -> tuple[Workflow | None, list[Problem]]:
    """Validate one workflow file; the model is None whenever there is any problem."""
    parsed = parse_yaml(text, file)
    if isinstance(parsed, Problem):
        return None, [parsed]
    loading = Loading(parsed)
    if not isinstance(parsed.data, dict):
        loading.add((), "a workflow file is a mapping with id, version, title, description, triggers and steps")
        return None, loading.problems
    header = loading.schema(Header(), parsed.data, ())
    # A bad header (an invalid id, a missing title) does not hide the problems of the rest.
    parts = header or _readable_parts(parsed.data)
    params = _params(loading, parts["params"])
    triggers = _triggers(loading, parts["triggers"])
    steps = _steps(loading, parts["steps"], ("steps",), set(), set())
    if header is None or loading.problems:
        return None, sorted(loading.problems)
    return Workflow(header["id"], str(header["version"]), header["title"], header["description"], params,
                    triggers, steps, file, text), []


@dataclass
class Catalog:
    """The valid workflows of some folders, and the problems of the invalid ones."""

    workflows: dict[str, Workflow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def workflow_files(paths: Iterable[FilePath]) -> list[FilePath]:
    files: list[FilePath] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def load_catalog(paths: Iterable[FilePath]) -> Catalog:
    catalog = Catalog()
    for file in workflow_files(paths):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            catalog.problems.append(Problem(str(file), 1, 1, "", f"cannot read the file: {exc}"))
            continue
        workflow, problems = load_workflow(text, str(file))
        catalog.problems += problems
        if workflow is None:
            continue
        if workflow.id in catalog.workflows:
            first = catalog.workflows[workflow.id].file
            catalog.problems.append(Problem(str(file), 1, 1, "id", f"workflow id '{workflow.id}' is also used by "
                                                                   f"{first}; the first one is kept"))
            continue
        catalog.workflows[workflow.id] = workflow
    catalog.problems.sort()
    return catalog
