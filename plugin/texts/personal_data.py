"""The sentences about a member's own data: what `/cop notes export` shows and `kring member forget`
leaves behind, and the words for kinds of records and member roles."""

from __future__ import annotations

from plugin.texts.catalog import sentence

PERSONAL_DATA = (
    sentence("export.title", "**Everything Kring holds about {name}** (only for you)"),
    sentence("export.account",
             "Account: user name {user}, platform id {account}, organisation {organisation}, role {role}, member "
             "since {joined}; sharing your contribution with your home organisation: {consent}. Your intake:"),
    sentence("export.entries", "What you recorded ({count} line):", "What you recorded ({count} lines):"),
    sentence("export.private", "only for you"),
    sentence("export.answers", "Your answers ({count}):"),
    sentence("export.meetings", "Facilitated: meeting {roles}. Sent apologies for meeting: {absent}."),
    sentence("export.votes",
             "Your votes in anonymous polls are not here: they cannot be linked to you, not even by Kring. To be "
             "forgotten, ask an admin (`kring member forget`)."),
    sentence("member.pseudonym", "Former member {number}"),
    sentence("memberrole.member", "member"),
    sentence("memberrole.facilitator", "facilitator"),
    sentence("memberrole.admin", "admin"),
    sentence("memberrole.initiator", "initiator"),
    sentence("entry.signal", "urgency signal"),
    sentence("entry.goal", "learning goal"),
    sentence("entry.highlight", "highlight"),
    sentence("entry.log", "logbook"),
    sentence("entry.experiment", "experiment"),
    sentence("entry.coalition", "coalition"),
    sentence("entry.decision", "decision"),
    sentence("entry.domain", "domain statement"),
)
