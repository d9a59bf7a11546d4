"""A throwaway PostgreSQL server for one test run: Debian's postgresql (initdb, pg_ctl) in a
temporary folder, on a free loopback port. As root, the cluster belongs to the `postgres`
system user (initdb refuses root)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from .workspace import free_port


def binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


class Postgres:
    def __init__(self) -> None:
        # Not under pytest's folder, which only its owner may enter: the server's user must.
        folder = self.folder = Path(tempfile.mkdtemp(prefix="bc-pg-"))
        bin_dir = binaries()
        assert bin_dir is not None
        self.bin, self.data, self.port = bin_dir, folder / "data", free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            folder.chmod(0o755)
            shutil.chown(folder, user="postgres")
        user = "postgres" if self.as_user else pwd.getpwuid(os.geteuid()).pw_name
        self._run("initdb", "-D", str(self.data), "-U", user, "-A", "trust", "--no-sync")
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(folder / "log"),
            "start",
            "-o",
            f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "beautycity")
        self.url = f"postgresql://{user}@127.0.0.1:{self.port}/beautycity"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args], check=True, capture_output=True
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
