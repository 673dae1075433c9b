"""`kring community sync` on Discourse: the users of the community's member group; owners are admins."""

from __future__ import annotations

from plugin.demo.standin import StandInPlatform
from tests.support.cli import run


def test_sync_reads_the_member_group(process_env: dict[str, str], platform: StandInPlatform) -> None:
    platform.groups["cop-zorg"] = ([(1, "ilse", "Ilse Smit")], [(2, "kim", "Kim Nguyen"), (3, "lars", "")])
    run(["db", "upgrade"], process_env)
    run(["community", "add", "--platform", "discourse", "--group", "7", "--name", "CoP Zorg"], process_env)
    without = run(["community", "sync", "1"], process_env)
    assert without.returncode == 1 and "--member-group" in without.stderr
    run(["community", "add", "--platform", "discourse", "--group", "8", "--name", "CoP Zorg 2", "--member-group",
         "cop-zorg"], process_env)
    synced = run(["community", "sync", "2"], process_env)
    assert synced.returncode == 0, synced.stderr
    assert "3 member(s) added" in synced.stdout

    from sqlalchemy import create_engine, text

    engine = create_engine(process_env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = sorted(connection.execute(text("SELECT username, name, role FROM member WHERE community_id = 2")).all())
    engine.dispose()
    assert [tuple(r) for r in rows] == [("ilse", "Ilse Smit", "admin"), ("kim", "Kim Nguyen", "member"),
                                        ("lars", "lars", "member")]


def test_an_admin_named_by_username_is_looked_up(process_env: dict[str, str], platform: StandInPlatform) -> None:
    platform.users["ilse"] = {"id": 41, "username": "ilse", "name": "Ilse Smit"}
    run(["db", "upgrade"], process_env)
    added = run(["community", "add", "--platform", "discourse", "--group", "7", "--name", "CoP Zorg",
                 "--admin", "@ilse"], process_env)
    assert added.returncode == 0, added.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(process_env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT platform_user_id, username, name, role FROM member")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("41", "ilse", "Ilse Smit", "admin")]


def test_a_member_group_hidden_from_the_bot_is_said_so(process_env: dict[str, str], platform: StandInPlatform) -> None:
    platform.groups["cop-zorg"] = ([], [(2, "kim", "Kim Nguyen")])
    platform.hidden_groups.add("cop-zorg")  # the group's "Who can see members" leaves the bot out: 403
    run(["db", "upgrade"], process_env)
    run(["community", "add", "--platform", "discourse", "--group", "8", "--name", "CoP Zorg", "--member-group",
         "cop-zorg"], process_env)
    synced = run(["community", "sync", "1"], process_env)
    assert synced.returncode == 2 and "Traceback" not in synced.stderr
    assert "members of the Discourse group cop-zorg are hidden from Kring's bot" in synced.stderr
