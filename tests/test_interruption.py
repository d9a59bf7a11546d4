"""Killed and concurrent `score` runs: the results folder is always one complete run.

Each test runs the command line 20 times. Starting an interpreter and importing the libraries
takes longer than a run's own work, so the runs are forked from one server process that has
imported them once; each fork then validates, scores and writes as `python -m beautycity`
would, and is killed or raced as a real process. The first run is a real `python -m
beautycity`, and the forked runs must give its bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

from .test_score import filled

pytestmark = pytest.mark.slow

UNITS = ("changchun", "jilin", "songyuan")
OTHER = {"arithmetic": "geometric", "geometric": "arithmetic"}
# A killed run's exit code: -SIGKILL on POSIX; Popen.kill() on Windows exits with 1.
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 1
TIMEOUT = 60  # seconds: a run that has not ended by then hangs, and fails the test

# The server imports the whole package up front (commands import their modules when run), then
# forks one child per request. Requests and answers are JSON lines on its stdin and stdout.
SERVER = r"""
import importlib, json, os, pkgutil, sys, traceback

import beautycity

for info in pkgutil.walk_packages(beautycity.__path__, "beautycity.", onerror=lambda _: None):
    if not info.name.endswith("__main__"):  # importing that one would run the command line
        try:
            importlib.import_module(info.name)
        except Exception:
            pass  # only a head start: the child imports what it needs anyway
from beautycity.cli import main


def child(args, stderr):
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDWR), 0)
        # Problems go to standard output, progress to standard error: keep both.
        os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
        os.dup2(1, 2)
        try:
            main(args, prog_name="beautycity")
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # never back into the server's loop


print(json.dumps("ready"), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "run":
        pid = os.fork()
        if pid == 0:
            child(request["args"], request["stderr"])
        answer = pid
    else:  # "poll": the exit code once the child has ended, else null
        done, status = os.waitpid(request["pid"], os.WNOHANG)
        answer = os.waitstatus_to_exitcode(status) if done else None
    print(json.dumps(answer), flush=True)
"""


class Forked:
    """A run forked by the server, with the part of `subprocess.Popen` the tests use."""

    def __init__(self, launcher: Launcher, pid: int):
        self.launcher, self.pid, self.returncode = launcher, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.launcher.ask(op="poll", pid=self.pid)
        return self.returncode

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(self.pid, timeout)
            time.sleep(min(left, 0.005))  # the end seen within 5 ms, a kill moment kept exactly
        return self.returncode

    def kill(self) -> None:
        # Unreaped until the server polls it, the child keeps its pid: no other process is hit.
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


class Launcher:
    """Starts `beautycity` runs: forked from the server, or, without fork, as fresh processes."""

    def __init__(self) -> None:
        self.server = None
        self.lock = threading.Lock()  # one request and its answer at a time, whatever thread
        if hasattr(os, "fork"):
            self.server = subprocess.Popen(
                [sys.executable, "-c", SERVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self.answer() == "ready"

    def answer(self):
        line = self.server.stdout.readline()
        assert line, "the fork server has died"
        return json.loads(line)

    def ask(self, **request):
        with self.lock:
            self.server.stdin.write(json.dumps(request) + "\n")
            self.server.stdin.flush()
            return self.answer()

    def start(self, args: list[str], stderr: Path) -> Forked | subprocess.Popen:
        if self.server is None:
            with stderr.open("wb") as err:
                command = [sys.executable, "-m", "beautycity", *args]
                return subprocess.Popen(command, stdout=err, stderr=subprocess.STDOUT)
        return Forked(self, self.ask(op="run", args=args, stderr=str(stderr)))

    def close(self) -> None:
        if self.server is not None:
            self.server.stdin.close()  # the server's loop ends with its input
            try:
                self.server.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()


@pytest.fixture(scope="module")
def launcher():
    started = Launcher()
    yield started
    started.close()


def command(folder: Path, out: Path, aggregation: str) -> list[str]:
    # The replications are written into the results; how many does not matter here, since
    # the kills are timed from the run's first write, not from its start.
    return [
        "score",
        str(folder),
        "-o",
        str(out),
        "--aggregation",
        aggregation,
        "--robustness",
        "300",
        "--partial",  # not every unit of the roster
    ]


def consistent(out: Path, references: dict[str, bytes]) -> str:
    """Check that `out` holds one complete run, byte for byte the same as every other complete
    run with that aggregation method (the first one seen is the reference); return the method."""
    body = (out / "manifest.json").read_bytes()
    manifest = json.loads(body)
    for name, digest in {**manifest["outputs"], **manifest["inputs"]}.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    doc = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    aggregation = manifest["parameters"]["aggregation"]
    assert doc["params"]["aggregation"] == aggregation
    assert body == references.setdefault(aggregation, body), aggregation
    return aggregation


def stop_at(run, delay: float) -> tuple[int, bool]:
    """Let `run` go on for `delay` seconds, then SIGKILL it; (exit code, whether it was killed)."""
    try:
        return run.wait(timeout=delay), False
    except subprocess.TimeoutExpired:
        run.kill()
        return run.wait(timeout=TIMEOUT), True


def first_write(run, out: Path, before: set[str]) -> bool:
    """Wait for anything new beside `out` (the run's staging folder): True; or the run's end
    without any: False."""
    deadline = time.monotonic() + TIMEOUT
    while run.poll() is None:
        if set(os.listdir(out.parent)) - before:
            return True
        assert time.monotonic() < deadline, "the run neither wrote nor ended"
        time.sleep(0.001)
    return False


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Three units' workbooks, and their results from a real `python -m beautycity` run."""
    base = tmp_path_factory.mktemp("kill")
    folder = filled(base, 2025, UNITS)
    out = base / "results"
    real = [sys.executable, "-m", "beautycity", *command(folder, out, "geometric")]
    subprocess.run(real, check=True, capture_output=True, timeout=TIMEOUT)
    references: dict[str, bytes] = {}
    consistent(out, references)
    return folder, out, references


def test_sigkill_at_random_moments_leaves_old_or_new_results(setup, launcher, tmp_path):
    folder, out, references = setup
    err = tmp_path / "stderr.txt"
    # One complete run times the writing: from its first write (a staging folder beside the
    # results) to its end. The publish comes near the end of that window.
    current = consistent(out, references)
    before = set(os.listdir(out.parent))
    run = launcher.start(command(folder, out, OTHER[current]), err)
    assert first_write(run, out, before), err.read_text()
    start = time.perf_counter()
    assert run.wait(timeout=TIMEOUT) == 0, err.read_text()
    window = time.perf_counter() - start
    current = consistent(out, references)
    # Kill moments from 1/50 of that window to 5 windows after the first write, evenly on a
    # log scale (one in each twentieth, in random order): some land before the publish, some
    # after it and some after the run's end, even if the machine has become a few times slower
    # or faster since the window was measured (other work on it).
    rng = random.Random(20250101)
    delays = [window / 50 * 250 ** ((k + rng.random()) / 20) for k in range(20)]
    rng.shuffle(delays)
    outcomes = {"old": 0, "new": 0}
    for delay in delays:
        # Always the other method than the folder holds, so old and new can be told apart.
        old, new = current, OTHER[current]
        before = set(os.listdir(out.parent))
        run = launcher.start(command(folder, out, new), err)
        if first_write(run, out, before):
            code, killed = stop_at(run, delay)
        else:
            code, killed = run.wait(timeout=TIMEOUT), False
        assert code == 0 or (killed and code == KILLED), err.read_text()
        current = consistent(out, references)
        assert current in (old, new)
        assert code != 0 or current == new  # a run that ended has published
        outcomes["new" if current == new else "old"] += 1
    assert outcomes["old"] and outcomes["new"], outcomes


def test_concurrent_runs_are_serialised_or_refused(setup, launcher, tmp_path):
    folder, out, references = setup
    for _ in range(20):
        errs = {agg: tmp_path / f"{agg}.txt" for agg in OTHER}
        runs = {agg: launcher.start(command(folder, out, agg), errs[agg]) for agg in OTHER}
        codes = {agg: run.wait(timeout=TIMEOUT) for agg, run in runs.items()}
        assert any(code == 0 for code in codes.values())
        for agg, code in codes.items():
            err = errs[agg].read_text(encoding="utf-8")
            assert code == 0 or (code == 1 and "run.locked" in err), err
        current = consistent(out, references)
        if list(codes.values()).count(0) == 1:  # the refused run left no trace
            assert codes[current] == 0


def report_command(results: Path, out: Path, lang: str) -> list[str]:
    return ["report", str(results), "-o", str(out), "--city", "changchun", "--lang", lang]


def complete_report(out: Path) -> bytes:
    """Check that `out` holds exactly one complete PDF, never a half-written one; return it."""
    (pdf,) = out.glob("*.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    return data


def language(pdf: bytes) -> str:
    return {"zh-CN": "zh", "en": "en"}[PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"]]


def kill_reports(launcher: Launcher, results: Path, out: Path, seed: int, times: int) -> None:
    """One complete report run into `out`, timed; then `times` runs, each SIGKILLed at a
    random moment of a run's duration (or ending first), leaving the old PDF or the new."""
    err = out.with_name(f"{out.name}-stderr.txt")
    start = time.perf_counter()
    assert launcher.start(report_command(results, out, "zh"), err).wait(TIMEOUT) == 0
    duration = time.perf_counter() - start
    rng = random.Random(seed)
    for _ in range(times):
        old = complete_report(out)
        lang = {"zh": "en", "en": "zh"}[language(old)]  # so the new PDF differs from the old
        run = launcher.start(report_command(results, out, lang), err)
        code, killed = stop_at(run, rng.uniform(0.2, 1.1) * duration)
        assert code == 0 or (killed and code == KILLED), err.read_text()
        data = complete_report(out)
        assert data == old or language(data) == lang
        assert code != 0 or language(data) == lang  # a run that ended has published


def test_sigkill_during_report_leaves_old_or_new_pdf(setup, launcher, tmp_path):
    _, results, _ = setup
    # 20 kills, in two folders side by side: rendering keeps one core busy for seconds, and
    # the machine has two.
    with ThreadPoolExecutor(2) as pool:
        lanes = [
            pool.submit(kill_reports, launcher, results, tmp_path / f"reports-{k}", 7 + k, 10)
            for k in range(2)
        ]
        for lane in lanes:
            lane.result()
