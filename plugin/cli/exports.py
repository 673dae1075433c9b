"""`kring export` and `kring import`: a community's record out (an archive, a report) and back in (a move)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from plugin.cli.app import ROW_ID, CliContext, pass_context


@click.command("export", help="Write a community's whole record (no private notes, no secrets): JSON with a "
                              "JSON Schema for `kring import`, a CSV per table, or a Markdown or HTML report.")
@click.option("--community", "community_id", type=ROW_ID, required=True, help="Its id (`kring community list`).")
@click.option("--format", "form", type=click.Choice(["json", "csv", "md", "html"]), default="json", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="A folder to write into.")
@pass_context
def export(cli: CliContext, community_id: int, form: str, out: Path) -> None:
    from plugin.exports.formats import WRITERS
    from plugin.exports.record import community_record
    from plugin.storage.models import Community

    with cli.database.session() as session:
        community = session.get(Community, community_id)
        if community is None:
            raise click.UsageError(f"there is no community {community_id} (see `kring community list`)")
        record = community_record(session, community, cli.clock.now())
    out.mkdir(parents=True, exist_ok=True)
    for path in WRITERS[form](record, out):
        click.echo(f"wrote {path}")


@click.command("import", help="Restore a community from `kring export --format json` (a move between servers): "
                              "checked against the schema first, then written in one transaction.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def import_community(cli: CliContext, file: Path) -> None:
    from plugin.exports.restore import ImportRefused, restore
    from plugin.queue.unit_of_work import unit_of_work
    from plugin.workflows.catalog import current_catalog

    try:
        document = json.loads(file.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.UsageError(f"{file} is not a JSON document: {exc}") from exc
    runtime = cli.runtime()
    try:
        with unit_of_work(runtime) as session:
            community, missing = restore(session, document, current_catalog(runtime.config).workflows,
                                         runtime.clock.now())
            summary = (f"Imported community {community.id} ({community.name}): {len(document['members'])} members, "
                       f"{len(document['meetings'])} meetings, {len(document['journal'])} journal entries, "
                       f"{len(document['polls'])} polls, {len(document['digests'])} digests.")
    except ImportRefused as refused:
        click.echo(f"{file} was not imported; nothing was written:", err=True)
        for problem in refused.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(2)
    click.echo(summary)
    if missing:
        click.echo(f"Not enabled, this server has no such workflow: {', '.join(missing)} (see `kring validate`).")
