"""What Kring tells about its own working: what did not reach the platform, and `/cop help` about a
workflow."""

from __future__ import annotations

from plugin.texts.catalog import sentence

OPERATIONS = (
    sentence("status.undelivered", "Not delivered: {retrying} being tried again, {failed} given up."),
    sentence("status.undelivered.item",
             "- message {id} ({operation} to {target}), {state} after {count} attempt: {error}",
             "- message {id} ({operation} to {target}), {state} after {count} attempts: {error}"),
    sentence("status.undelivered.retrying", "being tried again"),
    sentence("status.undelivered.failed", "given up"),
    sentence("status.undelivered.next",
             "Kring's operator sees them all with `kring outbox list` and tries given-up messages again with `kring "
             "outbox retry`."),
    sentence("undelivered.given_up",
             "A message of Kring's for {community} (message {id}) was not delivered; Kring gave up after {attempts} "
             "attempts: {error}. `/cop status` shows what did not arrive; Kring's operator sends it again with "
             "`kring outbox retry {id}`."),
    sentence("held_for_approval",
             "A post of Kring's for {community} is waiting for approval by the forum's staff ({held}): members see "
             "it only once it is approved. Approve it in the review queue, or make the bot a moderator: staff posts "
             "are never held."),
    sentence("help.workflow.title", "**{title}** (`{id}`, version {version}; {state})"),
    sentence("help.workflow.enabled", "enabled in this community"),
    sentence("help.workflow.disabled", "not enabled here"),
    sentence("help.workflow.params", "Parameters (the values in use here):"),
    sentence("help.workflow.required", "required, not given yet"),
    sentence("help.workflow.commands", "Commands:"),
    sentence("help.workflow.enable", "To enable or set it (admins): `/cop enable {id} name=value …`."),
)
