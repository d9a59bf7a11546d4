"""Killed and concurrent `score` runs: the results folder is always one complete run."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_score import filled

UNITS = ("changchun", "jilin", "songyuan")


def command(folder: Path, out: Path, aggregation: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "beautycity",
        "score",
        str(folder),
        "-o",
        str(out),
        "--aggregation",
        aggregation,
        "--robustness",
        "3000",
    ]


def consistent(out: Path) -> str:
    """Check that `out` holds one complete run; return that run's aggregation method."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in {**manifest["outputs"], **manifest["inputs"]}.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    doc = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    assert doc["params"]["aggregation"] == manifest["parameters"]["aggregation"]
    return manifest["parameters"]["aggregation"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    folder = filled(base, 2025, UNITS)
    out = base / "results"
    start = time.perf_counter()
    subprocess.run(command(folder, out, "geometric"), check=True, capture_output=True)
    return folder, out, time.perf_counter() - start


def test_sigkill_at_random_moments_leaves_old_or_new_results(setup):
    folder, out, duration = setup
    rng = random.Random(20250101)
    seen = set()
    for i in range(20):
        aggregation = ("arithmetic", "geometric")[i % 2]
        process = subprocess.Popen(
            command(folder, out, aggregation), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            process.wait(timeout=rng.uniform(0.2, 1.1) * duration)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        seen.add(consistent(out))
    assert seen <= {"arithmetic", "geometric"}


def test_concurrent_runs_are_serialised_or_refused(setup):
    folder, out, _ = setup
    for _ in range(20):
        runs = [
            subprocess.Popen(
                command(folder, out, agg), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for agg in ("arithmetic", "geometric")
        ]
        results = [(p.wait(), p.stderr.read()) for p in runs]
        assert any(code == 0 for code, _ in results)
        for code, err in results:
            assert code == 0 or (code == 1 and "run.locked" in err), err
        consistent(out)


def report_command(results: Path, out: Path, lang: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "beautycity",
        "report",
        str(results),
        "-o",
        str(out),
        "--city",
        "changchun",
        "--lang",
        lang,
    ]


def complete_report(out: Path) -> None:
    """Check that `out` holds exactly one complete PDF, never a half-written one."""
    (pdf,) = out.glob("*.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_sigkill_during_report_leaves_old_or_new_pdf(setup, tmp_path):
    _, results, _ = setup
    out = tmp_path / "reports"
    start = time.perf_counter()
    subprocess.run(report_command(results, out, "zh"), check=True, capture_output=True)
    duration = time.perf_counter() - start
    rng = random.Random(7)
    for i in range(20):
        process = subprocess.Popen(
            report_command(results, out, ("en", "zh")[i % 2]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            process.wait(timeout=rng.uniform(0.2, 1.1) * duration)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        complete_report(out)
