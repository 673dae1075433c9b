"""Step types, one module each, in an explicit registry."""

from __future__ import annotations

from plugin.engine.steps.ask import AskStep
from plugin.engine.steps.assign import AssignStep
from plugin.engine.steps.base import StepType
from plugin.engine.steps.call import CallStep
from plugin.engine.steps.digest import DigestStep
from plugin.engine.steps.for_each import ForEachStep
from plugin.engine.steps.poll import PollStep
from plugin.engine.steps.post import PostStep
from plugin.engine.steps.profile import ProfileStep
from plugin.engine.steps.record import RecordStep
from plugin.engine.steps.remind import RemindStep
from plugin.engine.steps.set import SetStep
from plugin.engine.steps.thread import ThreadStep
from plugin.engine.steps.wait import WaitStep
from plugin.engine.steps.when import WhenStep

STEP_TYPES: dict[str, StepType] = {
    step.ID: step
    for step in (PostStep(), ThreadStep(), AskStep(), PollStep(), WaitStep(), AssignStep(), RemindStep(),
                 SetStep(), WhenStep(), ForEachStep(), DigestStep(), CallStep(), RecordStep(), ProfileStep())
}
