"""`kring digest render`: an operator writes a community's digest to files; nothing is archived or sent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from plugin.config import load_config
from plugin.engine.journal import EntryKind
from plugin.storage.database import Database
from plugin.storage.models import Digest, JournalEntry, OutboxMessage
from tests.support.cli import run


def test_render_a_digest_to_files(process_env: dict[str, str], tmp_path: Path) -> None:
    run(["db", "upgrade"], process_env)
    run(["community", "add", "--platform", "mattermost", "--group", "g1", "--name", "CoP Water", "--language", "nl",
         "--start", "2027-01-12"], process_env)
    run(["member", "add", "--community", "1", "--user", "u1", "--name", "Bram", "--organisation", "Waterschap"],
        process_env)
    out = tmp_path / "digest"
    result = run(["digest", "render", "--community", "1", "--org", "waterschap", "--out", str(out)], process_env)
    assert result.returncode == 0, result.stderr
    assert "Resultaten van CoP Water voor Waterschap" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["digest.html", "digest.md", "digest.txt"]  # no data: no charts
    assert (out / "digest.md").read_text("utf-8").startswith("#### Resultaten van CoP Water voor Waterschap")
    assert "1 deelnemer uit uw organisatie wordt niet bij naam genoemd" in (out / "digest.txt").read_text("utf-8")
    assert '<html lang="nl">' in (out / "digest.html").read_text("utf-8")
    with_pdf = run(["digest", "render", "--community", "1", "--org", "waterschap", "--pdf", "--out", str(out)],
                   process_env)
    assert with_pdf.returncode == 0, with_pdf.stderr
    assert (out / "digest.pdf").read_bytes().startswith(b"%PDF-")
    unknown = run(["digest", "render", "--community", "1", "--org", "Nowhere", "--out", str(out)], process_env)
    assert unknown.returncode == 1 and "'Nowhere' is not an organisation of CoP Water" in unknown.stderr
    no_meetings = run(["digest", "render", "--community", "1", "--meetings", "1-2", "--out", str(out)], process_env)
    assert no_meetings.returncode == 1
    assert "meetings 1-2: this community has no meetings planned yet" in no_meetings.stderr
    database = Database(load_config(process_env).database_url)
    with database.session() as session:  # rendering is not sending: nothing archived, nothing queued
        assert session.scalar(sa.select(sa.func.count()).select_from(Digest)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    database.dispose()


def test_render_since_the_last_digest_for_the_field_and_for_the_initiator(process_env: dict[str, str],
                                                                          tmp_path: Path) -> None:
    run(["db", "upgrade"], process_env)
    run(["community", "add", "--platform", "mattermost", "--group", "g1", "--name", "CoP Water", "--language", "en"],
        process_env)
    database = Database(load_config(process_env).database_url)
    with database.session() as session:  # a decision, then a field digest, then another decision
        for text, day in (("Invite the old expert", 1), ("Run the sensor pilot", 20)):
            session.add(JournalEntry(community_id=1, kind=EntryKind.DECISION, text=text, number=day,
                                     data={"agree": 3, "disagree": 0, "votes": 3, "adopted": True},
                                     created_at=datetime(2026, 11, day, 12, tzinfo=UTC)))
        session.add(Digest(community_id=1, audience="field", body="…", content={},
                           created_at=datetime(2026, 11, 10, tzinfo=UTC), period_start=None))
    database.dispose()

    def rendered(*options: str) -> str:
        result = run(["digest", "render", "--community", "1", *options, "--out", str(tmp_path / "out")], process_env)
        assert result.returncode == 0, result.stderr
        return (tmp_path / "out" / "digest.md").read_text("utf-8")

    since_last = rendered("--org", "field", "--since", "last")
    assert "Run the sensor pilot" in since_last and "Invite the old expert" not in since_last
    whole_run = rendered("--org", "field", "--since", "start")
    assert "Run the sensor pilot" in whole_run and "Invite the old expert" in whole_run
    initiator = rendered("--org", "initiator", "--since", "last")  # no digest for the initiator yet: all of it
    assert initiator.startswith("#### Results of CoP Water for the initiator") and "Invite the old expert" in initiator
