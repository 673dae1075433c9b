"""The sentences about a member's own data: what `/cop notes export` shows and `kring member forget`
leaves behind, and the words for kinds of records and member roles."""

from __future__ import annotations

from plugin.texts.catalog import Catalog

PERSONAL_DATA: Catalog = {
    "export.title": {"nl": "**Alles wat Kring over {name} bewaart** (alleen voor jou)",
                     "en": "**Everything Kring holds about {name}** (only for you)"},
    "export.account": {
        "nl": "Account: gebruikersnaam {user}, platform-id {account}, organisatie {organisation}, rol {role}, lid "
              "sinds {joined}; je bijdrage delen met je thuisorganisatie: {consent}. Je intake:",
        "en": "Account: user name {user}, platform id {account}, organisation {organisation}, role {role}, member "
              "since {joined}; sharing your contribution with your home organisation: {consent}. Your intake:"},
    "export.entries": {"nl": {"one": "Wat je vastlegde ({count} regel):",
                              "other": "Wat je vastlegde ({count} regels):"},
                       "en": {"one": "What you recorded ({count} line):",
                              "other": "What you recorded ({count} lines):"}},
    "export.private": {"nl": "alleen voor jou", "en": "only for you"},
    "export.answers": {"nl": "Je antwoorden ({count}):", "en": "Your answers ({count}):"},
    "export.meetings": {"nl": "Begeleid: bijeenkomst {roles}. Afgemeld voor bijeenkomst: {absent}.",
                        "en": "Facilitated: meeting {roles}. Sent apologies for meeting: {absent}."},
    "export.votes": {"nl": "Je stemmen in anonieme peilingen staan hier niet: die zijn niet aan jou te koppelen, "
                           "ook niet door Kring. Wissen? Vraag een beheerder (`kring member forget`).",
                     "en": "Your votes in anonymous polls are not here: they cannot be linked to you, not even by "
                           "Kring. To be forgotten, ask an admin (`kring member forget`)."},
    "member.pseudonym": {"nl": "Oud-deelnemer {number}", "en": "Former member {number}"},
    "memberrole.member": {"nl": "deelnemer", "en": "member"},
    "memberrole.facilitator": {"nl": "facilitator", "en": "facilitator"},
    "memberrole.admin": {"nl": "beheerder", "en": "admin"},
    "memberrole.initiator": {"nl": "initiatiefnemer", "en": "initiator"},
    "entry.signal": {"nl": "urgentiesignaal", "en": "urgency signal"},
    "entry.goal": {"nl": "leerdoel", "en": "learning goal"},
    "entry.highlight": {"nl": "hoogtepunt", "en": "highlight"},
    "entry.log": {"nl": "logboek", "en": "logbook"},
    "entry.experiment": {"nl": "experiment", "en": "experiment"},
    "entry.coalition": {"nl": "coalitie", "en": "coalition"},
    "entry.decision": {"nl": "besluit", "en": "decision"},
    "entry.domain": {"nl": "domeinbeschrijving", "en": "domain statement"},
}
