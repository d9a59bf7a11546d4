"""The web tests' working folder: the demo (without its reports), made once per test
process, in this process (Django's settings are the process's) or behind a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

_READY: Path | None = None


def in_process() -> Path:
    """Django set up in this process on a demo working folder (database: DATABASE_URL when
    set, else SQLite in the folder)."""
    global _READY
    if _READY is None:
        from beautycity.web.server import prepare
        from beautycity.workspace import init_workspace

        folder = Path(tempfile.mkdtemp(prefix="bc-web-")) / "ws"
        init_workspace(folder, 2025)
        prepare(folder, "127.0.0.1", dev=False, demo=True, render=False)
        _READY = folder
    return _READY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE = """
import sys
from pathlib import Path
from beautycity.workspace import init_workspace
from beautycity.web.server import prepare, serve
folder = Path(sys.argv[1])
init_workspace(folder, 2025)
prepare(folder, "127.0.0.1", dev=False, demo=True, render=False)
serve("127.0.0.1", int(sys.argv[2]))
"""


class Live:
    """`serve` in a child process (waitress and its worker) on a fresh demo folder."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(folder), str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder.parent / "serve.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError((folder.parent / "serve.log").read_text(errors="replace"))

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)  # the server and its worker, started by this process
        self.process.wait(20)
