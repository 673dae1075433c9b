"""Trigger types, one module each, in an explicit registry."""

from __future__ import annotations

from plugin.engine.triggers.base import TriggerType
from plugin.engine.triggers.command import CommandTrigger
from plugin.engine.triggers.event import EventTrigger
from plugin.engine.triggers.manual import ManualTrigger
from plugin.engine.triggers.meeting import AfterMeetingTrigger, BeforeMeetingTrigger
from plugin.engine.triggers.schedule import ScheduleTrigger

TRIGGER_TYPES: dict[str, TriggerType] = {
    trigger.ID: trigger
    for trigger in (CommandTrigger(), ScheduleTrigger(), BeforeMeetingTrigger(), AfterMeetingTrigger(),
                    EventTrigger(), ManualTrigger())
}
