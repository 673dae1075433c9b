"""Trying workflows without a platform: `kring validate`, `kring simulate` and `kring demo`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plugin.config import load_config

if TYPE_CHECKING:
    from plugin.simulation import Progress


@click.command(help="Check workflow files (default: the built-in ones and KRING_WORKFLOW_PATH).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(paths: tuple[Path, ...], output: str) -> None:
    from plugin.engine.loader import load_catalog
    from plugin.workflows.catalog import catalog_paths

    catalog = load_catalog(list(paths) or catalog_paths(load_config()))
    if output == "json":
        click.echo(json.dumps({"valid": sorted(catalog.workflows), "problems": [p.as_dict() for p in
                                                                                catalog.problems]}, indent=2))
    else:
        for problem in catalog.problems:
            click.echo(str(problem))
        click.echo(f"{len(catalog.workflows)} valid workflow(s), {len(catalog.problems)} problem(s)")
    if catalog.problems:
        sys.exit(1)


def _workflow_ids(workflows: tuple[str, ...]) -> tuple[list[str], list[Path]]:
    """Workflow ids, and the folders of those given as files."""
    from plugin.engine.loader import load_workflow

    ids, folders = [], []
    for item in workflows:
        path = Path(item)
        if path.suffix in (".yaml", ".yml") and path.is_file():
            workflow, problems = load_workflow(path.read_text(encoding="utf-8"), str(path))
            if workflow is None:
                raise click.ClickException("\n".join(str(p) for p in problems))
            ids.append(workflow.id)
            folders.append(path.resolve().parent)
        else:
            ids.append(item)
    return ids, sorted(set(folders))


def _progress_printer() -> Callable[[Progress], None]:
    """Progress on stderr: a bar redrawn in place on a terminal, else one line per meeting held."""
    terminal = sys.stderr.isatty()
    shown = {"meetings": -1}

    def show(progress: Progress) -> None:
        where = (f"meeting {progress.meetings_held} of {progress.meetings_planned}" if progress.meetings_planned
                 else f"{progress.done:.0%}")
        if terminal:
            filled = round(progress.done * 30)
            click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {progress.day:%Y-%m-%d}  {where}   ", nl=False,
                       err=True)
            if progress.done >= 1:
                click.echo("", err=True)
        elif progress.meetings_held != shown["meetings"] or progress.done >= 1:
            shown["meetings"] = progress.meetings_held
            click.echo(f"simulating: {progress.day:%Y-%m-%d}, {where}", err=True)

    return show


@click.command(help="Run workflows for a simulated community on a virtual clock and write a transcript.")
@click.argument("workflows", nargs=-1, required=True)
@click.option("--community", "community_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file describing the community, its members and what they type "
                   "(default: the demo's CoP Circulair Bouwen, 20 members from 8 organisations).")
@click.option("--months", type=click.IntRange(1, 120), default=None, help="Default: the community's run length.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("simulation"),
              show_default=True, help="Folder for transcript.json and transcript.txt.")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the simulated installation (its database) in this new folder, to look at with "
                   "KRING_HOME=… kring commands.")
def simulate(workflows: tuple[str, ...], community_file: Path | None, months: int | None, out: Path,
             home: Path | None) -> None:
    from plugin.simulation import DEMO_COMMUNITY
    from plugin.simulation import simulate as run_simulation

    ids, folders = _workflow_ids(workflows)
    summary = run_simulation(ids, community_file or DEMO_COMMUNITY, months, out, folders,
                             progress=_progress_printer(), home=home.resolve() if home else None)
    click.echo(f"Simulated {', '.join(ids)} for {summary['community']} ({summary['members']} members) in "
               f"{summary['seconds']} s: {summary['entries']} transcript entries {summary['by_kind']}.")
    click.echo(f"Transcript: {out / 'transcript.txt'} (per meeting, with contents), {out / 'transcript.html'} "
               f"and {out / 'transcript.json'}")
    if home is not None:
        click.echo(f"Kept in {home}: KRING_HOME={home} kring community list, then "
                   f"KRING_HOME={home} kring digest render --community 1 --org field")
    click.echo("Next: read the transcript as the members would have seen it; to try a workflow for real, "
               "enable it in a channel or category (README: From install to the first meeting).")
    if summary["failed_runs"]:
        raise click.ClickException(f"{len(summary['failed_runs'])} run(s) failed:\n" + "\n".join(
            summary["failed_runs"]))


@click.command(help="A guided tour, with no configuration: a scripted exchange through the real HTTP app and "
                    "worker, then the whole toolbox in a simulated CoP of 20 members on a virtual clock.")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the demo's data here (default: a temporary directory).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="en", show_default=True)
@click.option("--meetings", type=click.IntRange(0, 40), default=12, show_default=True,
              help="Meetings in the simulated CoP of part 2 (0 skips it).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep part 2's transcript (transcript.txt, transcript.json) in this folder.")
def demo(home: Path | None, language: str, meetings: int, out: Path | None) -> None:
    from plugin.demo.toolbox_tour import run_toolbox_tour
    from plugin.demo.tour import run_tour

    run_tour(home=home, language=language, echo=click.echo)
    if meetings:
        run_toolbox_tour(language, click.echo, meetings, out)
