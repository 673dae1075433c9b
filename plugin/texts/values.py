"""The sentences about values: what a parameter or a command expected, suggestions for a misspelt
word, the words for yes and no and for a run's state, and counts of things (with a form for one and for more)."""

from __future__ import annotations

from plugin.texts.catalog import Catalog

VALUES: Catalog = {
    "value.member": {"nl": "verwacht een gebruikersnaam zoals @anna, niet '{got}'",
                     "en": "expected a user name such as @anna, got '{got}'"},
    "value.bool": {"nl": "verwacht ja of nee, niet '{got}'", "en": "expected yes or no, got '{got}'"},
    "value.weekday": {"nl": "verwacht een weekdag zoals dinsdag, niet '{got}'",
                      "en": "expected a weekday such as tuesday or dinsdag, got '{got}'"},
    "value.int": {"nl": "verwacht een heel getal, niet '{got}'", "en": "expected a whole number, got '{got}'"},
    "value.duration": {"nl": "geen tijdsduur: '{got}' (schrijf bijvoorbeeld `7d`, `1h30m` of `2w`)",
                       "en": "not a duration: '{got}' (use e.g. `7d`, `1h30m`, `2w`)"},
    "value.date": {"nl": "verwacht een datum als JJJJ-MM-DD, niet '{got}'",
                   "en": "expected a date as YYYY-MM-DD, got '{got}'"},
    "value.time": {"nl": "verwacht een tijd als UU:MM, niet '{got}'", "en": "expected a time as HH:MM, got '{got}'"},
    "value.choice": {"nl": "kies uit {choices}, niet '{got}'", "en": "expected one of {choices}, got '{got}'"},
    "value.yes": {"nl": "ja", "en": "yes"},
    "value.no": {"nl": "nee", "en": "no"},
    "suggest.nearest": {"nl": "Bedoel je '{choice}'?", "en": "Did you mean '{choice}'?"},
    "suggest.choices": {"nl": "Kies uit: {choices}.", "en": "Expected one of: {choices}."},
    "param.unknown": {"nl": "onbekende instelling '{name}'.{suggestion}",
                      "en": "unknown parameter '{name}'.{suggestion}"},
    "param.required": {"nl": "{name} is verplicht", "en": "{name} is required"},
    "count.members": {"nl": {"one": "{count} deelnemer", "other": "{count} deelnemers"},
                      "en": {"one": "{count} member", "other": "{count} members"}},
    "count.organisations": {"nl": {"one": "{count} organisatie", "other": "{count} organisaties"},
                            "en": {"one": "{count} organisation", "other": "{count} organisations"}},
    "run.status.running": {"nl": "bezig", "en": "running"},
    "run.status.waiting": {"nl": "wacht", "en": "waiting"},
    "run.status.done": {"nl": "klaar", "en": "done"},
    "run.status.failed": {"nl": "gestopt door een fout", "en": "failed"},
    "run.status.cancelled": {"nl": "afgebroken", "en": "cancelled"},
}
