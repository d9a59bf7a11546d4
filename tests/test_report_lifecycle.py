"""A killed `report` leaves nothing behind: its workers end with it, and the next run removes
the temporary folder it left. Linux only: processes are found through /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beautycity.io.processes import clean_stale
from beautycity.pipeline import score_submissions
from beautycity.report.render import RUN_FOLDER

from .test_score import filled

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="processes seen in /proc"),
]
WAIT = 60  # seconds for the workers to start, and then to be gone


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def until(condition, seconds: float = WAIT):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    return condition()


def report(results: Path, out: Path, tmp: Path, jobs: int = 2) -> subprocess.Popen:
    # Two unit reports rendered by `jobs` workers; temporary folders in a folder of the test's.
    args = ["report", str(results), "-o", str(out), "--jobs", str(jobs)]
    args += ["--city", "changchun", "--city", "jilin"]
    env = {**os.environ, "TMPDIR": str(tmp)}
    command = [sys.executable, "-m", "beautycity", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_killed_report_leaves_no_worker_and_the_next_run_no_temporary_folder(tmp_path):
    results = tmp_path / "results"
    score_submissions([filled(tmp_path, 2025)], results)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    run = report(results, tmp_path / "reports", tmp)
    # The pool's workers (and multiprocessing's resource tracker) run: kill the parent hard.
    workers = until(lambda: len(children(run.pid)) >= 3 and children(run.pid))
    assert len(workers) >= 3, "the workers never started"
    assert list(tmp.glob(f"{RUN_FOLDER}{run.pid}-*"))
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert until(lambda: not any(running(p) for p in workers), 10), "a worker outlived the run"
    left = list(tmp.glob(f"{RUN_FOLDER}*"))
    assert left  # a killed run cleans nothing: the next one must

    again = report(results, tmp_path / "reports", tmp, jobs=1)  # needs no folder itself
    output, _ = again.communicate(timeout=300)
    assert again.returncode == 0, output.decode()
    assert list(tmp.glob(f"{RUN_FOLDER}*")) == []
    assert sorted(p.name for p in (tmp_path / "reports").glob("*.pdf")) == [
        "changchun-2025.pdf",
        "jilin-2025.pdf",
    ]


def test_only_folders_of_ended_runs_are_removed(tmp_path):
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f"{RUN_FOLDER}{ended.stdout.strip()}-abc"
    mine = tmp_path / f"{RUN_FOLDER}{os.getpid()}-abc"
    other = tmp_path / f"{RUN_FOLDER}x-abc"  # no process id: not ours to judge
    for folder in (dead, mine, other):
        folder.mkdir()
    assert clean_stale(RUN_FOLDER, tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def test_the_web_workspaces_worker_ends_with_its_server(tmp_path):
    """`serve` starts its task worker as a command; killed outright, the server takes it along."""
    started = tmp_path / "worker.pid"
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, os, time\n"
            "child = subprocess.Popen([sys.executable, '-c', "
            "'from beautycity.io.processes import end_with; import os, sys, time; "
            'end_with(os.getppid()); open(sys.argv[1], "w").write(str(os.getpid())); '
            "time.sleep(600)', sys.argv[1]])\n"
            "time.sleep(600)\n",
            str(started),
        ]
    )
    worker = until(lambda: started.exists() and started.read_text())
    assert worker and running(int(worker))
    server.kill()
    server.wait()
    assert until(lambda: not running(int(worker))), "the worker outlived its server"
