"""The long-running processes: `kring serve`, `kring worker` and `kring listen`."""

from __future__ import annotations

import logging
import signal
import socket
import sys

import click

from plugin import __version__
from plugin.cli.app import CliContext, pass_context
from plugin.platforms.registry import CONNECTORS


@click.command(help="Serve the webhook endpoints over HTTP (waitress), in one process or several.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Request threads per process.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Web processes sharing the port (one or two per core); one that dies is replaced.")
@pass_context
def serve(cli: CliContext, host: str, port: int, threads: int, processes: int) -> None:
    from plugin.cli.prefork import Supervisor, listening_socket

    database = cli.database  # reachable and migrated, or one line and exit 2, before any process starts
    display_url = database.display_url
    database.dispose()  # each process opens its own connections
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Kring {__version__} listening on http://{shown}:{bound_port} "
               f"({processes} process{'es' if processes > 1 else ''}, database {display_url})")
    if processes == 1:
        # Exit normally on SIGTERM so clean-up (the embedded Redis) runs.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        _serve_on(cli, sock, threads)
        return
    sys.exit(Supervisor(sock, processes, lambda shared: _serve_on(cli, shared, threads)).run())


def _serve_on(cli: CliContext, sock: socket.socket, threads: int) -> None:
    import waitress

    from webhooks import create_app
    from webhooks.metrics import RequestIdFilter

    runtime = cli.runtime()
    for handler in logging.getLogger().handlers:
        handler.addFilter(RequestIdFilter())
    try:
        # waitress refuses a larger body itself, before spooling it to disk (Flask's limit comes after that).
        waitress.serve(create_app(runtime=runtime), sockets=[sock], threads=threads, ident="Kring",
                       max_request_body_size=runtime.config.max_body_bytes)
    finally:
        runtime.close()


@click.command(help="Run the background worker: RQ jobs plus the sweeper that queues due work.")
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
@pass_context
def worker(cli: CliContext, burst: bool) -> None:
    from plugin.queue.jobs import use_runtime
    from plugin.queue.sweeper import Sweeper, sweep_once
    from plugin.queue.worker import worker_for

    runtime = cli.runtime(for_worker=True)
    use_runtime(runtime)
    config = runtime.config
    click.echo(f"Kring worker on queue {config.queue_name!r} (database {runtime.database.display_url})")
    rq_worker = worker_for(runtime)
    if burst:
        sweep_once(runtime)
        rq_worker.work(burst=True, logging_level=config.log_level)
        return
    sweeper = Sweeper(runtime, config.sweep_interval)
    sweeper.start()
    try:
        rq_worker.work(logging_level=config.log_level)
    finally:
        sweeper.stop()


@click.command(help="Hear a platform beyond its webhooks (Mattermost: posts, replies in private channels and joins "
                    "over the bot's WebSocket; Discourse: posts made while no webhook reached Kring).")
@click.argument("platform", type=click.Choice(sorted(CONNECTORS)))
@click.option("--ws-url", default=None, help="Default: the platform's own real-time address.")
@pass_context
def listen(cli: CliContext, platform: str, ws_url: str | None) -> None:
    from plugin.errors import KringError
    from plugin.intake import take

    runtime = cli.runtime()
    connector = runtime.connector(platform)
    try:
        listener = connector.listener(runtime.database, lambda received: take(runtime, received), ws_url)
    except KringError as exc:
        raise click.ClickException(str(exc)) from exc
    if listener is None:
        raise click.ClickException(f"{connector.title} sends Kring everything by webhook; it has nothing to listen to")
    signal.signal(signal.SIGTERM, lambda *_: listener.stop())
    click.echo(f"Listening to {listener.address}")
    try:
        listener.run()
    except KeyboardInterrupt:
        listener.stop()
