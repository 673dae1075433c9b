"""The digest of an 18-month simulated CoP (the demo's community, its members voting, answering and
following the demo's script), checked against the records; and pictures of it for a person to look at."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from weasyprint import HTML

from plugin.digests.charts import all_charts
from plugin.digests.content import MIN_ANONYMOUS_VOTES, DigestContent, build
from plugin.digests.pdf import as_pdf
from plugin.digests.render import render
from plugin.engine import timeline
from plugin.engine.journal import EntryKind
from plugin.runtime import Runtime
from plugin.simulation import DEMO_COMMUNITY, simulate
from plugin.storage.models import Community, JournalEntry, Member, Poll
from plugin.storage.states import PollStatus
from plugin.workflows.tally import is_scale
from tests.support.openapi import REPO_ROOT
from tests.support.services import in_ci

#: The simulation makes its own database: run once, in the SQLite pass.
pytestmark = pytest.mark.own_database

WORKFLOWS = ["cop-lifecycle", "domain-definition", "facilitators", "group-decisions", "monitoring", "experiments"]
#: The simulated members' highlights (the community file's own answers, before the answer bank's).
HIGHLIGHTS = 300
HIGHLIGHT = "The case of the {n}th reuse project; I will try its planning method with my team."
#: Where pictures for people go (a CI run keeps them as artefacts).
ARTIFACTS = Path(os.environ.get("KRING_ARTIFACTS_DIR", REPO_ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run 18 months once; build the digests and read the records while the simulation's database exists."""
    found: dict[str, Any] = {}

    def gather(runtime: Runtime, community_id: int) -> None:
        with runtime.database.session() as session:
            community = session.get_one(Community, community_id)
            now = runtime.clock.now()
            found["digests"] = {audience: build(session, community, audience, None, now)
                                for audience in ("TU Delft", "Gemeente Utrecht", "field", "initiator")}
            closed = session.scalars(sa.select(Poll).where(Poll.status == PollStatus.CLOSED)
                                     .order_by(Poll.closed_at, Poll.id))
            found["polls"] = [(p.question, p.anonymous, dict(p.results or {}), tuple(p.options), p.in_digest)
                              for p in closed]
            members = {m.id: m for m in session.scalars(sa.select(Member))}
            found["private"] = [(members[e.member_id].name, members[e.member_id].consent, e.text)
                                for e in session.scalars(sa.select(JournalEntry).where(
                                    JournalEntry.private.is_(True)))]
            found["evaluations"] = {e.meeting_number: e.data for e in session.scalars(sa.select(JournalEntry).where(
                JournalEntry.kind == EntryKind.EVALUATION))}

    out = tmp_path_factory.mktemp("simulation")
    # The demo's community, with highlights of its own (so many that each note is nearly always one
    # member's: the privacy checks below can tell whose words a digest shows).
    community = out / "community.yaml"
    community.write_text(DEMO_COMMUNITY.read_text("utf-8") + "answers:\n  What was your highlight of meeting:\n"
                         + "".join(f'    - "{HIGHLIGHT.format(n=n)}"\n' for n in range(1, HIGHLIGHTS + 1)), "utf-8")
    summary = simulate(WORKFLOWS, community, 18, out, [], report=gather, language="en")
    assert summary["failed_runs"] == []
    return found


def test_numbers_match_the_recorded_polls(simulated: dict[str, Any]) -> None:
    digest: DigestContent = simulated["digests"]["field"]
    evaluations = {p[0]: p[2] for p in simulated["polls"] if p[0].startswith("How valuable was meeting")}
    assert len(digest.evaluations) == len(evaluations) == 14  # the last meeting's too: the run goes on for it
    for point in digest.evaluations:
        results = evaluations[f"How valuable was meeting {point['meeting']} for your practice? (1 = little, 5 = very)"]
        assert point["votes"] == results["votes"]
        assert point["average"] == (results["average"] if results["votes"] >= MIN_ANONYMOUS_VOTES else None)
    ambitions = [p[2] for p in simulated["polls"] if p[0].startswith("How close are we")]
    assert [(a["votes"], a["average"]) for a in digest.ambitions] == [
        (r["votes"], r["average"] if r["votes"] >= MIN_ANONYMOUS_VOTES else None) for r in ambitions]
    assert sum(not is_scale(p[3]) for p in simulated["polls"]) >= 3  # the domain vote, a proposal, TIS checks
    # Polls shown otherwise (the evaluation and ambition trends, the decisions) are not listed again.
    listed = [p for p in simulated["polls"] if p[4]]
    assert [p.question for p in digest.polls] == [question for question, *_ in listed]
    assert not any(p.question.startswith(("How valuable", "How close", "Proposal:")) for p in digest.polls)
    assert any(p.question.startswith("System analysis") for p in digest.polls)
    for shown, (_, anonymous, results, _, _) in zip(digest.polls, listed, strict=True):
        assert shown.votes == results["votes"]
        if anonymous and results["votes"] < MIN_ANONYMOUS_VOTES:
            assert shown.hidden and not shown.counts
        else:
            assert shown.counts == results["counts"]


def test_non_consenting_members_notes_never_appear(simulated: dict[str, Any]) -> None:
    private = simulated["private"]
    assert any(not consent for _, consent, _ in private) and any(consent for _, consent, _ in private)
    rendered = [render(content, {}) for content in simulated["digests"].values()]
    outputs = [part for r in rendered for part in (r.markdown, r.html, r.text)]
    # A note written alike by a member who consented may be shown: check the others' own words.
    shown_legitimately = {note for _, consent, note in private if consent}
    withheld = [(name, note) for name, consent, note in private if not consent and note not in shown_legitimately]
    assert len(withheld) >= 10
    for name, note in withheld:
        assert not any(note in output or html.escape(note) in output for output in outputs), (name, note)
    tu_delft: DigestContent = simulated["digests"]["TU Delft"]
    assert [c.name for c in tu_delft.contributions] == ["Chidi Okafor"]  # the one who consented
    assert tu_delft.not_consenting == 2
    assert tu_delft.contributions[0].highlights  # what he learned goes to his own organisation
    for other in ("Gemeente Utrecht", "field", "initiator"):
        assert not any(tu_delft.contributions[0].highlights[0] in part
                       for part in (render(simulated["digests"][other], {}).markdown,))


def test_a_hidden_result_is_rendered_as_too_few_votes(simulated: dict[str, Any]) -> None:
    """Only the rendering: the decision to hide (anonymous, fewer than 3 votes) is made from real votes in
    tests/workflows/test_steps.py::test_digest_shows_anonymous_results_only_from_three_votes and checked
    against the recorded polls in test_numbers_match_the_recorded_polls above."""
    content: DigestContent = simulated["digests"]["field"]
    thin = DigestContent.from_dict({**content.as_dict(), "evaluations": [{"meeting": 1, "average": None, "votes": 2}],
                                    "polls": [{"question": "Thin poll", "votes": 2, "counts": {}, "average": None,
                                               "hidden": True}]})
    markdown = render(thin, {}).markdown
    assert "Thin poll: too few votes to show anonymously" in markdown
    assert "meeting 1: too few votes" in markdown


def test_simulated_members_write_like_members_and_place_backcasting_steps_in_time(
        simulated: dict[str, Any]) -> None:
    """Words, not placeholders: what a member learned (the community file's answers), and a backcast (the
    answer bank's) whose steps have years, ordered from now to the desired future and drawn on a timeline."""
    content: DigestContent = simulated["digests"]["TU Delft"]
    text = render(content, all_charts(content)).text
    assert "answer to question" not in text and "(round " not in text
    highlights = content.contributions[0].highlights
    assert highlights and all(h in {HIGHLIGHT.format(n=n) for n in range(1, HIGHLIGHTS + 1)} for h in highlights)
    [steps] = [steps for steps in content.backcasts if steps]
    moments = [timeline.parse(step).by for step in steps]
    assert len(steps) >= 3 and None not in moments and moments == sorted(m for m in moments if m is not None)
    assert len({step.casefold() for step in steps}) == len(steps)  # a step named by several members: once
    assert "Backcasting: from now to the desired future" in text and " → ".join(steps) in text


@pytest.fixture(scope="module")
def simulated_nl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same 18 months in Dutch, with the answer bank's Dutch answers: its digest for TU Delft."""
    found: dict[str, Any] = {}

    def gather(runtime: Runtime, community_id: int) -> None:
        with runtime.database.session() as session:
            community = session.get_one(Community, community_id)
            assert community.language == "nl"
            found["digests"] = {"TU Delft": build(session, community, "TU Delft", None, runtime.clock.now())}

    out = tmp_path_factory.mktemp("simulation-nl")
    summary = simulate(WORKFLOWS, DEMO_COMMUNITY, 18, out, [], report=gather, language="nl")
    assert summary["failed_runs"] == []
    return found


#: Section titles of a digest in each language: a digest in one shows none of the other's.
TITLES = {"en": ("Results of", "Our question", "Decisions"), "nl": ("Resultaten van", "Ons vraagstuk", "Besluiten")}


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_pictures_of_the_rendered_digest_and_the_social_map(language: str, request: pytest.FixtureRequest) -> None:
    """The 18-month digest for TU Delft in each language, as HTML, a PDF and a screenshot (test-artifacts/),
    for a person to look at; checked here for its charts, its pages and its language."""
    simulation: dict[str, Any] = request.getfixturevalue("simulated" if language == "en" else "simulated_nl")
    content: DigestContent = simulation["digests"]["TU Delft"]
    assert content.language == language
    charts = all_charts(content)
    assert set(charts) == {"evaluation", "participation", "social-map", "backcast"}
    for png in charts.values():
        assert png.startswith(b"\x89PNG") and len(png) > 5_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"social-map-{language}.png").write_bytes(charts["social-map"])
    (ARTIFACTS / f"backcast-{language}.png").write_bytes(charts["backcast"])
    html = render(content, charts).html
    assert f'<html lang="{language}">' in html
    other = "nl" if language == "en" else "en"
    assert all(title in html for title in TITLES[language])
    assert not any(f">{title}" in html for title in TITLES[other]), f"{other} titles in the {language} digest"
    page = ARTIFACTS / f"digest-{language}.html"
    page.write_text(html, encoding="utf-8")
    # For management: the same digest as a PDF on A4, its charts in it.
    pdf = as_pdf(html)
    (ARTIFACTS / f"digest-{language}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Subtype /Image") >= len(charts)
    assert len(HTML(string=html).render().pages) >= 2  # an 18-month digest: more than one A4 page
    browser = _chromium()
    if browser is None:
        if in_ci():
            pytest.fail("Chromium is needed for the digest screenshot under CI (apt-get install chromium)")
        pytest.skip("no Chromium here: the digest's HTML is in test-artifacts, its screenshot is not")
    screenshot = ARTIFACTS / f"digest-{language}.png"
    screenshot.unlink(missing_ok=True)
    subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={screenshot}", "--window-size=800,2600", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (800, 2600)
    assert re.search(r'<img src="data:image/png;base64,', page.read_text("utf-8"))
