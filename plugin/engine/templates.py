"""Jinja2 in a sandbox: workflow texts and conditions are templates; member-supplied text never is.

Members' answers, names and notes only ever enter as *values* in the context, so nothing a member
types is evaluated on the server.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from plugin.engine.filters import FILTERS
from plugin.engine.inert import inert

MAX_RENDERED_CHARS = 16_000
MAX_EXPONENT = 1_000


class TemplateFailed(Exception):
    """A template could not be rendered; the message says which and why."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with `*` and `**` unable to build huge values (`'x' * 2e8`, `9 ** 9 ** 9`)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"an exponent above {MAX_EXPONENT} is refused")
        if operator == "*" and isinstance(left, str | list | tuple) != isinstance(right, str | list | tuple):
            sequence, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(times, int) and len(sequence) * times > MAX_RENDERED_CHARS:
                raise SecurityError(f"a repetition longer than {MAX_RENDERED_CHARS} is refused")
        return super().call_binop(context, operator, left, right)


_environment = _Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
#: For texts Kring posts: every value a template puts in (a member's answer, a name) is made inert
#: (:mod:`plugin.engine.inert`); the workflow's own words are posted as written.
_message_environment = _Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                                finalize=lambda value: inert(str(value)))
for _sandbox in (_environment, _message_environment):
    _sandbox.filters.update(FILTERS)


def syntax_error(source: str, expression: bool = False) -> str | None:
    """None when ``source`` compiles, else the error message."""
    try:
        if expression:
            _environment.compile_expression(source)
        else:
            _environment.parse(source)
    except TemplateError as exc:
        return str(exc.message if hasattr(exc, "message") and exc.message else exc)
    return None


@lru_cache(maxsize=2048)
def _compiled(source: str, message: bool) -> Any:
    return (_message_environment if message else _environment).from_string(source)


@lru_cache(maxsize=2048)
def _expression(source: str) -> Any:
    return _environment.compile_expression(source)


def render(source: str, context: dict[str, Any], *, message: bool = False) -> str:
    """``source`` rendered; a ``message`` (a text Kring posts) gets its values made inert."""
    try:
        result = str(_compiled(source, message).render(context))
    except TemplateError as exc:
        raise TemplateFailed(f"template {source[:60]!r} failed: {exc}") from exc
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError) as exc:
        raise TemplateFailed(f"template {source[:60]!r} failed: {type(exc).__name__}: {exc}") from exc
    return result[:MAX_RENDERED_CHARS]


def evaluate(source: str, context: dict[str, Any]) -> Any:
    try:
        return _expression(source)(**context)
    except TemplateError as exc:
        raise TemplateFailed(f"expression {source[:60]!r} failed: {exc}") from exc
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError) as exc:
        raise TemplateFailed(f"expression {source[:60]!r} failed: {type(exc).__name__}: {exc}") from exc


def names_and_filters(source: str, expression: bool = False) -> tuple[set[str], set[str]] | None:
    """The names a template reads from its context, and the filters and tests it uses; None when it
    does not compile (its syntax error is reported elsewhere)."""
    try:
        tree = _environment.parse("{{ " + source + " }}" if expression else source)
    except TemplateError:
        return None
    filters = {node.name for node in tree.find_all((nodes.Filter, nodes.Test))}
    try:
        names = set(meta.find_undeclared_variables(tree))
    except TemplateError:  # an unknown filter stops Jinja2's analysis: read the names from the tree
        found = list(tree.find_all(nodes.Name))
        names = {n.name for n in found if n.ctx == "load"} - {n.name for n in found if n.ctx == "store"}
    return names, filters


@lru_cache(maxsize=2048)
def names_read(source: str, expression: bool = False) -> frozenset[str] | None:
    """The names ``source`` reads from its context (None when that cannot be told: give it all)."""
    found = names_and_filters(source, expression)
    return frozenset(found[0]) if found is not None else None


def known_filters() -> frozenset[str]:
    """The filters and tests templates may use."""
    return frozenset(_environment.filters) | frozenset(_environment.tests)


def known_globals() -> frozenset[str]:
    """Names every template has besides its context (Jinja2's `range`, `dict`, `namespace`, …)."""
    return frozenset(_environment.globals)
