"""Every user-facing sentence of Kring's core, in Dutch and English.

Keys are looked up with :func:`text`; a key missing a language is a bug that the tests catch.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("nl", "en")

CATALOG: dict[str, dict[str, str]] = {
    "help.title": {
        "nl": "**Kring** — de CoP-toolbox van deze community. Gebruik `/cop <opdracht>`:",
        "en": "**Kring** — the CoP toolbox of this community. Use `/cop <command>`:",
    },
    "help.footer": {
        "nl": "Meer over een opdracht: `/cop help <opdracht>`.",
        "en": "More about one command: `/cop help <command>`.",
    },
    "help.unknown_topic": {
        "nl": "Er is geen opdracht `{topic}`. {suggestion}Typ `/cop help` voor de lijst.",
        "en": "There is no command `{topic}`. {suggestion}Type `/cop help` for the list.",
    },
    "command.help": {
        "nl": "toont deze hulp",
        "en": "shows this help",
    },
    "command.status": {
        "nl": "toont de stand van deze CoP: deelnemers, organisaties, workflows en wachtrij",
        "en": "shows this CoP's state: members, organisations, workflows and queue",
    },
    "command.intro": {
        "nl": "plaatst hier een introductie van Kring en de acht stappen van de CoP-toolbox",
        "en": "posts an introduction of Kring and the toolbox's eight steps here",
    },
    "unknown.command": {
        "nl": "Onbekende opdracht `{word}`. {suggestion}Typ `/cop help` voor alle opdrachten.",
        "en": "Unknown command `{word}`. {suggestion}Type `/cop help` for all commands.",
    },
    "unknown.suggestion": {
        "nl": "Bedoelde je `/cop {name}`? ",
        "en": "Did you mean `/cop {name}`? ",
    },
    "status.no_community": {
        "nl": "Dit kanaal is nog geen Kring-community. Een beheerder koppelt het met "
              "`kring community add --platform {platform} --group {group_id} --name \"…\"`.",
        "en": "This channel is not a Kring community yet. An operator links it with "
              "`kring community add --platform {platform} --group {group_id} --name \"…\"`.",
    },
    "status.summary": {
        "nl": "**{name}** — {members} deelnemers uit {organisations} organisaties, taal {language}, "
              "tijdzone {timezone}, bijeenkomst elke {cadence} weken gedurende {months} maanden{start}. "
              "Actieve workflows: {workflows}. Werk in de wachtrij: {pending}.",
        "en": "**{name}** — {members} members from {organisations} organisations, language {language}, "
              "time zone {timezone}, a meeting every {cadence} weeks for {months} months{start}. "
              "Active workflows: {workflows}. Work waiting: {pending}.",
    },
    "status.start": {
        "nl": ", gestart op {date}",
        "en": ", started on {date}",
    },
    "status.none": {
        "nl": "geen",
        "en": "none",
    },
    "intro.queued": {
        "nl": "Kring plaatst de introductie zo hier.",
        "en": "Kring will post the introduction here in a moment.",
    },
    "intro.message": {
        "nl": "#### Kring helpt deze Community of Practice\n"
              "Een CoP leert samen, ongeveer 18 maanden lang, met elke zes weken een bijeenkomst. "
              "Kring ondersteunt de acht stappen van de toolbox:\n"
              "1. Definieer het vraagstuk\n2. Stel de groep samen\n3. Zorg voor doorwerking\n"
              "4. Benoem twee facilitators\n5. Zorg voor groepsverantwoordelijkheid\n6. Monitor\n"
              "7. Experimenteer\n8. Communiceer\n"
              "Typ `/cop help` om te beginnen.",
        "en": "#### Kring supports this Community of Practice\n"
              "A CoP learns together for about 18 months, meeting every six weeks. "
              "Kring supports the toolbox's eight steps:\n"
              "1. Define the question\n2. Compose the group\n3. Secure impact\n"
              "4. Appoint two facilitators\n5. Share group responsibility\n6. Monitor\n"
              "7. Experiment\n8. Communicate\n"
              "Type `/cop help` to begin.",
    },
    "intro.no_platform": {
        "nl": "Kring kan hier nog niet posten: {setting} is niet ingesteld.",
        "en": "Kring cannot post here yet: {setting} is not configured.",
    },
    "ask.prompt": {
        "nl": "**Ronde {round}** — beantwoord tot {closes}:\n{questions}\n"
              "Antwoord met `/cop answer {ref} <nummer> <jouw antwoord>` (of alleen `/cop answer {ref} <antwoord>` "
              "bij één vraag).",
        "en": "**Round {round}** — please answer by {closes}:\n{questions}\n"
              "Answer with `/cop answer {ref} <number> <your answer>` (or just `/cop answer {ref} <answer>` "
              "when there is one question).",
    },
    "ask.synthesis.title": {
        "nl": "#### Samenvatting ronde {round} ({count} antwoorden)",
        "en": "#### Synthesis of round {round} ({count} answers)",
    },
    "ask.synthesis.none": {
        "nl": "- (nog geen antwoorden)",
        "en": "- (no answers yet)",
    },
    "poll.prompt": {
        "nl": "**{question}**\n{options}\nStem met `/cop vote {ref} <nummer>`{multiple}. Sluit {closes}.{anonymous}",
        "en": "**{question}**\n{options}\nVote with `/cop vote {ref} <number>`{multiple}. Closes {closes}.{anonymous}",
    },
    "poll.multiple": {
        "nl": " (meerdere nummers mogen, gescheiden door komma's)",
        "en": " (several numbers allowed, separated by commas)",
    },
    "poll.anonymous": {
        "nl": " Anoniem: alleen de uitslag wordt getoond.",
        "en": " Anonymous: only the totals are shown.",
    },
    "digest.title": {
        "nl": "#### Resultaten van {name} voor {audience}",
        "en": "#### Results of {name} for {audience}",
    },
    "digest.meetings": {
        "nl": "- Bijeenkomsten gehouden: {held} (van {planned} gepland)",
        "en": "- Meetings held: {held} (of {planned} planned)",
    },
    "digest.domain": {
        "nl": "- Domein: {statement}",
        "en": "- Domain: {statement}",
    },
    "digest.poll": {
        "nl": "- {question}: {summary} ({votes} stemmen)",
        "en": "- {question}: {summary} ({votes} votes)",
    },
    "digest.poll_hidden": {
        "nl": "- {question}: te weinig stemmen om anoniem te tonen",
        "en": "- {question}: too few votes to show anonymously",
    },
    "digest.nothing": {
        "nl": "- Nog niets vastgelegd in deze periode.",
        "en": "- Nothing recorded in this period yet.",
    },
    "run.failed": {
        "nl": "Workflow `{workflow}` (run {run}) is gestopt: {error}",
        "en": "Workflow `{workflow}` (run {run}) stopped: {error}",
    },
}


def text(key: str, lang: str, /, **values: Any) -> str:
    """The sentence ``key`` in language ``lang`` (falling back to English), filled with ``values``."""
    entry = CATALOG[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template
