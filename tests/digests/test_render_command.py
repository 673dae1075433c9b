"""`kring digest render`: an operator writes a community's digest to files; nothing is archived or sent."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from plugin.config import load_config
from plugin.storage.database import Database
from plugin.storage.models import Digest, OutboxMessage
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
    assert "1 deelnemer(s) uit uw organisatie worden niet bij naam genoemd" in (out / "digest.txt").read_text("utf-8")
    assert '<html lang="nl">' in (out / "digest.html").read_text("utf-8")
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
