"""The `kring` command line: one module per command group, each command thin (no business logic)."""

from __future__ import annotations

from plugin.cli.app import main
from plugin.cli.communities import community
from plugin.cli.digest import digest
from plugin.cli.exports import export, import_community
from plugin.cli.install import install, uninstall
from plugin.cli.members import member
from plugin.cli.operations import audit, db, doctor, manifest, runs, secrets, show_config
from plugin.cli.outbox import outbox
from plugin.cli.processes import listen, serve, worker
from plugin.cli.tryout import demo, simulate, validate

for command in (serve, worker, listen, db, show_config, community, member, audit, runs, validate, simulate, install,
                uninstall, digest, demo, manifest, doctor, secrets, outbox, export, import_community):
    main.add_command(command)

__all__ = ["main"]
