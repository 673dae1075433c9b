"""`kring digest render`: a community's digest as files, for operators (nothing is archived or sent)."""

from __future__ import annotations

from pathlib import Path

import click

from plugin.cli.app import ROW_ID, CliContext, pass_context


@click.group(help="Result digests: render one to files.")
def digest() -> None:
    pass


@digest.command("render", help="Write digest.md, digest.html (charts inline), digest.txt and the charts as PNG "
                                "(and, with --pdf, digest.pdf).")
@click.option("--community", "community_id", type=ROW_ID, required=True, help="Community id (`kring community list`).")
@click.option("--org", "--audience", "audience", default="field", show_default=True,
              help="A home organisation's name, field or initiator.")
@click.option("--since", type=click.Choice(["start", "last"]), default="start", show_default=True,
              help="The whole run, or since the last digest sent to this audience.")
@click.option("--meetings", default=None, help="A range of meetings instead, e.g. 4-6.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("digest"), show_default=True)
@click.option("--pdf", is_flag=True, help="Also digest.pdf, to forward (needs pip install 'kring[pdf]').")
@pass_context
def render_digest(cli: CliContext, community_id: int, audience: str, since: str, meetings: str | None,
                  out: Path, pdf: bool) -> None:
    from plugin.digests.charts import all_charts
    from plugin.digests.content import community_now, gather
    from plugin.digests.dispatch import audience_named
    from plugin.digests.render import render
    from plugin.engine.values import parse_range
    from plugin.storage.models import Community

    with cli.database.session() as session:
        community = session.get(Community, community_id)
        if community is None:
            raise click.ClickException(f"there is no community {community_id}; see `kring community list`")
        named = audience_named(session, community, audience)
        if named is None:
            raise click.ClickException(f"{audience!r} is not an organisation of {community.name}")
        try:
            content = gather(session, community, named, since, community_now(session, community, cli.clock.now()),
                             parse_range(meetings) if meetings else None)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    charts = all_charts(content)
    rendered = render(content, charts)
    out.mkdir(parents=True, exist_ok=True)
    (out / "digest.md").write_text(rendered.markdown, encoding="utf-8")
    (out / "digest.html").write_text(rendered.html, encoding="utf-8")
    (out / "digest.txt").write_text(rendered.text, encoding="utf-8")
    for name, png in charts.items():
        (out / f"{name}.png").write_bytes(png)
    if pdf:
        from plugin.digests.pdf import PdfUnavailable, as_pdf

        try:
            (out / "digest.pdf").write_bytes(as_pdf(rendered.html))
        except PdfUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{rendered.subject}: {', '.join(sorted(p.name for p in out.iterdir()))} in {out}")
