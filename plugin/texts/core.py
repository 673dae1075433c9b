"""The sentences of Kring's core (commands, polls, questions, workflows), in Dutch and English."""

from __future__ import annotations

from plugin.texts.catalog import Catalog

CORE: Catalog = {
    "help.title": {
        "nl": "**Kring** — de CoP-toolbox van deze community. Gebruik `/cop <opdracht>`:",
        "en": "**Kring** — the CoP toolbox of this community. Use `/cop <command>`:",
    },
    "help.footer": {
        "nl": "Meer over een opdracht of workflow: `/cop help <opdracht>` of `/cop help <workflow>`.",
        "en": "More about one command or workflow: `/cop help <command>` or `/cop help <workflow>`.",
    },
    "help.unknown_topic": {
        "nl": "Er is geen opdracht of workflow `{topic}`. {suggestion}Typ `/cop help` voor de lijst.",
        "en": "There is no command or workflow `{topic}`. {suggestion}Type `/cop help` for the list.",
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
        "nl": "**{name}** — {members} uit {organisations}, taal {language}, "
              "tijdzone {timezone}, bijeenkomst elke {cadence} weken gedurende {months} maanden{start}. "
              "Actieve workflows: {workflows}. Werk in de wachtrij: {pending}.",
        "en": "**{name}** — {members} from {organisations}, language {language}, "
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
              "1. Definieer het vraagstuk — `domain-definition`, `/cop domain`, `/cop signal`\n"
              "2. Stel de groep samen — `intake-and-composition`, `/cop composition`\n"
              "3. Zorg voor doorwerking (in de thuisorganisaties) — `home-organisation-links`, `/cop consent`, "
              "`/cop contact`\n"
              "4. Benoem twee facilitators (of laat ze rouleren) — `facilitators`, `/cop facilitators`, "
              "`/cop absent`\n"
              "5. Zorg voor groepsverantwoordelijkheid — `group-decisions`, `/cop propose`, `/cop goal`\n"
              "6. Monitor — `monitoring`, `/cop coalition`, `/cop notes`\n"
              "7. Experimenteer — `experiments`, `/cop experiment`, `/cop backcast`, `/cop log`\n"
              "8. Communiceer — `communication`, `/cop digest`\n"
              "De kalender: `cop-lifecycle` en `/cop meeting`. Typ `/cop help` om te beginnen.",
        "en": "#### Kring supports this Community of Practice\n"
              "A CoP learns together for about 18 months, meeting every six weeks. "
              "Kring supports the toolbox's eight steps:\n"
              "1. Define the question — `domain-definition`, `/cop domain`, `/cop signal`\n"
              "2. Compose the group — `intake-and-composition`, `/cop composition`\n"
              "3. Secure impact in the home organisations — `home-organisation-links`, `/cop consent`, "
              "`/cop contact`\n"
              "4. Two or rotating facilitators — `facilitators`, `/cop facilitators`, `/cop absent`\n"
              "5. Share group responsibility — `group-decisions`, `/cop propose`, `/cop goal`\n"
              "6. Monitor — `monitoring`, `/cop coalition`, `/cop notes`\n"
              "7. Experiment — `experiments`, `/cop experiment`, `/cop backcast`, `/cop log`\n"
              "8. Communicate — `communication`, `/cop digest`\n"
              "The calendar: `cop-lifecycle` and `/cop meeting`. Type `/cop help` to begin.",
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
        "nl": "**{question}**\n{options}\n{how}. Sluit {closes}.{anonymous}",
        "en": "**{question}**\n{options}\n{how}. Closes {closes}.{anonymous}",
    },
    "poll.how.command": {
        "nl": "Stem met `/cop vote {ref} <nummer>`{multiple}",
        "en": "Vote with `/cop vote {ref} <number>`{multiple}",
    },
    "poll.how.private": {
        "nl": "Stem in een privébericht aan Kring met `/cop vote {ref} <nummer>`{multiple}, zodat niemand hier "
              "ziet wat je koos",
        "en": "Vote in a private message to Kring with `/cop vote {ref} <number>`{multiple}, so that nobody here "
              "sees what you chose",
    },
    "poll.how.native": {
        "nl": "Stem in de peiling hieronder",
        "en": "Vote in the poll below",
    },
    "poll.scale": {
        "nl": "Geef een cijfer van {low} tot en met {high}.",
        "en": "Give a number from {low} to {high}.",
    },
    "poll.multiple": {
        "nl": " (meerdere nummers mogen, gescheiden door komma's)",
        "en": " (several numbers allowed, separated by commas)",
    },
    "poll.closed": {
        "nl": "**Gesloten** ({votes} stemmen).",
        "en": "**Closed** ({votes} votes).",
    },
    "poll.anonymous": {
        "nl": " Anoniem: alleen de uitslag wordt getoond.",
        "en": " Anonymous: only the totals are shown.",
    },
    "run.failed": {
        "nl": "Workflow `{workflow}` (run {run}) is gestopt door een fout. Wat er misging: `/cop runs` (voor "
              "beheerders) of `kring runs` op de server.",
        "en": "Workflow `{workflow}` (run {run}) stopped on an error. What went wrong: `/cop runs` (for admins) "
              "or `kring runs` on the server.",
    },
    "command.workflows": {
        "nl": "toont de workflows en welke hier aan staan",
        "en": "lists the workflows and which are enabled here",
    },
    "command.enable": {
        "nl": "zet een workflow aan voor deze community (beheerders)",
        "en": "enables a workflow for this community (admins)",
    },
    "command.disable": {
        "nl": "zet een workflow uit; lopende runs maken hun werk af (beheerders)",
        "en": "disables a workflow; runs under way finish (admins)",
    },
    "command.runs": {
        "nl": "toont de recente runs van workflows",
        "en": "lists recent workflow runs",
    },
    "command.cancel": {
        "nl": "stopt een run (beheerders)",
        "en": "cancels a run (admins)",
    },
    "command.run": {
        "nl": "start een workflow met een handmatige trigger (beheerders)",
        "en": "starts a workflow that has a manual trigger (admins)",
    },
    "command.answer": {
        "nl": "beantwoordt een vraag van Kring",
        "en": "answers a question Kring asked",
    },
    "command.vote": {
        "nl": "stemt in een peiling",
        "en": "votes in a poll",
    },
    "help.workflow_commands": {
        "nl": "Opdrachten van de workflows hier:",
        "en": "Commands of the workflows here:",
    },
    "need.community": {
        "nl": "Dit kanaal is nog geen Kring-community; vraag een beheerder het te koppelen.",
        "en": "This channel is not a Kring community yet; ask an operator to link it.",
    },
    "need.admin": {
        "nl": "Alleen beheerders van deze community mogen `/cop {command}` gebruiken.",
        "en": "Only admins of this community may use `/cop {command}`.",
    },
    "need.member": {
        "nl": "Je bent (nog) geen deelnemer van deze community.",
        "en": "You are not a member of this community (yet).",
    },
    "usage": {
        "nl": "Gebruik: `{usage}`",
        "en": "Usage: `{usage}`",
    },
    "workflows.none": {
        "nl": "Er zijn geen workflows geïnstalleerd.",
        "en": "No workflows are installed.",
    },
    "workflows.enabled": {
        "nl": "aan (versie {version})",
        "en": "enabled (version {version})",
    },
    "workflows.available": {
        "nl": "beschikbaar",
        "en": "available",
    },
    "workflows.invalid": {
        "nl": {"one": "{count} workflowbestand bevat fouten; `kring validate` toont ze.",
               "other": "{count} workflowbestanden bevatten fouten; `kring validate` toont ze."},
        "en": {"one": "{count} workflow file has errors; `kring validate` shows them.",
               "other": "{count} workflow files have errors; `kring validate` shows them."},
    },
    "workflow.unknown": {
        "nl": "Er is geen workflow `{id}`.{suggestion} `/cop workflows` toont ze allemaal.",
        "en": "There is no workflow `{id}`.{suggestion} `/cop workflows` lists them all.",
    },
    "enable.done": {
        "nl": "Workflow **{title}** staat aan (versie {version}).{params}",
        "en": "Workflow **{title}** is enabled (version {version}).{params}",
    },
    "enable.unclosed_quote": {"nl": "Een aanhalingsteken wordt niet gesloten.",
                              "en": "A quotation mark is not closed."},
    "enable.params": {
        "nl": " Instellingen: {values}.",
        "en": " Settings: {values}.",
    },
    "enable.invalid": {
        "nl": "Workflow `{id}` is niet aangezet:\n{problems}",
        "en": "Workflow `{id}` was not enabled:\n{problems}",
    },
    "command.too_many": {
        "nl": "Dat zijn meer dan {limit} opdrachten in een minuut; Kring heeft deze niet uitgevoerd. "
              "Probeer het zo weer.",
        "en": "That is more than {limit} commands in a minute; Kring did not carry this one out. Try again shortly.",
    },
    "command.private_only": {
        "nl": "`/cop {command}` is alleen voor jou: stuur het in een privébericht aan Kring. Kring heeft niets "
              "vastgelegd. Iedereen hier kan dit bericht lezen; verwijder het als dat niet de bedoeling was.",
        "en": "`/cop {command}` is for you alone: send it in a private message to Kring. Kring recorded nothing. "
              "Everyone here can read this post; delete it if that was not meant.",
    },
    "enable.unknown_admins": {
        "nl": "{names} is geen lid van deze community; alleen leden kunnen een workflow beheren.",
        "en": "{names} is not a member of this community; only members can manage a workflow.",
    },
    "enable.bad_pair": {
        "nl": "`{pair}` is geen instelling; schrijf `naam=waarde`.",
        "en": "`{pair}` is not a setting; write `name=value`.",
    },
    "disable.done": {
        "nl": "Workflow `{id}` staat uit. Lopende runs maken hun werk af.",
        "en": "Workflow `{id}` is disabled. Runs under way finish.",
    },
    "disable.not_enabled": {
        "nl": "Workflow `{id}` staat hier niet aan.",
        "en": "Workflow `{id}` is not enabled here.",
    },
    "runs.none": {
        "nl": "Nog geen runs.",
        "en": "No runs yet.",
    },
    "runs.line": {
        "nl": "- run {id}: `{workflow}` — {status}, gestart {started} ({trigger}){error}",
        "en": "- run {id}: `{workflow}` — {status}, started {started} ({trigger}){error}",
    },
    "cancel.done": {
        "nl": "Run {id} is gestopt.",
        "en": "Run {id} is cancelled.",
    },
    "cancel.unknown": {
        "nl": "Er is geen lopende run {id} in deze community.",
        "en": "There is no run {id} under way in this community.",
    },
    "run.started": {
        "nl": "**{title}** is gestart (run {id}).",
        "en": "**{title}** has started (run {id}).",
    },
    "run.not_manual": {
        "nl": "Workflow `{id}` heeft geen handmatige trigger (`manual`).",
        "en": "Workflow `{id}` has no manual trigger (`manual`).",
    },
    "run.not_enabled": {
        "nl": "Workflow `{id}` staat hier niet aan; zet hem aan met `/cop enable {id}`.",
        "en": "Workflow `{id}` is not enabled here; enable it with `/cop enable {id}`.",
    },
    "args.missing": {
        "nl": "`{name}` ontbreekt. Gebruik: `{usage}`",
        "en": "`{name}` is missing. Usage: `{usage}`",
    },
    "args.invalid": {
        "nl": "`{name}`: {problem}. Gebruik: `{usage}`",
        "en": "`{name}`: {problem}. Usage: `{usage}`",
    },
    "answer.unknown": {
        "nl": "Er staat geen open vraag {ref} voor jou klaar.",
        "en": "There is no open question {ref} for you.",
    },
    "answer.which": {
        "nl": "Vraag {ref} heeft {count} vragen; zet het nummer ervoor: `/cop answer {ref} <nummer> <antwoord>`.",
        "en": "Question set {ref} has {count} questions; put the number first: `/cop answer {ref} <number> <answer>`.",
    },
    "answer.done": {
        "nl": "Dank je, je antwoord op vraag {number} is genoteerd.",
        "en": "Thanks, your answer to question {number} is recorded.",
    },
    "answer.form.title": {
        "nl": "Jouw antwoorden (ronde {round})",
        "en": "Your answers (round {round})",
    },
    "answer.form.label": {
        "nl": "Vraag {number}",
        "en": "Question {number}",
    },
    "answer.form.submit": {
        "nl": "Versturen",
        "en": "Send",
    },
    "answer.form.opened": {
        "nl": "Het formulier staat open.",
        "en": "The form is open.",
    },
    "answer.form.required": {
        "nl": "Beantwoord deze vraag.",
        "en": "Please answer this question.",
    },
    "answer.form.too_long": {
        "nl": "Maximaal {max} tekens.",
        "en": "At most {max} characters.",
    },
    "answers.done": {
        "nl": "Dank je, je {count} antwoorden zijn genoteerd.",
        "en": "Thanks, your {count} answers are recorded.",
    },
    "action.refused": {
        "nl": "Deze knop is niet (meer) geldig: {reason}.",
        "en": "This button is not valid (any more): {reason}.",
    },
    "action.not_yours": {
        "nl": "Deze knop is voor iemand anders bedoeld; er is niets veranderd.",
        "en": "This button is meant for someone else; nothing changed.",
    },
    "form.not_yours": {
        "nl": "Dit formulier is voor iemand anders geopend. Open je eigen formulier met `/cop answer`.",
        "en": "This form was opened for someone else. Open your own with `/cop answer`.",
    },
    "form.refused": {
        "nl": "Dit formulier is niet meer geldig ({reason}). Open het opnieuw met `/cop answer`.",
        "en": "This form is no longer valid ({reason}). Open it again with `/cop answer`.",
    },
    "command.too_long": {
        "nl": "Je opdracht is {length} tekens lang; Kring neemt er hoogstens {max}. Maak hem korter.",
        "en": "Your command is {length} characters long; Kring takes at most {max}. Please shorten it.",
    },
    "command.which_community": {
        "nl": "Je bent lid van meer dan één community: {names}. Typ de opdracht in het kanaal van de community "
              "die je bedoelt.",
        "en": "You are a member of more than one community: {names}. Type the command in the channel of the "
              "community you mean.",
    },
    "action.replayed": {
        "nl": "Dit heb je al gedaan; er is niets veranderd.",
        "en": "You did this already; nothing changed.",
    },
    "vote.unknown": {
        "nl": "Er is geen open peiling {ref} waarin jij mag stemmen.",
        "en": "There is no open poll {ref} in which you may vote.",
    },
    "vote.invalid": {
        "nl": "Kies {choices}{multiple}.",
        "en": "Choose {choices}{multiple}.",
    },
    "vote.one_or_more": {
        "nl": " (meerdere mag, met komma's)",
        "en": " (several allowed, with commas)",
    },
    "vote.native": {
        "nl": "Over peiling {ref} stem je in de peiling zelf, in het bericht waarin Kring haar stelde; een stem "
              "met `/cop vote` zou twee keer tellen. Kring heeft niets vastgelegd.",
        "en": "Poll {ref} is voted in the poll itself, in the post where Kring asked it; a vote with `/cop vote` "
              "would count twice. Kring recorded nothing.",
    },
    "vote.done": {
        "nl": "Je stem is geteld. Je kunt hem wijzigen tot de peiling sluit.",
        "en": "Your vote is counted. You can change it until the poll closes.",
    },
}
