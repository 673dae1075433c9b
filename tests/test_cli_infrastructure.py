"""What Kring stands on failing — the database unreachable, a driver not installed, Redis unreachable —
is one line on every command that needs it, naming where and what to check; never a traceback. And a
command that works says nothing about the migration library it checks the schema with."""

from __future__ import annotations

import pytest

from tests.support.cli import run
from tests.support.services import free_port

DOWN_DATABASE = "postgresql://kring:hunter2-password@127.0.0.1:{port}/kring"


@pytest.mark.parametrize("argv", [["db", "upgrade"], ["serve", "--port", "0"], ["worker", "--burst"],
                                  ["community", "list"], ["doctor", "mattermost"]])
def test_an_unreachable_database_is_one_line_with_its_address(process_env: dict[str, str], argv: list[str]) -> None:
    port = free_port()  # nothing listens there
    result = run(argv, {**process_env, "KRING_DATABASE_URL": DOWN_DATABASE.format(port=port)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("kring: ")]
    assert f"the database postgresql+psycopg://kring:***@127.0.0.1:{port}/kring is unreachable" in line
    assert "Check KRING_DATABASE_URL" in line and "hunter2" not in result.stderr


def test_a_driver_that_is_not_installed_is_named(process_env: dict[str, str]) -> None:
    result = run(["db", "upgrade"], {**process_env, "KRING_DATABASE_URL": "mysql://kring@127.0.0.1/kring"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "kring: no database driver for mysql:// (No module named 'MySQLdb')" in result.stderr


def test_an_unreachable_redis_is_one_line_with_its_address(process_env: dict[str, str]) -> None:
    assert run(["db", "upgrade"], process_env).returncode == 0
    port = free_port()
    result = run(["worker", "--burst"], {**process_env, "KRING_REDIS_URL": f"redis://:s3cret@127.0.0.1:{port}/0"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"kring: Redis at redis://:***@127.0.0.1:{port}/0 is unreachable" in result.stderr
    assert "Check KRING_REDIS_URL" in result.stderr and "s3cret" not in result.stderr


def test_commands_that_check_the_schema_say_nothing_about_alembic(process_env: dict[str, str]) -> None:
    upgraded = run(["db", "upgrade"], process_env)
    assert upgraded.returncode == 0 and "-> " in upgraded.stdout  # its own summary
    listed = run(["community", "list"], process_env)
    assert listed.returncode == 0, listed.stderr
    assert "alembic" not in listed.stderr + upgraded.stderr
    # Alembic's own lines do show at DEBUG while migrating; checking the schema does not use Alembic at all.
    debug = {**process_env, "KRING_LOG_LEVEL": "DEBUG"}
    assert "alembic" in run(["db", "upgrade"], debug).stderr
    assert "alembic" not in run(["community", "list"], debug).stderr
