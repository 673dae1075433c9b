"""`kring validate`, `kring simulate`, `kring member add`: as an operator runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from plugin.simulation import DEMO_COMMUNITY
from plugin.workflows.catalog import BUILTIN_DIR
from tests.support.cli import run
from tests.workflows.conftest import workflow

ROOT = Path(__file__).resolve().parents[1]


def test_validate_the_built_in_workflows(process_env: dict[str, str]) -> None:
    result = run(["validate"], process_env)
    assert result.returncode == 0, result.stdout
    assert "0 problem(s)" in result.stdout


def test_validate_reports_every_problem_and_fails(process_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(workflow("good", "steps:\n  - post: {text: {nl: a, en: b}}\n"), "utf-8")
    (tmp_path / "bad.yaml").write_text(workflow("bad", "steps:\n  - psot: {text: {nl: a}}\n"), "utf-8")
    result = run(["validate", str(tmp_path)], process_env)
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.yaml'}:6:5: unknown step type 'psot'. Did you mean 'post'?" in result.stdout
    assert "1 valid workflow(s), 1 problem(s)" in result.stdout
    as_json = json.loads(run(["validate", "--format", "json", str(tmp_path)], process_env).stdout)
    assert as_json["valid"] == ["good"]
    assert as_json["problems"][0]["line"] == 6


BUILT_INS = sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


@pytest.mark.own_database
def test_simulate_all_built_in_workflows_for_18_months(process_env: dict[str, str], tmp_path: Path) -> None:
    """The whole toolbox for 18 months: 20 members who answer, vote, accept or decline, and the demo's script."""
    assert len(BUILT_INS) == 9
    out = tmp_path / "sim"
    result = run(["simulate", *BUILT_INS, "--out", str(out)], process_env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "(20 members)" in result.stdout and "Next: " in result.stdout
    # Progress on stderr (not a terminal): a line each time another meeting has been held.
    progress = [line for line in result.stderr.splitlines() if line.startswith("simulating: ")]
    held = [int(found.group(1)) for line in progress if (found := re.search(r"meeting (\d+) of 14$", line))]
    assert len(held) == len(progress) and held == sorted(held) and set(range(1, 15)) <= set(held)
    assert progress[-1].startswith("simulating: 2028-07-")
    transcript = json.loads((out / "transcript.json").read_text("utf-8"))
    assert transcript["summary"]["failed_runs"] == []
    # Every outbound message went out, e-mailed digests too: to the simulation's own local SMTP server, over
    # the production path, and into the transcript with their recipient and subject.
    assert transcript["summary"]["failed_deliveries"] == []
    entries = transcript["entries"]
    emails = [e for e in entries if e["kind"] == "email"]
    assert len(emails) >= 4 and {e["to"] for e in emails} == {"inkoop@utrecht.example.nl"}
    assert all(e["text"].startswith("Resultaten van CoP Circulair Bouwen voor Gemeente Utrecht (") for e in emails)
    assert "e-mail to inkoop@utrecht.example.nl:" in (out / "transcript.txt").read_text("utf-8")
    # Members answer in the community's language, from the answer bank (plugin/demo/answers.yaml).
    answers = [e["text"] for e in entries if e["kind"] == "member" and e["text"].startswith("/cop answer ")]
    assert len(answers) > 200 and not any("answer to question" in a for a in answers)
    assert any(a.endswith(" Goede voorbeelden blijven hangen in het project waar ze ontstonden.") for a in answers)
    group = [e["text"] for e in entries if e["kind"] in ("post", "thread")]
    direct = [e for e in entries if e["kind"] == "direct"]
    # Every 6 weeks from Tuesday 2027-01-12; the 14th, on 2028-07-11, is the last within 18 months.
    meetings = 14
    starts = [e["at"][:10] for e in entries if e["kind"] in ("post", "thread") and e["text"].startswith("Bijeenkomst")
              and "begint" in e["text"]]
    assert (len(starts), starts[0], starts[1], starts[-1]) == (meetings, "2027-01-12", "2027-02-23", "2028-07-11")
    assert sum("komen we weer bij elkaar" in t for t in group) == meetings  # cop-lifecycle: an agenda each
    # Each agenda names the pair (chosen 3 weeks ahead; for the first meeting, caught up when facilitators was
    # enabled a week ahead) and, after the first, opens with the last evaluation.
    agendas = [t for t in group if "komen we weer bij elkaar" in t]
    assert sum("Begeleiding: " in t and "(inhoud) en " in t for t in agendas) == meetings
    assert sum("We openen met de evaluatie van bijeenkomst" in t for t in agendas) == meetings - 1
    assert sum(t.startswith("Bijeenkomst") and "begint" in t for t in group) == meetings
    assert sum("begeleiden" in t and "(inhoud)" in t for t in group) == meetings  # facilitators: a pair each
    evaluations = [t for t in group if t.startswith("Evaluatie bijeenkomst")]
    assert len(evaluations) == meetings  # the simulation runs on for the last meeting's follow-ups
    assert sum(t.startswith("Toets aan onze ambitie") for t in group) == 4  # after meetings 3, 6, 9, 12
    assert any(t.startswith("Systeemanalyse na bijeenkomst 6") for t in group)
    assert any(t.startswith("Vastgesteld met") and "regio" in t for t in group)  # domain adopted by vote
    assert any(t.startswith("Besluit 1:") for t in group)
    assert any(t.startswith("Experiment 2: Ontwerpen met een oogstkaart") and "maatje" in t for t in group)
    assert any(t.startswith("Tijdlijn, van nu naar de gewenste toekomst") for t in group)
    replies = [e["text"] for e in entries if e["kind"] == "reply"]
    assert "Coalitie 2 vastgelegd: Sloopbedrijf Hergebruik + Woonstichting Thuis." in replies
    assert any(r.startswith("Verplaatst: 5. 2027-07-01 om 14:00") for r in replies)
    assert any("Wil je bijeenkomst 1 op dinsdag 12 januari 2027 om 14:00" in e["text"] for e in direct)  # asked
    assert any("Iemand anders kon niet" in e["text"] for e in direct)  # a decline asked the next in line
    assert any(e["text"].startswith("**Samenstelling van CoP Circulair Bouwen**") and "Praktijk: 15, theorie: 5"
               in e["text"] for e in direct if e["to"] == "anna.de.vries")
    # Durations and averages as a Dutch reader writes them: "over 3 dagen", "3,6".
    assert any(e["text"].startswith("Over 3 dagen gaat de terugkoppeling naar de thuisorganisaties") for e in direct)
    assert not any(re.search(r"\b\d+[dhw]\b", re.sub(r"`[^`]*`", "", t)) for t in group)
    assert any(re.match(r"Evaluatie bijeenkomst \d+: gemiddeld \d,\d uit \d+ stemmen", t) for t in evaluations)
    assert not any(re.search(r"gemiddeld \d\.\d", t) for t in group)
    # Highlights are asked privately and never shown in the group.
    assert any("hoogtepunt van bijeenkomst 1" in e["text"] for e in direct)
    assert not any("hoogtepunt" in t for t in group)
    # After meetings 3, 6, 9, 12 and the last (14): the field's digest in the group, the initiator's to the admin
    # (there is no initiator), each organisation's to its contacts (TU Delft: Chidi; BouwCo: Eva; Gemeente
    # Utrecht: e-mail).
    field = [e for e in entries if e["kind"] == "post" and e["text"].startswith(
        "#### Resultaten van CoP Circulair Bouwen voor het veld")]
    assert len(field) == 5 and field[-1]["at"][:10] == "2028-07-15"  # the closing account: 1 day + 3 days' notice
    assert sum(e["text"].startswith("#### Resultaten van CoP Circulair Bouwen voor de initiatiefnemer")
               for e in direct if e["to"] == "anna.de.vries") == 5
    assert sum(e["text"].startswith("#### Resultaten van CoP Circulair Bouwen voor TU Delft")
               for e in direct if e["to"] == "chidi.okafor") == 5
    text_version = (out / "transcript.txt").read_text("utf-8")
    assert "[2027-01-05 14:00] new thread agenda-1:" in text_version  # local time, Europe/Amsterdam
    # For a person: contents, a section per meeting, and a message sent alike to many members shown once.
    assert "Contents\n  1. Before the first meeting (" in text_version
    assert "\n== Meeting 14 — 2028-07-11 ==\n" in text_version
    alike = re.findall(r"^\[[^]]+\] to (\d+) members \(([^)]*)\):$", text_version, flags=re.MULTILINE)
    alone = re.findall(r"^\[[^]]+\] to [^ ]+:$", text_version, flags=re.MULTILINE)
    assert alike and all(int(n) == len(names.split(", ")) > 1 for n, names in alike)
    assert sum(int(n) for n, _ in alike) + len(alone) == len(direct)  # every direct message, none twice
    page = (out / "transcript.html").read_text("utf-8")
    assert page.count("<section id=") == text_version.count("\n== ") and '<a href="#s15">Meeting 14' in page


@pytest.mark.own_database
def test_simulate_a_workflow_file_and_report_a_bad_one(process_env: dict[str, str], tmp_path: Path) -> None:
    good = tmp_path / "hello.yaml"
    good.write_text(workflow("hello", "triggers: [{manual: true}]\nsteps:\n  - post: {text: {nl: Hoi, en: Hi}}\n"),
                    "utf-8")
    result = run(["simulate", str(good), "--community", str(DEMO_COMMUNITY), "--months", "1",
                  "--out", str(tmp_path / "out")], process_env)
    assert result.returncode == 0, result.stderr
    assert "Hoi" in (tmp_path / "out" / "transcript.txt").read_text("utf-8")
    assert re.fullmatch(r"simulating: 2027-\d\d-\d\d, meeting 1 of 1", result.stderr.splitlines()[-1])
    missing = run(["simulate", "no-such-flow", "--community", str(DEMO_COMMUNITY),
                   "--out", str(tmp_path / "out2")], process_env)
    assert missing.returncode == 2
    assert "no valid workflow 'no-such-flow'" in missing.stderr


@pytest.mark.own_database
def test_a_simulation_kept_with_home_can_be_looked_at_with_kring(process_env: dict[str, str], tmp_path: Path) -> None:
    """`simulate --home` keeps the simulated installation; `digest render` on it covers what it recorded,
    on its virtual clock (in 2027), not up to today's date."""
    home = tmp_path / "kept"
    result = run(["simulate", "cop-lifecycle", "monitoring", "--months", "3", "--home", str(home),
                  "--out", str(tmp_path / "out")], process_env)
    assert result.returncode == 0, result.stderr
    assert f"KRING_HOME={home} kring digest render --community 1 --org field" in result.stdout
    kept = {k: v for k, v in process_env.items() if k not in ("KRING_DATABASE_URL", "KRING_REDIS_URL")}
    kept["KRING_HOME"] = str(home)
    assert "CoP Circulair Bouwen" in run(["community", "list"], kept).stdout
    rendered = run(["digest", "render", "--community", "1", "--org", "field", "--out", str(tmp_path / "d")], kept)
    assert rendered.returncode == 0, rendered.stderr
    digest = (tmp_path / "d" / "digest.md").read_text("utf-8")
    assert "_Over de hele looptijd tot 2027-04-" in digest  # the demo's community speaks Dutch
    again = run(["simulate", "cop-lifecycle", "--months", "1", "--home", str(home), "--out", str(tmp_path / "o2")],
                process_env)
    assert again.returncode == 2 and "holds a Kring database already" in again.stderr


@pytest.mark.own_database
def test_simulate_exits_1_when_a_run_failed(process_env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = "'{{ community.no_such }}'"  # found only when the step runs (an unknown name is refused at load)
    steps = f"triggers: [{{manual: true}}]\nsteps:\n  - post: {{text: {{nl: {text}, en: {text}}}}}\n"
    broken.write_text(workflow("broken", steps), "utf-8")
    result = run(["simulate", str(broken), "--community", str(DEMO_COMMUNITY), "--months", "1",
                  "--out", str(tmp_path / "out")], process_env)
    assert result.returncode == 1, result.stdout + result.stderr
    summary = json.loads((tmp_path / "out" / "transcript.json").read_text("utf-8"))["summary"]
    assert len(summary["failed_runs"]) == 1 and "no_such" in json.dumps(summary["failed_runs"])


def test_member_add_and_admins_of_a_new_community(process_env: dict[str, str]) -> None:
    run(["db", "upgrade"], process_env)
    created = run(["community", "add", "--platform", "discourse", "--group", "7", "--name", "CoP Zorg",
                   "--admin", "u-1"], process_env)
    assert "admins u-1" in created.stdout, created.stderr
    added = run(["member", "add", "--community", "1", "--user", "u-2", "--name", "Bram", "--organisation",
                 "Zorg BV"], process_env)
    assert added.returncode == 0, added.stderr
    assert "Bram (member) in community 1" in added.stdout
    unknown = run(["member", "add", "--community", "9", "--user", "u", "--name", "x"], process_env)
    assert unknown.returncode == 1
    assert "there is no community 9" in unknown.stderr
    again = run(["member", "add", "--community", "1", "--user", "u-2", "--name", "Bram Jansen", "--role", "admin"],
                process_env)  # the same user: updated, not added twice
    assert "Bram Jansen (admin) in community 1" in again.stdout, again.stderr
    engine = sa.create_engine(process_env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT name, role FROM member WHERE platform_user_id = 'u-2'")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("Bram Jansen", "admin")]


def test_community_add_with_its_own_cadence_length_and_the_default_time_zone(process_env: dict[str, str]) -> None:
    env = {**process_env, "KRING_TIMEZONE": "Europe/London"}
    run(["db", "upgrade"], env)
    created = run(["community", "add", "--platform", "mattermost", "--group", "c-4w", "--name", "CoP Snel",
                   "--start", "2027-01-12", "--cadence", "4", "--months", "6"], env)
    assert created.returncode == 0, created.stderr
    engine = sa.create_engine(env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT meeting_cadence_weeks, run_length_months, timezone, start_date "
                                         "FROM community")).one()
    engine.dispose()
    assert (row[0], row[1], row[2], str(row[3])) == (4, 6, "Europe/London", "2027-01-12")
