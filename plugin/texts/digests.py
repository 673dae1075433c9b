"""The sentences of result digests, in Dutch and English."""

from __future__ import annotations

from plugin.texts.catalog import Catalog

DIGEST: Catalog = {
    "digest.preview_refused": {"nl": "Het overzicht voor {audience} is alleen voor de beheerders en de deelnemers "
                                     "van {audience} zelf.",
                               "en": "The digest for {audience} is only for the admins and {audience}'s own "
                                     "members."},
    "digest.title": {"nl": "Resultaten van {name} voor {audience}", "en": "Results of {name} for {audience}"},
    "digest.audience.field": {"nl": "het veld", "en": "the field"},
    "digest.audience.initiator": {"nl": "de initiatiefnemer", "en": "the initiator"},
    "digest.period.whole": {"nl": "Over de hele looptijd tot {end}", "en": "Over the whole run up to {end}"},
    "digest.period.since": {"nl": "Van {start} tot {end}", "en": "From {start} to {end}"},
    "digest.meetings": {"nl": "Bijeenkomsten gehouden: {held} (van {planned} gepland){numbers}",
                        "en": "Meetings held: {held} (of {planned} planned){numbers}"},
    "digest.domain": {"nl": "Ons vraagstuk", "en": "Our question"},
    "digest.domain.none": {"nl": "Er is nog geen domeinbeschrijving vastgesteld.",
                           "en": "No domain statement has been adopted yet."},
    "digest.domain.changed": {"nl": "Nieuwe versie {version} vastgesteld op {date}.",
                              "en": "New version {version} adopted on {date}."},
    "digest.decisions": {"nl": "Besluiten", "en": "Decisions"},
    "digest.decision": {"nl": "{text} — {outcome} ({agree} eens, {disagree} oneens)",
                        "en": "{text} — {outcome} ({agree} agree, {disagree} disagree)"},
    "digest.adopted": {"nl": "aangenomen", "en": "adopted"},
    "digest.rejected": {"nl": "niet aangenomen", "en": "not adopted"},
    "digest.evaluations": {"nl": "Evaluaties per bijeenkomst (1-5)", "en": "Evaluations per meeting (1-5)"},
    "digest.ambitions": {"nl": "Toets aan onze ambitie (1-5: hoe dicht bij ons vraagstuk)",
                         "en": "Check against our ambition (1-5: how close to our question)"},
    "digest.evaluation": {"nl": "bijeenkomst {meeting}: {average}", "en": "meeting {meeting}: {average}"},
    "digest.trend": {"nl": "Het hoogst scoorde bijeenkomst {best} ({best_average}), het laagst bijeenkomst {worst} "
                           "({worst_average}); {direction}.",
                     "en": "Meeting {best} scored highest ({best_average}), meeting {worst} lowest ({worst_average}); "
                           "{direction}."},
    "digest.trend.up": {"nl": "de laatste bijeenkomsten scoren hoger", "en": "the latest meetings score higher"},
    "digest.trend.down": {"nl": "de laatste bijeenkomsten scoren lager", "en": "the latest meetings score lower"},
    "digest.trend.steady": {"nl": "de laatste bijeenkomsten scoren gelijk", "en": "the latest meetings score alike"},
    "digest.too_few": {"nl": "te weinig stemmen", "en": "too few votes"},
    "digest.polls": {"nl": "Peilingen", "en": "Polls"},
    "digest.still_open": {"nl": "Nog open: de uitslag volgt in de volgende terugkoppeling",
                          "en": "Still open: the results follow in the next digest"},
    "digest.open_poll": {"nl": "{question} — sluit op {closes}", "en": "{question} — closes on {closes}"},
    "digest.poll.meeting": {"nl": " (bijeenkomst {number})", "en": " (meeting {number})"},
    "digest.poll": {"nl": "{question}: {summary} ({votes} stemmen)", "en": "{question}: {summary} ({votes} votes)"},
    "digest.poll_hidden": {"nl": "{question}: te weinig stemmen om anoniem te tonen",
                           "en": "{question}: too few votes to show anonymously"},
    "digest.experiments": {"nl": "Experimenten", "en": "Experiments"},
    "digest.backcasts": {"nl": "Backcasting: van nu naar de gewenste toekomst",
                         "en": "Backcasting: from now to the desired future"},
    "digest.coalitions": {"nl": "Nieuwe coalities en gezamenlijke initiatieven",
                          "en": "New coalitions and joint initiatives"},
    "digest.social_map": {"nl": "Sociale kaart: wie werkt met wie samen", "en": "Social map: who works with whom"},
    "digest.participation": {"nl": "Deelname per organisatie (antwoorden in deze periode)",
                             "en": "Participation per organisation (answers in this period)"},
    "digest.contributions": {"nl": "Wat onze deelnemers deden en leerden",
                             "en": "What our participants did and learned"},
    "digest.contribution.facilitated": {"nl": {"one": "begeleidde {count} bijeenkomst",
                                               "other": "begeleidde {count} bijeenkomsten"},
                                        "en": {"one": "facilitated {count} meeting",
                                               "other": "facilitated {count} meetings"}},
    "digest.contribution.experiments": {"nl": "experimenteerde: {items}", "en": "experimented: {items}"},
    "digest.contribution.coalitions": {"nl": "bouwde coalities: {items}", "en": "built coalitions: {items}"},
    "digest.contribution.highlights": {"nl": "leerde: {items}", "en": "learned: {items}"},
    "digest.not_consenting": {
        "nl": {"one": "{count} deelnemer uit uw organisatie wordt niet bij naam genoemd (geen toestemming gegeven).",
               "other": "{count} deelnemers uit uw organisatie worden niet bij naam genoemd (geen toestemming "
                        "gegeven)."},
        "en": {"one": "{count} participant from your organisation is not named (no consent given).",
               "other": "{count} participants from your organisation are not named (no consent given)."}},
    "digest.nothing": {"nl": "Nog niets vastgelegd in deze periode.", "en": "Nothing recorded in this period yet."},
    "digest.footer": {"nl": "Gemaakt door Kring, de CoP-toolbox van {name}. Anonieme uitslagen alleen vanaf 3 "
                            "stemmen; deelnemers alleen bij naam met hun toestemming.",
                      "en": "Made by Kring, the CoP toolbox of {name}. Anonymous results only from 3 votes; "
                            "participants named only with their consent."},
    "digest.chart.evaluation": {"nl": "Evaluatie per bijeenkomst", "en": "Evaluation per meeting"},
    "digest.chart.meeting": {"nl": "bijeenkomst", "en": "meeting"},
    "digest.chart.average": {"nl": "gemiddelde (1-5)", "en": "average (1-5)"},
    "digest.chart.participation": {"nl": "Deelname per organisatie", "en": "Participation per organisation"},
    "digest.chart.answers": {"nl": "antwoorden", "en": "answers"},
    "digest.chart.legend.you": {"nl": "{name} (uw organisatie)", "en": "{name} (your organisation)"},
    "digest.chart.legend.others": {"nl": "de andere organisaties (groter: meer partners)",
                                   "en": "the other organisations (larger: more partners)"},
    "digest.chart.legend.lines": {"nl": "een coalitie of gezamenlijk initiatief (dikker: meer)",
                                  "en": "a coalition or joint initiative (thicker: more)"},
    "digest.chart.backcast": {"nl": "Backcasting: stappen in de tijd", "en": "Backcasting: steps in time"},
    "digest.chart.social_map": {"nl": "Coalities tussen organisaties", "en": "Coalitions between organisations"},
    "digest.subject": {"nl": "{title} ({period})", "en": "{title} ({period})"},
    "digest.unknown_audience": {"nl": "`{name}` is geen organisatie van deze CoP; kies een organisatie, field of "
                                      "initiator.",
                                "en": "`{name}` is not an organisation of this CoP; choose an organisation, field or "
                                      "initiator."},
    "digest.queued": {
        "nl": {"one": "Terugkoppeling {number} voor {audience} gaat naar {count} ontvanger; de stand zie je met "
                      "`/cop digest list`.",
               "other": "Terugkoppeling {number} voor {audience} gaat naar {count} ontvangers; de stand zie je met "
                        "`/cop digest list`."},
        "en": {"one": "Digest {number} for {audience} goes to {count} recipient; follow it with `/cop digest list`.",
               "other": "Digest {number} for {audience} goes to {count} recipients; follow it with "
                        "`/cop digest list`."}},
    "digest.no_contacts": {"nl": "Terugkoppeling {number} voor {audience} is gearchiveerd, maar er is geen ontvanger: "
                                 "voeg er een toe met `/cop contact`.",
                           "en": "Digest {number} for {audience} is archived, but there is no recipient: add one "
                                 "with `/cop contact`."},
    "digest.none": {"nl": "Er zijn nog geen terugkoppelingen gemaakt.", "en": "No digests have been made yet."},
    "digest.archive_title": {"nl": "**Terugkoppelingen**", "en": "**Digests**"},
    "digest.archive_line": {"nl": "{number}. {date} voor {audience}: {deliveries}",
                            "en": "{number}. {date} for {audience}: {deliveries}"},
    "command.digest": {"nl": "terugkoppeling: voorbeeld (alleen voor jou), versturen (beheerders) of het archief",
                       "en": "result digests: preview (only for you), send (admins) or the archive"},
}
