"""`kring community sync`: a channel's users become members; channel admins become admins."""

from __future__ import annotations

from plugin.demo.standin import StandInPlatform
from tests.support.cli import run
from tests.support.payloads import CHANNEL_ID


def user(user_id: str, username: str, **extra: object) -> dict[str, object]:
    return {"id": user_id, "username": username, "first_name": "", "last_name": "", "nickname": "", **extra}


def test_sync_adds_members_and_admins(process_env: dict[str, str], platform: StandInPlatform) -> None:
    platform.channels[CHANNEL_ID] = [
        (user("u-anna", "anna", first_name="Anna", last_name="de Vries"), "channel_user channel_admin"),
        (user("u-bram", "bram", nickname="Bram J."), "channel_user"),
        (user("u-bot", "kring", is_bot=True), "channel_user"),
        *[(user(f"u-{n}", f"member{n}"), "channel_user") for n in range(70)],  # more than one page
    ]
    run(["db", "upgrade"], process_env)
    run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "CoP"], process_env)
    synced = run(["community", "sync", "1"], process_env)
    assert synced.returncode == 0, synced.stderr
    assert "72 member(s) added, 0 updated, 0 left the group" in synced.stdout
    again = run(["community", "sync", "1"], process_env)
    assert "0 member(s) added, 72 updated, 0 left the group" in again.stdout
    removed = platform.channels[CHANNEL_ID].pop()  # one leaves the channel: kept, but marked as left
    assert "0 member(s) added, 71 updated, 1 left the group" in run(["community", "sync", "1"], process_env).stdout
    platform.channels[CHANNEL_ID].append(removed)
    assert "72 updated, 0 left the group (kept with their contributions, no longer asked), 1 back." in run(
        ["community", "sync", "1"], process_env).stdout

    from sqlalchemy import create_engine, text

    engine = create_engine(process_env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT name, role FROM member WHERE platform_user_id IN "
                                            "('u-anna', 'u-bram')")).all())
    engine.dispose()
    assert rows == {"Anna de Vries": "admin", "Bram J.": "member"}
    assert run(["community", "sync", "9"], process_env).returncode == 1


def test_admins_named_by_username_are_looked_up(process_env: dict[str, str], platform: StandInPlatform) -> None:
    platform.mm_users["anna"] = "u-anna"
    run(["db", "upgrade"], process_env)
    added = run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "CoP",
                 "--admin", "@anna", "--admin", "u-bram"], process_env)
    assert added.returncode == 0, added.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(process_env["KRING_DATABASE_URL"])
    with engine.connect() as connection:
        rows = sorted(connection.execute(text("SELECT platform_user_id, username, name, role FROM member")).all())
    engine.dispose()
    assert [tuple(r) for r in rows] == [("u-anna", "anna", "anna", "admin"), ("u-bram", None, "u-bram", "admin")]
    unknown = run(["community", "add", "--platform", "mattermost", "--group", "other", "--name", "CoP 2",
                   "--admin", "@nobody"], process_env)
    assert unknown.returncode == 1 and "no mattermost user @nobody" in unknown.stderr
    assert "CoP 2" not in run(["community", "list"], process_env).stdout  # nothing half-made


def test_a_channel_named_by_team_and_channel_is_looked_up(process_env: dict[str, str],
                                                          platform: StandInPlatform) -> None:
    platform.mm_channels["cop-team/circulair-bouwen"] = CHANNEL_ID
    run(["db", "upgrade"], process_env)
    added = run(["community", "add", "--platform", "mattermost", "--group", "cop-team/circulair-bouwen",
                 "--name", "CoP Circulair"], process_env)
    assert added.returncode == 0, added.stderr
    assert f"linked to mattermost group {CHANNEL_ID}" in added.stdout
    assert f"mattermost\t{CHANNEL_ID}\t" in run(["community", "list"], process_env).stdout
    missing = run(["community", "add", "--platform", "mattermost", "--group", "cop-team/nowhere", "--name", "x"],
                  process_env)
    assert missing.returncode == 1 and "no Mattermost channel cop-team/nowhere" in missing.stderr


def test_a_user_name_written_with_capitals_is_looked_up_in_lower_case(process_env: dict[str, str],
                                                                       platform: StandInPlatform) -> None:
    platform.mm_users["anna"] = "u-anna"  # Mattermost keeps user names in lower case
    run(["db", "upgrade"], process_env)
    added = run(["community", "add", "--platform", "mattermost", "--group", CHANNEL_ID, "--name", "CoP",
                 "--admin", "@Anna"], process_env)
    assert added.returncode == 0, added.stderr
    assert "/api/v4/users/username/anna" in [r.path for r in platform.requests]
