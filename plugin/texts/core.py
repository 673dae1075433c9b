"""The sentences of Kring's core (commands, polls, questions, workflows), in English (the source language)."""

from __future__ import annotations

from plugin.texts.catalog import sentence

CORE = (
    sentence("help.title", "**Kring** — the CoP toolbox of this community. Use `/cop <command>`:"),
    sentence("help.footer", "More about one command or workflow: `/cop help <command>` or `/cop help <workflow>`."),
    sentence("help.unknown_topic",
             "There is no command or workflow `{topic}`. {suggestion}Type `/cop help` for the list."),
    sentence("command.help", "shows this help"),
    sentence("command.status", "shows this CoP's state: members, organisations, workflows and queue"),
    sentence("command.intro", "posts an introduction of Kring and the toolbox's eight steps here"),
    sentence("unknown.command", "Unknown command `{word}`. {suggestion}Type `/cop help` for all commands."),
    sentence("unknown.suggestion", "Did you mean `/cop {name}`? "),
    sentence("status.no_community",
             "This channel is not a Kring community yet. An operator links it with `kring community add --platform "
             "{platform} --group {group_id} --name \"…\"`."),
    sentence("status.summary",
             "**{name}** — {members} from {organisations}, language {language}, time zone {timezone}, a meeting "
             "every {cadence} weeks for {months} months{start}. Active workflows: {workflows}. Work waiting: "
             "{pending}."),
    sentence("status.start", ", started on {date}"),
    sentence("status.none", "none"),
    sentence("intro.queued", "Kring will post the introduction here in a moment."),
    sentence("intro.message",
             "#### Kring supports this Community of Practice\n"
             "A CoP learns together for about 18 months, meeting every six weeks. Kring supports the toolbox's eight "
             "steps:\n"
             "1. Define the question — `domain-definition`, `/cop domain`, `/cop signal`\n"
             "2. Compose the group — `intake-and-composition`, `/cop composition`\n"
             "3. Secure impact in the home organisations — `home-organisation-links`, `/cop consent`, `/cop "
             "contact`\n"
             "4. Two or rotating facilitators — `facilitators`, `/cop facilitators`, `/cop absent`\n"
             "5. Share group responsibility — `group-decisions`, `/cop propose`, `/cop goal`\n"
             "6. Monitor — `monitoring`, `/cop coalition`, `/cop notes`\n"
             "7. Experiment — `experiments`, `/cop experiment`, `/cop backcast`, `/cop log`\n"
             "8. Communicate — `communication`, `/cop digest`\n"
             "The calendar: `cop-lifecycle` and `/cop meeting`. Type `/cop help` to begin."),
    sentence("intro.no_platform", "Kring cannot post here yet: {setting} is not configured."),
    sentence("ask.prompt",
             "**Round {round}** — please answer by {closes}:\n"
             "{questions}\n"
             "Answer with `/cop answer {ref} <number> <your answer>` (or just `/cop answer {ref} <answer>` when "
             "there is one question)."),
    sentence("ask.synthesis.title", "#### Synthesis of round {round} ({count} answers)"),
    sentence("ask.synthesis.none", "- (no answers yet)"),
    sentence("poll.prompt",
             "**{question}**\n"
             "{options}\n"
             "{how}. Closes {closes}.{anonymous}"),
    sentence("poll.how.command", "Vote with `/cop vote {ref} <number>`{multiple}"),
    sentence("poll.how.private",
             "Vote in a private message to Kring with `/cop vote {ref} <number>`{multiple}, so that nobody here sees "
             "what you chose"),
    sentence("poll.how.native", "Vote in the poll below"),
    sentence("poll.scale", "Give a number from {low} to {high}."),
    sentence("poll.multiple", " (several numbers allowed, separated by commas)"),
    sentence("poll.closed", "**Closed** ({votes} votes)."),
    sentence("poll.anonymous", " Anonymous: only the totals are shown."),
    sentence("run.failed",
             "Workflow `{workflow}` (run {run}) stopped on an error. What went wrong: `/cop runs` (for admins) or "
             "`kring runs` on the server."),
    sentence("command.workflows", "lists the workflows and which are enabled here"),
    sentence("command.enable", "enables a workflow for this community (admins)"),
    sentence("command.disable", "disables a workflow; runs under way finish (admins)"),
    sentence("command.runs", "lists recent workflow runs"),
    sentence("command.cancel", "cancels a run (admins)"),
    sentence("command.run", "starts a workflow that has a manual trigger (admins)"),
    sentence("command.answer", "answers a question Kring asked"),
    sentence("command.vote", "votes in a poll"),
    sentence("help.workflow_commands", "Commands of the workflows here:"),
    sentence("need.community", "This channel is not a Kring community yet; ask an operator to link it."),
    sentence("need.admin", "Only admins of this community may use `/cop {command}`."),
    sentence("need.member", "You are not a member of this community (yet)."),
    sentence("usage", "Usage: `{usage}`"),
    sentence("workflows.none", "No workflows are installed."),
    sentence("workflows.enabled", "enabled (version {version})"),
    sentence("workflows.available", "available"),
    sentence("workflows.invalid",
             "{count} workflow file has errors; `kring validate` shows them.",
             "{count} workflow files have errors; `kring validate` shows them."),
    sentence("workflow.unknown", "There is no workflow `{id}`.{suggestion} `/cop workflows` lists them all."),
    sentence("enable.done", "Workflow **{title}** is enabled (version {version}).{params}"),
    sentence("enable.unclosed_quote", "A quotation mark is not closed."),
    sentence("enable.params", " Settings: {values}."),
    sentence("enable.invalid",
             "Workflow `{id}` was not enabled:\n"
             "{problems}"),
    sentence("command.too_many",
             "That is more than {limit} commands in a minute; Kring did not carry this one out. Try again shortly."),
    sentence("command.private_only",
             "`/cop {command}` is for you alone: send it in a private message to Kring. Kring recorded nothing. "
             "Everyone here can read this post; delete it if that was not meant."),
    sentence("enable.unknown_admins", "{names} is not a member of this community; only members can manage a workflow."),
    sentence("enable.bad_pair", "`{pair}` is not a setting; write `name=value`."),
    sentence("disable.done", "Workflow `{id}` is disabled. Runs under way finish."),
    sentence("disable.not_enabled", "Workflow `{id}` is not enabled here."),
    sentence("runs.none", "No runs yet."),
    sentence("runs.line", "- run {id}: `{workflow}` — {status}, started {started} ({trigger}){error}"),
    sentence("cancel.done", "Run {id} is cancelled."),
    sentence("cancel.unknown", "There is no run {id} under way in this community."),
    # -- destructive admin actions: a confirmation, then an undo window ---------------------------
    sentence("command.confirm", "confirms an admin action Kring asked you about (cancel a meeting, disable a "
                                "workflow, cancel a run)"),
    sentence("command.undo", "keeps a confirmed admin action from happening, during its undo window"),
    sentence("planned.what.meeting.cancel", "cancelling meeting {number} ({date})"),
    sentence("planned.what.disable", "disabling the workflow `{id}`"),
    sentence("planned.what.cancel", "cancelling run {id} (`{workflow}`)"),
    sentence("planned.ask",
             "First confirm {what}. Nothing happens until you do: use the button, or type `/cop confirm {ref}` "
             "within {within}."),
    sentence("planned.confirmed",
             "Confirmed: {what} happens at {at}, and then the group is told. Until then `/cop undo {ref}` (or the "
             "button) keeps everything as it is."),
    sentence("planned.undone", "Undone: {what} will not happen, and nobody else was told."),
    sentence("planned.unknown", "There is no action {ref} waiting here; see the reply to your command."),
    sentence("planned.not_yours", "Only whoever asked for action {ref} can confirm or undo it."),
    sentence("planned.expired",
             "Action {ref} was not confirmed within {within}, so nothing happened; give the command again."),
    sentence("planned.confirmed_already", "Action {ref} is confirmed already: it happens at {at}."),
    sentence("planned.over", "Action {ref} has been carried out or undone already; nothing changed."),
    sentence("planned.button.confirm", "Confirm"),
    sentence("planned.button.undo", "Undo"),
    sentence("run.started", "**{title}** has started (run {id})."),
    sentence("run.not_manual", "Workflow `{id}` has no manual trigger (`manual`)."),
    sentence("run.not_enabled", "Workflow `{id}` is not enabled here; enable it with `/cop enable {id}`."),
    sentence("args.missing", "`{name}` is missing. Usage: `{usage}`"),
    sentence("args.invalid", "`{name}`: {problem}. Usage: `{usage}`"),
    sentence("answer.unknown", "There is no open question {ref} for you."),
    sentence("answer.which",
             "Question set {ref} has {count} questions; put the number first: `/cop answer {ref} <number> <answer>`."),
    sentence("answer.done", "Thanks, your answer to question {number} is recorded."),
    sentence("answer.form.title", "Your answers (round {round})"),
    sentence("answer.form.label", "Question {number}"),
    sentence("answer.form.submit", "Send"),
    sentence("answer.form.opened", "The form is open."),
    sentence("answer.form.required", "Please answer this question."),
    sentence("answer.form.too_long", "At most {max} characters."),
    sentence("answers.done", "Thanks, your {count} answers are recorded."),
    sentence("action.refused", "This button is not valid (any more): {reason}."),
    sentence("action.not_yours", "This button is meant for someone else; nothing changed."),
    sentence("form.not_yours", "This form was opened for someone else. Open your own with `/cop answer`."),
    sentence("form.refused", "This form is no longer valid ({reason}). Open it again with `/cop answer`."),
    sentence("command.too_long",
             "Your command is {length} characters long; Kring takes at most {max}. Please shorten it."),
    sentence("command.which_community",
             "You are a member of more than one community: {names}. Type the command in the channel of the community "
             "you mean."),
    sentence("action.replayed", "You did this already; nothing changed."),
    sentence("vote.unknown", "There is no open poll {ref} in which you may vote."),
    sentence("vote.invalid", "Choose {choices}{multiple}."),
    sentence("vote.one_or_more", " (several allowed, with commas)"),
    sentence("vote.native",
             "Poll {ref} is voted in the poll itself, in the post where Kring asked it; a vote with `/cop vote` "
             "would count twice. Kring recorded nothing."),
    sentence("vote.done", "Your vote is counted. You can change it until the poll closes."),
)
