"""`kring validate`, `kring simulate`, `kring member add`: as an operator runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

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


def test_simulate_all_built_in_workflows_for_18_months(process_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = run(["simulate", "meeting-agenda", "check-out", "domain-definition", "--community",
                  str(ROOT / "examples" / "community.yaml"), "--out", str(out)], process_env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "(20 members)" in result.stdout
    transcript = json.loads((out / "transcript.json").read_text("utf-8"))
    texts = [entry["text"] for entry in transcript["entries"]]
    # Every 6 weeks from 2027-01-12 up to 18 months later (2028-07-12): 14 meetings.
    meetings = 1 + (date(2028, 7, 12) - date(2027, 1, 12)).days // 42
    assert meetings == 14
    assert sum("Agenda" in t or "agendadraad" in t or "komen we weer bij elkaar" in t for t in texts) == meetings
    evaluations = [t for t in texts if t.startswith("Evaluatie bijeenkomst")]
    # The last meeting's evaluation (two days of voting, two of answering) ends after the simulated period.
    assert len(evaluations) == meetings - 1
    assert sum("Samenvatting ronde" in t for t in texts) >= 3
    text_version = (out / "transcript.txt").read_text("utf-8")
    assert "[2027-01-12 09:00] in thread agenda-1:" in text_version  # local time, Europe/Amsterdam


def test_simulate_a_workflow_file_and_report_a_bad_one(process_env: dict[str, str], tmp_path: Path) -> None:
    good = tmp_path / "hello.yaml"
    good.write_text(workflow("hello", "triggers: [{manual: true}]\nsteps:\n  - post: {text: {nl: Hoi, en: Hi}}\n"),
                    "utf-8")
    result = run(["simulate", str(good), "--community", str(ROOT / "examples" / "community.yaml"), "--months", "1",
                  "--out", str(tmp_path / "out")], process_env)
    assert result.returncode == 0, result.stderr
    assert "Hoi" in (tmp_path / "out" / "transcript.txt").read_text("utf-8")
    missing = run(["simulate", "no-such-flow", "--community", str(ROOT / "examples" / "community.yaml"),
                   "--out", str(tmp_path / "out2")], process_env)
    assert missing.returncode == 2
    assert "no valid workflow 'no-such-flow'" in missing.stderr


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
