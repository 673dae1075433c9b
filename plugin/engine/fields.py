"""Marshmallow fields for workflow files: texts, durations, templates and nested step lists."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from marshmallow import ValidationError, fields

from plugin.engine.problems import did_you_mean
from plugin.engine.templates import syntax_error
from plugin.engine.values import Text, parse_duration
from plugin.languages import LANGUAGES


class TextField(fields.Field[Text]):
    """A mapping with a text per language (``nl``, ``en``), each a template."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Text:
        if not isinstance(value, dict):
            raise ValidationError("expected a text per language, e.g. {nl: '…', en: '…'}")
        errors: dict[str, list[str]] = {}
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                errors[language] = [f"missing the {language} text"]
            elif (problem := syntax_error(value[language])) is not None:
                errors[language] = [f"template error: {problem}"]
        for extra in sorted(set(value) - set(LANGUAGES)):
            errors[extra] = [f"unknown language '{extra}'; expected {', '.join(LANGUAGES)}"]
        if errors:
            raise ValidationError(errors)
        return Text(nl=value["nl"], en=value["en"])


class DurationField(fields.Field[timedelta]):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
                     ) -> timedelta:
        if not isinstance(value, str | int):
            raise ValidationError("expected a duration such as 7d, 1h30m or 2w")
        try:
            return parse_duration(str(value)) if isinstance(value, str) else timedelta(seconds=value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class TemplateField(fields.String):
    """A template string (a text without translations: ids, dates, user references)."""

    def __init__(self, expression: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.expression = expression

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        if isinstance(value, bool | int | float):
            value = str(value).lower() if isinstance(value, bool) else str(value)
        text: str = super()._deserialize(value, attr, data, **kwargs)
        problem = syntax_error(text, expression=self.expression)
        if problem is not None:
            raise ValidationError(f"{'expression' if self.expression else 'template'} error: {problem}")
        return text


class IntOrTemplateField(fields.Field[int | str]):
    """A whole number, or a template that gives one when the step runs (e.g. `"{{ params.rounds }}"`)."""

    def __init__(self, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
                     ) -> int | str:
        if isinstance(value, str) and "{{" in value:
            return TemplateField()._deserialize(value, attr, data, **kwargs)
        if isinstance(value, bool) or not isinstance(value, int) or not self.minimum <= value <= self.maximum:
            raise ValidationError(f"expected a whole number from {self.minimum} to {self.maximum}, or a template")
        return value


class DurationOrTemplateField(fields.Field[timedelta | str]):
    """A duration (7d, 2w), or a template that gives one when the step runs (e.g. `"{{ params.lead }}"`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
                     ) -> timedelta | str:
        if isinstance(value, str) and "{{" in value:
            return TemplateField()._deserialize(value, attr, data, **kwargs)
        return DurationField()._deserialize(value, attr, data, **kwargs)


class StepListField(fields.Field[list[Any]]):
    """A nested list of steps; the loader validates its items like top-level steps."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
                     ) -> list[Any]:
        if not isinstance(value, list):
            raise ValidationError("expected a list of steps")
        return value


def one_of(choices: Sequence[str], what: str) -> Callable[[Any], None]:
    """A validator like marshmallow's ``OneOf`` that names the nearest choice of a misspelt ``what``."""
    def check(value: Any) -> None:
        if value not in choices:
            raise ValidationError(f"unknown {what} '{value}'.{did_you_mean(str(value), choices)}")

    return check
