"""What an operator inspects: the database schema, the effective configuration, the audit log."""

from __future__ import annotations

import json
import sys

import click

from plugin.cli.app import ROW_ID, CliContext, pass_context
from plugin.platforms.registry import CONNECTORS
from plugin.runtime import sealer_for


@click.group(help="Database schema: migrate and inspect.")
def db() -> None:
    pass


@db.command(help="Create or migrate the database schema to this version of Kring.")
@pass_context
def upgrade(cli: CliContext) -> None:
    from plugin.storage.database import Database

    database = Database(cli.config.database_url)
    before = database.current_revision()
    database.upgrade(sealer=sealer_for(cli.config), secret_key=cli.config.secret_key)
    after = database.current_revision()
    click.echo(f"Database {database.display_url}: {before or 'empty'} -> {after}")


@db.command(help="Show the schema revision of the database and the one this Kring needs.")
@pass_context
def status(cli: CliContext) -> None:
    from plugin.storage.database import Database

    database = Database(cli.config.database_url)
    current, head = database.current_revision(), database.head_revision()
    click.echo(f"Database {database.display_url}: at {current or 'empty'}, needs {head}"
               + ("" if current == head else " - run `kring db upgrade`"))
    if current != head:
        sys.exit(1)


@click.command("config", help="Print the effective configuration (secrets masked).")
@pass_context
def show_config(cli: CliContext) -> None:
    rows = cli.config.described()
    width = max(len(variable) for variable, _ in rows)
    for variable, value in rows:
        click.echo(f"{variable.ljust(width)}  {value}")


@click.command("audit", help="Show the latest admin actions (enable, disable, run, cancel).")
@click.option("--community", "community_id", type=ROW_ID, default=None, help="Only this community.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@pass_context
def audit(cli: CliContext, community_id: int | None, limit: int) -> None:
    from plugin.storage.audit import recent

    with cli.database.session() as session:
        entries = recent(session, community_id, limit)
        if not entries:
            click.echo("No admin actions recorded yet.")
        for entry in entries:
            click.echo(f"{entry.at:%Y-%m-%d %H:%M:%S} community {entry.community_id or '-'} {entry.actor} "
                       f"{entry.action} {json.dumps(entry.details, ensure_ascii=False)}")


@click.command("runs", help="Show the latest workflow runs, with the whole error of those that failed.")
@click.option("--community", "community_id", type=ROW_ID, default=None, help="Only this community.")
@click.option("--failed", is_flag=True, help="Only runs that stopped on an error.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@pass_context
def runs(cli: CliContext, community_id: int | None, failed: bool, limit: int) -> None:
    from plugin.workflows.runs import recent_runs

    with cli.database.session() as session:
        rows = recent_runs(session, community_id, limit, failed_only=failed)
        if not rows:
            click.echo("No workflow runs" + (" failed." if failed else " yet."))
        for run, workflow_id in rows:
            click.echo(f"run {run.id} community {run.community_id} {workflow_id} {run.status.value} "
                       f"started {run.started_at:%Y-%m-%d %H:%M} ({run.trigger})")
            if run.error:
                click.echo("    " + run.error.replace("\n", "\n    "))


@click.command("manifest", help="Write manifest.json from the command, connector and settings registries.")
@click.option("--check", is_flag=True, help="Only check that manifest.json is up to date (exit 1 when it is not).")
def manifest(check: bool) -> None:
    from plugin import manifest_build
    from plugin.manifest import MANIFEST_PATH

    if check:
        current = MANIFEST_PATH.read_text(encoding="utf-8") == manifest_build.rendered()
        click.echo(f"{MANIFEST_PATH} is {'up to date' if current else 'out of date: run `kring manifest`'}")
        sys.exit(0 if current else 1)
    changed = manifest_build.write()
    click.echo(f"{MANIFEST_PATH} {'written' if changed else 'was up to date'}")


#: How each status is shown.
MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


@click.command("doctor", help="Check what keeps Kring from working on a platform; exit 1 when something blocks it.")
@click.argument("platform", type=click.Choice(sorted(CONNECTORS)))
@click.option("--token", "admin_token", default=None,
              help="Also check what only an admin may read: a Mattermost system admin's token (the settings, the "
                   "command) or a Discourse admin API key (the web hook, the site settings).")
@click.option("--ws-url", default=None, help="Default: the platform's own real-time address.")
@pass_context
def doctor(cli: CliContext, platform: str, admin_token: str | None, ws_url: str | None) -> None:
    from plugin.queue.redis_checks import redis_checks

    runtime = cli.runtime()
    checks = runtime.connector(platform).diagnose(runtime.database, admin_token, ws_url)
    checks += redis_checks(runtime.redis, runtime.redis_url, embedded=runtime.config.redis_url is None)
    for check in checks:
        click.echo(f"{MARKS[check.status]}  {check.found}" + (f"\n      fix: {check.fix}" if check.fix else ""))
    failed = sum(check.status == "fail" for check in checks)
    click.echo(f"{len(checks)} checks, {failed} blocking Kring")
    if failed:
        sys.exit(1)


@click.group(help="KRING_SECRET_KEY: rotate it.")
def secrets() -> None:
    """The key rotation commands."""


@secrets.command(help="After setting a new KRING_SECRET_KEY (the old one in KRING_PREVIOUS_SECRET_KEYS): seal the "
                      "stored credentials again with the new key, and say from when the old one is no longer needed.")
@pass_context
def rotate(cli: CliContext) -> None:
    from plugin.runtime import sealer_for
    from plugin.storage import installations, outbox

    with cli.database.session() as session:
        count = installations.reseal_all(session, sealer_for(cli.config))
        latest = outbox.latest_button_expiry(session)
    click.echo(f"{count} stored credential(s) sealed again with the current KRING_SECRET_KEY.")
    if not cli.config.previous_secret_keys:
        return
    now = cli.clock.now()
    if latest is None or latest <= now:
        click.echo("No button signed with an earlier key still works: KRING_PREVIOUS_SECRET_KEYS can be removed now.")
    else:
        click.echo(f"Buttons signed with an earlier key work until {latest.isoformat(timespec='minutes')}: remove "
                   "KRING_PREVIOUS_SECRET_KEYS after that (a click after it is refused as expired anyway).")
