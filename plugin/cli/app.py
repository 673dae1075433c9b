"""The `kring` group, its error handling, and the context every command receives."""

from __future__ import annotations

import atexit
import os
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import click

from plugin import __version__
from plugin.cli.infrastructure import describe
from plugin.clock import Clock, SystemClock
from plugin.config import Config, load_config, unknown_variables
from plugin.errors import ConfigError, KringError
from plugin.logs import configure_logging
from plugin.platforms.connector import Connector
from plugin.platforms.registry import build_connectors
from plugin.runtime import Runtime, build_runtime, sealer_for, signer_for
from plugin.storage.database import Database
from plugin.storage.installations import load_all
from plugin.storage.numbers import MAX_INT

EXIT_USAGE = 2


#: How `kring --help` groups the commands, in the order an operator meets them.
#: A community's, member's or message's id as typed: a number the database can hold (a larger one gets
#: one line from click, not the database's error).
ROW_ID = click.IntRange(1, MAX_INT)

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Start here", ("demo", "simulate", "validate")),
    ("Run Kring", ("db", "serve", "worker", "listen", "install", "uninstall", "doctor")),
    ("Communities", ("community", "member", "digest", "runs", "export", "import")),
    ("Operations", ("outbox", "audit", "config", "secrets", "manifest")),
)


class KringGroup(click.Group):
    """Turns Kring's own errors into one clear message and exit code 2, without a traceback; lists its
    commands in sections."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = set(self.list_commands(ctx))
        sections = [(title, [n for n in names if n in listed]) for title, names in SECTIONS]
        rest = sorted(listed - {n for _, names in sections for n in names})
        for title, names in [*sections, ("Other", rest)]:
            rows = [(name, self.commands[name].get_short_help_str(limit=formatter.width - 16)) for name in names]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo("kring: invalid configuration:", err=True)
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(EXIT_USAGE)
        except KringError as exc:
            click.echo(f"kring: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except Exception as exc:
            line = describe(exc, *_addresses(ctx))
            if line is None:
                raise
            click.echo(f"kring: {line}", err=True)
            sys.exit(EXIT_USAGE)


def _addresses(ctx: click.Context) -> tuple[str | None, str | None]:
    """The database and Redis URLs, if the configuration was read."""
    cli = ctx.find_object(CliContext)
    config = cli.__dict__.get("config") if cli is not None else None
    return (config.database_url, config.redis_url) if config is not None else (None, None)


@dataclass
class CliContext:
    """What commands share, made when first asked for (as Flask's ``ScriptInfo``): the configuration,
    the database and the clock."""

    clock: Clock

    @cached_property
    def config(self) -> Config:
        config = load_config()
        configure_logging(config.log_level, config.log_format)
        for warning in unknown_variables(os.environ):
            click.echo(f"kring: warning: {warning}", err=True)
        return config

    @cached_property
    def database(self) -> Database:
        """The database, migrated to this version of Kring."""
        database = Database(self.config.database_url)
        database.ensure_migrated()
        return database

    @cached_property
    def connectors(self) -> dict[str, Connector]:
        """One connector per platform with the configured or installed credentials, for name look-ups."""
        config = self.config
        return build_connectors(config, load_all(self.database, sealer_for(config)), signer_for(config), self.clock)

    def runtime(self, for_worker: bool = False) -> Runtime:
        """A migrated runtime whose connections close at exit, before an embedded Redis decides whether
        it is still in use (it stops when its last client leaves)."""
        runtime = build_runtime(self.config, clock=self.clock, for_worker=for_worker)
        atexit.register(runtime.close)
        runtime.database.ensure_migrated()
        return runtime


pass_context = click.make_pass_decorator(CliContext)


@click.group(cls=KringGroup, help="Kring: a Community of Practice toolbox inside Mattermost and Discourse.",
             epilog="New here? `kring demo` shows the whole toolbox in a minute, with no configuration. To install: "
                    "`kring db upgrade`, then `kring serve` and `kring worker`, then `kring install mattermost` or "
                    "`kring install discourse` (README: From install to the first meeting).")
@click.version_option(__version__, prog_name="kring")
@click.pass_context
def main(ctx: click.Context) -> None:
    ctx.obj = CliContext(SystemClock())
