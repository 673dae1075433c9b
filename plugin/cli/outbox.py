"""`kring outbox list|retry`: the messages that did not reach a platform, and sending them again."""

from __future__ import annotations

import sys

import click

from plugin.cli.app import ROW_ID, CliContext, pass_context


@click.group(help="Messages Kring could not deliver: list them, and send given-up ones again.")
def outbox() -> None:
    pass


@outbox.command("list", help="Messages being tried again or given up (newest first), with the last error.")
@click.option("--community", "community_id", type=ROW_ID, default=None, help="Only this community.")
@pass_context
def list_undelivered(cli: CliContext, community_id: int | None) -> None:
    from plugin.storage.undelivered import undelivered

    with cli.database.session() as session:
        found = undelivered(session, community_id)
    if not found:
        click.echo("Every message was delivered.")
    for item in found:
        when = f", next attempt {item.next_attempt_at:%Y-%m-%d %H:%M} UTC" if item.next_attempt_at else ""
        click.echo(f"message {item.message_id} community {item.community_id or '?'} {item.operation} to {item.target}: "
                   f"{item.state} after {item.attempts} attempt(s){when}")
        click.echo(f"    {item.error}")


@outbox.command(help="Send given-up messages again: the ids given, or with --failed all of them.")
@click.argument("message_ids", nargs=-1, type=ROW_ID)
@click.option("--failed", "all_failed", is_flag=True, help="Every given-up message (of --community).")
@click.option("--community", "community_id", type=ROW_ID, default=None, help="With --failed: only this community.")
@pass_context
def retry(cli: CliContext, message_ids: tuple[int, ...], all_failed: bool, community_id: int | None) -> None:
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.storage import undelivered

    if bool(message_ids) == all_failed:
        raise click.UsageError("give message ids, or --failed (see `kring outbox list`)")
    runtime = cli.runtime()
    with unit_of_work(runtime) as session:
        wanted = list(message_ids) or undelivered.failed_ids(session, community_id)
        queued = undelivered.retry(session, wanted, runtime.clock.now())
    skipped = sorted(set(wanted) - set(queued))
    click.echo(f"Queued again: {', '.join(map(str, queued)) or 'none'}." + (
        f" Not given up (or unknown), left as they are: {', '.join(map(str, skipped))}." if skipped else ""))
    if queued:
        click.echo("A worker tries each once more now; `kring outbox list` shows any that fail again.")
    if skipped and not queued:
        sys.exit(1)
