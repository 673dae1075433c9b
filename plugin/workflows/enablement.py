"""Switching workflows on and off per community, with their parameters checked and their version pinned."""

from __future__ import annotations

import shlex
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.engine.model import Workflow
from plugin.engine.params import InvalidValue, parse_value
from plugin.engine.problems import did_you_mean
from plugin.errors import KringError
from plugin.storage import timers
from plugin.storage.models import Community, Timer, WorkflowEnablement
from plugin.storage.states import TimerKind
from plugin.texts import text
from plugin.workflows.catalog import pin
from plugin.workflows.meetings import plan_meetings
from plugin.workflows.scheduling import plan_triggers


class InvalidParams(KringError):
    """Parameters given to `/cop enable` do not fit the workflow; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def check_params(workflow: Workflow, given: dict[str, str], language: str = "en") -> dict[str, Any]:
    """Every declared parameter with its value (given, else default); InvalidParams lists all problems,
    in ``language``."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    declared = {p.name for p in workflow.params}
    for name in given:
        if name not in declared:
            problems.append(text("param.unknown", language, name=name,
                                 suggestion=did_you_mean(name, declared, language)))
    for param in workflow.params:
        if param.name in given:
            try:
                values[param.name] = parse_value(param.type, given[param.name], param.choices)
            except InvalidValue as exc:
                problems.append(f"{param.name}: {exc.in_language(language)}")
        elif param.required and param.default is None:
            problems.append(text("param.required", language, name=param.name))
        else:
            values[param.name] = param.default
    if problems:
        raise InvalidParams(problems)
    return values


class BadSettings(KringError):
    """Settings that are not ``name=value`` pairs; ``key`` and ``values`` name the sentence that says so."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def settings_from(typed: str) -> dict[str, str]:
    """``name=value`` pairs as an admin types them (quotes around a value with spaces)."""
    try:
        words = shlex.split(typed)
    except ValueError:  # shlex: a quotation mark that is not closed
        raise BadSettings("enable.unclosed_quote") from None
    settings = {}
    for pair in words:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise BadSettings("enable.bad_pair", pair=pair)
        settings[name.strip()] = value
    return settings


def _shown(value: object, language: str) -> str:
    """A parameter's value as an admin would type it (never a Python list or ``True``)."""
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", language)
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def settings_shown(params: dict[str, Any], language: str) -> str:
    """``name=value, …`` of the parameters that are set, as an admin types them ("" when none is)."""
    return ", ".join(f"{name}={_shown(value, language)}" for name, value in params.items() if value is not None)


def find(session: Session, community_id: int, workflow_id: str) -> WorkflowEnablement | None:
    return session.scalar(sa.select(WorkflowEnablement).where(
        WorkflowEnablement.community_id == community_id, WorkflowEnablement.workflow_id == workflow_id))


def enable(session: Session, community: Community, workflow: Workflow, given: dict[str, str], by: str | None,
           now: datetime, admins: list[str] | None = None) -> WorkflowEnablement:
    """Enable (or re-enable with new parameters) ``workflow``, pinned to its current text.

    ``admins`` (platform user ids) may then manage this workflow too; None keeps the earlier list.
    """
    return enable_checked(session, community, workflow, check_params(workflow, given, community.language), by,
                          now, admins)


def enable_checked(session: Session, community: Community, workflow: Workflow, params: dict[str, Any],
                   by: str | None, now: datetime, admins: list[str] | None = None) -> WorkflowEnablement:
    """:func:`enable` with parameter values checked already (a community moved from another Kring)."""
    source = pin(session, workflow, now)
    enablement = find(session, community.id, workflow.id)
    if enablement is None:
        enablement = WorkflowEnablement(community_id=community.id, workflow_id=workflow.id, params={}, admins=[],
                                        enabled_at=now, workflow_version=workflow.version)
        session.add(enablement)
    enablement.workflow_version = workflow.version
    enablement.source_id = source.id
    enablement.params = params
    enablement.enabled = True
    enablement.enabled_by = by
    enablement.enabled_at = now
    if admins is not None:
        enablement.admins = admins
    session.flush()
    plan_meetings(session, community, now)
    plan_triggers(session, enablement, workflow, community, now)
    return enablement


def disable(session: Session, enablement: WorkflowEnablement) -> int:
    """Stop new runs of the workflow; runs under way finish. Returns how many timers were cancelled."""
    enablement.enabled = False
    return timers.cancel_timers(session, enablement.community_id, Timer.enablement_id == enablement.id,
                                Timer.kind == TimerKind.TRIGGER)
