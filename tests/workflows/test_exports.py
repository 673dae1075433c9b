"""`kring export` and `kring import`: a community's record validates against its JSON Schema, survives a
move into a fresh Kring unchanged, and holds no private notes, no votes, no secrets and no forgotten name."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from plugin.engine.journal import EntryKind
from plugin.exports.formats import WRITERS
from plugin.exports.record import community_record
from plugin.exports.restore import SCHEMA_PATH, ImportRefused, problems_in, restore
from plugin.storage.database import Database
from plugin.storage.forget import forget_member
from plugin.storage.models import Community, Member, Timer
from plugin.storage.states import TimerStatus
from plugin.workflows.catalog import current_catalog
from tests.support.cli import run
from tests.workflows.conftest import Cop, T, workflow

POLL = workflow("pulse", f"""\
    triggers: [{{manual: true}}]
    steps:
      - poll: {{id: pulse, question: {T.format("How is it going?")}, scale: 5, closes_after: 1d, anonymous: true}}
      - digest: {{audience: field}}
    """)


def _lived_in(cop: Cop) -> None:
    """A community with a calendar, facilitators, journal entries, a closed anonymous poll and a digest."""
    cop.write("pulse", POLL)
    for command in ("enable cop-lifecycle", "enable facilitators", "enable pulse", "run pulse"):
        cop.command(command)
    cop.command("signal Water prices rise | sharply", user="anna")
    cop.command("coalition add Waterschap Ingenieursbureau Joint sensor pilot", user="bram")
    cop.command("log My private worry about the budget", user="anna")
    for user, score in (("anna", 4), ("bram", 2), ("chidi", 5)):
        cop.command(f"vote 1 {score}", user=user)
    cop.advance(timedelta(days=2))


def _record(cop: Cop) -> dict[str, Any]:
    with cop.runtime.database.session() as session:
        return community_record(session, session.get_one(Community, cop.community_id), cop.clock.now())


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """What must survive a move (the export's own time and the server's ids aside)."""
    kept = {k: v for k, v in record.items() if k != "exported_at"}
    kept["community"] = {k: v for k, v in record["community"].items() if k != "created_at"}
    kept["facilitation"] = [{**a, "key": a["key"].split(":", 1)[-1]} for a in record["facilitation"]]
    return kept


def test_the_schema_is_a_valid_json_schema_naming_every_journal_kind() -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]["journal"]["items"]["properties"]["kind"]["enum"]) == {k.value for k in EntryKind}


def test_an_export_then_import_into_a_fresh_kring_restores_the_community(cop: Cop, tmp_path: Path) -> None:
    _lived_in(cop)
    record = _record(cop)
    assert problems_in(record) == []
    assert len(record["members"]) == 5 and len(record["meetings"]) == 14 and record["facilitation"]
    assert {e["kind"] for e in record["journal"]} >= {"signal", "coalition"} and record["digests"]
    [poll] = record["polls"]
    assert poll["anonymous"] and poll["results"]["votes"] == 3
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.upgrade()
    with fresh.session() as session:
        here = {k: v for k, v in current_catalog(cop.runtime.config).workflows.items() if k != "pulse"}
        community, missing = restore(session, json.loads(json.dumps(record)), here, cop.clock.now())
        assert missing == ["pulse"]  # a workflow the new server lacks: named, not invented
        again = community_record(session, community, cop.clock.now())
        ahead = session.scalar(sa.select(sa.func.count()).select_from(Timer).where(
            Timer.community_id == community.id, Timer.status == TimerStatus.PENDING))
    assert ahead and ahead >= 2 * 13  # the meetings still ahead start and end on the new server too
    expected = _comparable(record)
    expected["workflows"] = [w for w in expected["workflows"] if w["id"] != "pulse"]
    assert _comparable(again) == expected
    fresh.engine.dispose()


def test_an_export_holds_no_private_note_no_ballot_and_no_forgotten_name(cop: Cop) -> None:
    _lived_in(cop)
    with cop.runtime.database.session() as session:
        anna = session.scalars(sa.select(Member).where(Member.platform_user_id == "user-anna")).one()
        forget_member(session, anna, "Former member 2")
    shown = json.dumps(_record(cop), ensure_ascii=False)
    assert "My private worry" not in shown and "Anna" not in shown and "Former member 2" in shown
    assert "salt" not in shown and "ballot" not in shown and "test-secret-key" not in shown


def test_a_bad_document_is_refused_with_every_problem_and_nothing_written(cop: Cop) -> None:
    record = _record(cop)
    record["members"][0]["role"] = "boss"
    record["meetings"].append({"number": 0})
    added = len(record["meetings"]) - 1
    del record["community"]["timezone"]
    problems = problems_in(record)
    assert any(p.startswith("members/0/role: 'boss' is not one of") for p in problems)
    assert any(p.startswith(f"meetings/{added}: 'starts_at' is a required property") for p in problems)
    assert f"meetings/{added}/number: 0 is less than the minimum of 1" in problems
    assert any(p.startswith("community:") and "'timezone' is a required property" in p for p in problems)
    with cop.runtime.database.session() as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(Community))
        with pytest.raises(ImportRefused):
            restore(session, record, {}, cop.clock.now())
    with cop.runtime.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Community)) == before
    good = _record(cop)
    with cop.runtime.database.session() as session, pytest.raises(ImportRefused, match="already a Kring community"):
        restore(session, good, {}, cop.clock.now())  # the same group, on the same server


def test_csv_markdown_and_html_hold_the_record_with_member_text_escaped(cop: Cop, tmp_path: Path) -> None:
    _lived_in(cop)
    record = _record(cop)
    written = {path.name: path for form in ("csv", "md", "html") for path in WRITERS[form](record, tmp_path)}
    with written["members.csv"].open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [r["name"] for r in rows] == [m["name"] for m in record["members"]]
    assert {r["consent"] for r in rows} <= {"true", "false"}
    markdown = written["community.md"].read_text("utf-8")
    assert "Water prices rise \\| sharply" in markdown and "## meetings (14)" in markdown
    page = written["community.html"].read_text("utf-8")
    assert "<h2>journal (" in page and "My private worry" not in page


def test_organisers_download_the_record_from_their_pages(cop: Cop, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from tests.workflows.test_pages import sign_in

    monkeypatch.setattr(cop.runtime, "config", replace(cop.runtime.config, public_url="https://kring.example.org"))
    assert cop.client.get(f"/pages/{cop.community_id}/export.json").status_code == 403  # not signed in
    sign_in(cop)
    page = cop.client.get(f"/pages/{cop.community_id}/community").get_data(as_text=True)
    assert f'href="/pages/{cop.community_id}/export.json" download' in page
    download = cop.client.get(f"/pages/{cop.community_id}/export.json")
    assert download.mimetype == "application/json" and "attachment" in download.headers["Content-Disposition"]
    assert problems_in(download.get_json()) == []


def test_kring_export_and_import_on_the_command_line(process_env: dict[str, str], tmp_path: Path) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    added = run(["community", "add", "--platform", "mattermost", "--group", "chan-1", "--name", "CoP Lucht",
                 "--start", "2027-01-12"], process_env)
    assert added.returncode == 0, added.stderr
    for form in ("json", "csv", "md", "html"):
        done = run(["export", "--community", "1", "--format", form, "--out", str(tmp_path / form)], process_env)
        assert done.returncode == 0 and "wrote" in done.stdout, done.stderr
    document = tmp_path / "json" / "community.json"
    refused = run(["import", str(document)], process_env)  # the same group is a community here already
    assert refused.returncode == 2 and "nothing was written" in refused.stderr
    moved = json.loads(document.read_text("utf-8"))
    moved["community"]["group_id"] = "chan-2"
    document.write_text(json.dumps(moved), "utf-8")
    imported = run(["import", str(document)], process_env)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported community 2 (CoP Lucht): 0 members, 0 meetings")
    unknown = run(["export", "--community", "9", "--out", str(tmp_path)], process_env)
    assert unknown.returncode == 2 and "there is no community 9" in unknown.stderr
    for command in (["export", "--community", "99999999999"], ["community", "show", "99999999999"],
                    ["member", "list", "--community", "99999999999"]):  # no integer column holds it
        huge = run([*command, *(["--out", str(tmp_path)] if command[0] == "export" else [])], process_env)
        assert huge.returncode == 2 and "is not in the range 1<=x<=2147483647" in huge.stderr, huge.stderr
        assert "Traceback" not in huge.stderr
