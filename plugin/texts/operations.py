"""What Kring tells about its own working: what did not reach the platform, and `/cop help` about a
workflow."""

from __future__ import annotations

from plugin.texts.catalog import Catalog

OPERATIONS: Catalog = {
    "status.undelivered": {
        "nl": "Niet afgeleverd: {retrying} wordt opnieuw geprobeerd, {failed} opgegeven.",
        "en": "Not delivered: {retrying} being tried again, {failed} given up.",
    },
    "status.undelivered.item": {
        "nl": "- bericht {id} ({operation} aan {target}), {state} na {attempts} pogingen: {error}",
        "en": "- message {id} ({operation} to {target}), {state} after {attempts} attempts: {error}",
    },
    "status.undelivered.retrying": {
        "nl": "wordt opnieuw geprobeerd",
        "en": "being tried again",
    },
    "status.undelivered.failed": {
        "nl": "opgegeven",
        "en": "given up",
    },
    "status.undelivered.next": {
        "nl": "De beheerder van Kring ziet ze alle met `kring outbox list` en probeert opgegeven berichten "
              "opnieuw met `kring outbox retry`.",
        "en": "Kring's operator sees them all with `kring outbox list` and tries given-up messages again with "
              "`kring outbox retry`.",
    },
    "undelivered.given_up": {
        "nl": "Een bericht van Kring voor {community} (bericht {id}) is niet afgeleverd; Kring gaf het op na "
              "{attempts} pogingen: {error}. `/cop status` laat zien wat niet is aangekomen; de beheerder van "
              "Kring verstuurt het opnieuw met `kring outbox retry {id}`.",
        "en": "A message of Kring's for {community} (message {id}) was not delivered; Kring gave up after "
              "{attempts} attempts: {error}. `/cop status` shows what did not arrive; Kring's operator sends it "
              "again with `kring outbox retry {id}`.",
    },
    "held_for_approval": {
        "nl": "Een bericht van Kring voor {community} wacht op goedkeuring door het team van het forum "
              "({held}): de leden zien het pas als het is goedgekeurd. Keur het goed in de wachtrij voor "
              "beoordeling, of maak de bot moderator: berichten van het team worden nooit vastgehouden.",
        "en": "A post of Kring's for {community} is waiting for approval by the forum's staff ({held}): "
              "members see it only once it is approved. Approve it in the review queue, or make the bot a "
              "moderator: staff posts are never held.",
    },
    "help.workflow.title": {
        "nl": "**{title}** (`{id}`, versie {version}; {state})",
        "en": "**{title}** (`{id}`, version {version}; {state})",
    },
    "help.workflow.enabled": {"nl": "staat aan in deze community", "en": "enabled in this community"},
    "help.workflow.disabled": {"nl": "staat hier niet aan", "en": "not enabled here"},
    "help.workflow.params": {
        "nl": "Instellingen (de waarden die hier gelden):",
        "en": "Parameters (the values in use here):",
    },
    "help.workflow.required": {"nl": "verplicht, nog niet gegeven", "en": "required, not given yet"},
    "help.workflow.commands": {"nl": "Opdrachten:", "en": "Commands:"},
    "help.workflow.enable": {
        "nl": "Aanzetten of instellen (beheerders): `/cop enable {id} naam=waarde …`.",
        "en": "To enable or set it (admins): `/cop enable {id} name=value …`.",
    },
}
