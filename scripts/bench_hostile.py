"""Time and peak memory of reading each hostile workbook, each in a fresh process.

    python scripts/bench_hostile.py [--max-seconds 5] [--max-mb 400]

Writes the hostile corpus (`tests/hostile.py`, `tests/hostile_round2.py`) into a
temporary folder with `scripts/hostile_corpus.py`, then reads each file with
`read_submission` in a child process of its own and prints: the case, the problem code it
got, wall seconds of the read, the child's peak resident memory (`ru_maxrss`, the whole
process) and how much of it the read added to the baseline of Python, beautycity and the
loaded scheme (shown on the last line). The seconds are those of the read alone, beyond
start-up; the worst case of each is named at the end. Exits with 1 when a case gets a code
other than the one the corpus expects, or exceeds either bound.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the corpus is written by the tests' own helpers


def child(path: Path) -> None:
    from beautycity.cities import load_roster
    from beautycity.problems import Severity
    from beautycity.scheme.load import load_scheme
    from beautycity.submission.read import read_submission

    scheme = load_scheme()
    roster = load_roster(scheme=scheme)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = read_submission(path, scheme, roster)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    codes = [p.code for p in report.problems if p.severity is Severity.ERROR]
    print(
        json.dumps(
            {"seconds": seconds, "peak": peak / 1024, "base": baseline / 1024, "codes": codes}
        )
    )


def measure(path: Path) -> dict:
    command = [sys.executable, __file__, "--child", str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=5.0)
    parser.add_argument("--max-mb", type=float, default=400.0)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0

    from tests.hostile_round2 import ALL as CASES

    failed = False
    rows = []
    with tempfile.TemporaryDirectory() as work:
        # Written by another process: a child's ru_maxrss counts its parent's memory at fork.
        writer = [sys.executable, str(ROOT / "scripts" / "hostile_corpus.py"), work]
        subprocess.run(writer, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        files = {case.name: Path(work) / case.file_name for case in CASES}
        print(f"{'case':24} {'code':22} {'seconds':>8} {'peak MB':>8} {'read MB':>8}")
        for case in CASES:
            m = measure(files[case.name])
            got = m["codes"][0] if m["codes"] else "valid"
            bad = (
                got != (case.code or "valid")
                or m["seconds"] > args.max_seconds
                or m["peak"] > args.max_mb
            )
            failed |= bad
            rows.append((case.name, m))
            flag = "  <- FAIL" if bad else ""
            grew = m["peak"] - m["base"]
            print(f"{case.name:24} {got:22} {m['seconds']:8.2f} {m['peak']:8.0f} {grew:8.0f}{flag}")
    slowest = max(rows, key=lambda r: r[1]["seconds"])
    largest = max(rows, key=lambda r: r[1]["peak"])
    base = min(m["base"] for _, m in rows)
    print(f"slowest: {slowest[0]} {slowest[1]['seconds']:.2f} s; ", end="")
    print(f"largest: {largest[0]} {largest[1]['peak']:.0f} MB; baseline {base:.0f} MB")
    print(f"bounds: {args.max_seconds:g} s and {args.max_mb:g} MB per case")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
