"""A digest as its reader takes it in: a chart with one sentence instead of its figures again, polls
told apart by their meeting, numbers in the reader's language, a social map with a legend, and a page
that prints well."""

from __future__ import annotations

from typing import Any

from plugin.digests.charts import all_charts, social_map_legend
from plugin.digests.content import DigestContent
from plugin.digests.render import render

EVALUATIONS = [{"meeting": 1, "average": 3.4, "votes": 12}, {"meeting": 2, "average": 4.25, "votes": 11},
               {"meeting": 3, "average": None, "votes": 2}, {"meeting": 4, "average": 3.1, "votes": 10}]
TIS = "Systeemanalyse: welke functies van het innovatiesysteem schieten tekort?"


def content(**changes: Any) -> DigestContent:
    base: dict[str, Any] = {
        "community": "CoP Water", "language": "nl", "audience": "Waterschap", "audience_kind": "organisation",
        "period_start": None, "period_end": "2027-06-01T00:00:00+00:00", "meetings_held": [], "meetings_planned": 14,
        "domain": "Droge voeten", "domain_versions": [], "decisions": [], "evaluations": EVALUATIONS, "ambitions": [],
        "polls": [{"question": TIS, "votes": 9, "counts": {"Kennisontwikkeling": 5}, "average": None, "hidden": False,
                   "meeting": 6},
                  {"question": TIS, "votes": 8, "counts": {"Marktvorming": 4}, "average": None, "hidden": False,
                   "meeting": 12},
                  {"question": "Hoe waardevol was bijeenkomst 5?", "votes": 9, "counts": {}, "average": 3.62,
                   "hidden": False, "meeting": 5}],
        "experiments": [], "backcasts": [], "coalitions": [],
        "social_map": [["Waterschap", "TU Delft"]], "organisations": ["TU Delft", "Waterschap"],
        "participation": {"TU Delft": 3, "Waterschap": 5}}
    return DigestContent.from_dict({**base, **changes})


def test_a_chart_comes_with_one_sentence_not_its_figures_again() -> None:
    digest = content()
    charts = all_charts(digest)
    text = render(digest, charts).text
    assert ("Het hoogst scoorde bijeenkomst 2 (4,2), het laagst bijeenkomst 4 (3,1); de laatste bijeenkomsten "
            "scoren lager.") in text  # 4.25 rounds half to even: 4,2
    assert "bijeenkomst 1: 3,4" not in text
    # Without the chart (a post whose pictures are left out), the figures themselves, in Dutch notation.
    assert "bijeenkomst 1: 3,4; bijeenkomst 2: 4,2; bijeenkomst 3: te weinig stemmen; bijeenkomst 4: 3,1" in \
        render(digest, {}).text
    rising = content(evaluations=[{"meeting": 1, "average": 3.0, "votes": 9},
                                  {"meeting": 2, "average": 3.5, "votes": 9}])
    assert "de laatste bijeenkomsten scoren hoger" in render(rising, all_charts(rising)).text
    english = content(language="en")
    assert "Meeting 2 scored highest (4.2), meeting 4 lowest (3.1); the latest meetings score lower." in \
        render(english, all_charts(english)).text


def test_two_polls_of_the_same_question_are_told_apart_by_their_meeting() -> None:
    text = render(content(), {}).text
    assert f"{TIS} (bijeenkomst 6): Kennisontwikkeling: 5 (9 stemmen)" in text
    assert f"{TIS} (bijeenkomst 12): Marktvorming: 4 (8 stemmen)" in text
    assert "Hoe waardevol was bijeenkomst 5?: ⌀ 3,6 (9 stemmen)" in text  # it names its meeting itself


def test_the_social_map_says_what_its_colours_mean() -> None:
    assert social_map_legend(content()) == [
        ("you", "Waterschap (uw organisatie)"), ("others", "de andere organisaties (groter: meer partners)"),
        ("line", "een coalitie of gezamenlijk initiatief (dikker: meer)")]
    assert [kind for kind, _ in social_map_legend(content(audience="field", audience_kind="field"))] == [
        "others", "line"]
    assert "social-map" in all_charts(content())


def test_the_page_prints_well() -> None:
    digest = content()
    charts = all_charts(digest)
    html = render(digest, charts).html
    assert "@media print" in html and "break-inside: avoid" in html and "@page { size: A4" in html


def test_the_digests_of_one_moment_draw_their_shared_charts_once() -> None:
    """Every audience's digest shows the same evaluation trend and backcast: drawn once, not per audience;
    the pictures that highlight the recipient's organisation are drawn once per highlight."""
    steps = ["2027: first pilot", "2029: in every tender"]
    waterschap, field = content(backcasts=[steps]), content(audience="field", audience_kind="field", backcasts=[steps])
    shared, other = all_charts(waterschap), all_charts(field)
    assert shared["evaluation"] is other["evaluation"] and shared["backcast"] is other["backcast"]
    assert shared["participation"] != other["participation"]  # it highlights the recipient's organisation
    initiator = all_charts(content(audience="initiator", audience_kind="initiator", backcasts=[steps]))
    # The field's and the initiator's highlight no organisation: they share their pictures too.
    assert initiator["participation"] is other["participation"] and initiator["social-map"] is other["social-map"]
    assert shared["social-map"] != other["social-map"]
