"""`kring serve --processes N`: N forked web processes accepting on one listening socket (the kernel
spreads the connections), each making its own database pool and Redis connection after the fork. The
parent only supervises: a process that dies is replaced, SIGTERM or SIGINT stops them all."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import NoReturn

import click

#: A process that ends this soon after it started failed at start (a bad setting, say), not at work.
QUICK_DEATH_SECONDS = 2.0
#: After this many quick deaths in a row the supervisor gives up instead of restarting for ever.
QUICK_DEATHS_ALLOWED = 5
#: How long the processes have to finish their requests once asked to stop.
STOP_SECONDS = 10.0


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket every process accepts on, bound before the fork (port 0: the system picks one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


class Supervisor:
    """Keeps ``count`` processes running ``serve(sock)`` until asked to stop."""

    def __init__(self, sock: socket.socket, count: int, serve: Callable[[socket.socket], None]) -> None:
        self.sock, self.count, self.serve = sock, count, serve
        self.children: dict[int, float] = {}  # pid -> when it started
        self.stopping = False

    def run(self) -> int:
        """Supervise until stopped; 0 after a requested stop, 1 when the processes keep failing at start."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        quick_deaths, code = 0, 0
        for _ in range(self.count):
            self._spawn()
        while self.children and not self.stopping:
            pid, status = os.waitpid(-1, 0)  # a stop signal lets it return when a stopped process ends
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_SECONDS else 0
            if quick_deaths >= QUICK_DEATHS_ALLOWED:
                click.echo(f"kring: the web processes keep ending at start ({_describe(status)}); see above. "
                           "Stopping.", err=True)
                self._stop()
                code = 1
                break
            click.echo(f"kring: web process {pid} ended ({_describe(status)}); starting another", err=True)
            self._spawn()
        self._reap()
        return code

    def _spawn(self) -> None:
        pid = os.fork()
        if pid == 0:
            self._child()
        self.children[pid] = time.monotonic()

    def _child(self) -> NoReturn:
        """Serve until SIGTERM; never return into the parent's code (hence ``os._exit``)."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C goes to the parent, which stops us
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        code = 0
        try:
            self.serve(self.sock)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except BaseException as exc:  # one line, then the supervisor decides
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(f"kring: web process {os.getpid()} failed: {exc} ({frame.filename}:{frame.lineno})", err=True)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

    def _stop(self, *_: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _reap(self) -> None:
        """Wait for the stopped processes; kill those still running after ``STOP_SECONDS``."""
        deadline = time.monotonic() + STOP_SECONDS
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    self.children.pop(pid)
            time.sleep(0.05)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.children.clear()
