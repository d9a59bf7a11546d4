"""What `beautycity serve` runs: the database brought up to date, the demo when asked, the
task queue's worker as a child process, and waitress serving the application. One command
runs everything, on Linux and on Windows."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ..problems import BeautycityError, Location


def loopback(host: str) -> bool:
    try:
        return all(
            ipaddress.ip_address(a[4][0]).is_loopback for a in socket.getaddrinfo(host, None)
        )
    except (OSError, ValueError):
        return False


def environment(workspace: Path, host: str, dev: bool) -> dict[str, str]:
    """The variables the settings read (see beautycity/web/settings.py)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "beautycity.web.settings",
        "BEAUTYCITY_WORKSPACE": str(workspace),
        "BEAUTYCITY_HOSTS": ",".join(dict.fromkeys([host, "127.0.0.1", "localhost"])),
    }
    if dev:
        env["BEAUTYCITY_DEV"] = "1"
    return env


DEMO_YEAR = 2025  # the demo's open year; the sample's years before it are published


def prepare(workspace: Path | None, host: str, dev: bool, demo: bool, render: bool = True) -> Path:
    """Set the environment, start Django, migrate; with `demo`, a new working folder (unless
    `workspace` names a new one made by `init`) with the demo loaded. Returns the folder."""
    if demo and not loopback(host):
        raise BeautycityError.single("server.demo-not-loopback", Location(path="--host"), host=host)
    if workspace is None:
        from ..workspace import init_workspace

        # Always a new folder: the demo never writes into a real working folder.
        workspace = Path(tempfile.mkdtemp(prefix="beautycity-demo-")) / "workspace"
        init_workspace(workspace, DEMO_YEAR)
    os.environ.update(environment(workspace, host, dev))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        from .demo import seed

        seed(render=render)
    return workspace


def worker(env: dict[str, str] | None = None) -> subprocess.Popen:
    """The task queue's worker, polling the database every second."""
    command = [sys.executable, "-m", "beautycity.web.manage", "db_worker", "--interval", "1"]
    server = {"BEAUTYCITY_SERVER_PID": str(os.getpid())}
    return subprocess.Popen(command, env={**os.environ, **(env or {}), **server})


def serve(host: str, port: int, ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted; the worker stops with the server."""
    from django.conf import settings
    from waitress.server import create_server

    from .jobs import interrupted
    from .wsgi import application

    interrupted()  # left by a server that was killed
    child = worker()
    stop = threading.Event()

    def supervise() -> None:  # a worker that dies is replaced, its job told as interrupted
        nonlocal child
        while not stop.wait(2):
            if child.poll() is not None:
                interrupted()
                child = worker()

    threading.Thread(target=supervise, daemon=True).start()
    server = create_server(
        application,
        host=host,
        port=port,
        threads=8,
        channel_timeout=120,
        # A request over this is refused by waitress before Django reads any of it.
        max_request_body_size=settings.MAX_REQUEST,
    )
    if ready:
        ready()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        child.terminate()
        child.wait(10)
