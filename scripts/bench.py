"""`make bench`: time and memory of every stage, and of the floor each stage cannot beat.

Each measurement runs in a fresh process (so its peak memory is its own): the child builds
its inputs, times the stage `--runs` times, and reports the times and its peak resident set.
The table shows the median, the peak, the floor's median and the ratio stage / floor:

- template generation   — no floor (nothing simpler writes a protected, validated workbook)
- workbook validation   — floor: openpyxl's bare read-only load of the same workbooks
- scoring               — floor: pandas' bare group-by over the same values
- one city report / all — floor: WeasyPrint rendering the same HTML with the charts removed
- the whole demo        — no floor
- start-up of a command — floor: a bare `python -c "import click, pydantic"`, measured alike

Usage: python scripts/bench.py [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
sys.path.insert(0, str(ROOT / "scripts"))

# (stage, size label, child arguments); sizes are units (× years for scoring).
PLAN = [
    ("template generation", "11", ["template", "11"]),
    ("template generation", "300", ["template", "300"]),
    ("workbook validation", "11", ["validate", "11"]),
    ("workbook validation", "300", ["validate", "300"]),
    ("scoring", "11 × 1 yr", ["score", "11", "1"]),
    ("scoring", "300 × 1 yr", ["score", "300", "1"]),
    ("scoring", "2,850 × 1 yr", ["score", "2850", "1"]),
    ("scoring", "2,850 × 10 yr", ["score", "2850", "10"]),
    ("scoring + result files", "11 × 1 yr", ["outputs", "11"]),
    ("scoring + result files", "2,850 × 1 yr", ["outputs", "2850"]),
    ("robustness 10,000 runs", "11", ["robustness", "11"]),
    ("report: one city", "1", ["report-one"]),
    ("report: all (11 + overview)", "13 PDFs", ["report-all"]),
    ("whole demo", "11 × 2 yr", ["demo"]),
]
QUICK = {"template generation 300", "workbook validation 300", "whole demo 11 × 2 yr"}


def child(args: list[str], runs: int) -> dict:
    """Run one stage `runs` times in this process; return times, floor times and peak MB."""
    stage, floor = _stage(args)
    times, floor_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        stage()
        times.append(time.perf_counter() - start)
        if floor:
            start = time.perf_counter()
            floor()
            floor_times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"times": times, "floor": floor_times, "peak_mb": peak_kb / 1024}


def _stage(args: list[str]):
    import bench_data

    from beautycity.cities import load_roster
    from beautycity.scheme.load import load_scheme

    scheme = load_scheme()
    kind = args[0]
    work = Path(tempfile.mkdtemp(prefix="bench-"))

    if kind == "template":
        from beautycity.workbook.build import write_templates

        units = bench_data.roster(scheme, int(args[1]))
        return (lambda: write_templates(work, scheme, units, 2025)), None

    if kind == "validate":
        from openpyxl import load_workbook

        from beautycity.submission.read import read_submissions
        from beautycity.workbook.layout import TEMPLATE_VERSION, scheme_hash

        units = bench_data.roster(scheme, int(args[1]))
        # Cached per template format and scheme: workbooks of an older one would be refused
        # at once, and the stage would time a refusal instead of a read.
        key = f"workbooks-{args[1]}-v{TEMPLATE_VERSION}-{scheme_hash(scheme)[:12]}"
        paths = bench_data.write_workbooks(scheme, units, 2025, CACHE / key)

        def bare() -> None:
            for path in paths:
                wb = load_workbook(path, read_only=True, data_only=True)
                for ws in wb.worksheets:
                    for _row in ws.iter_rows(values_only=True):
                        pass
                wb.close()

        def read() -> None:
            if not read_submissions(paths, scheme, units).valid:
                raise SystemExit("bench workbooks are not valid: the stage would time a refusal")

        return read, bare

    if kind in ("score", "outputs", "robustness"):
        import pandas as pd

        from beautycity.assessment.build import build_doc
        from beautycity.assessment.document import doc_json
        from beautycity.assessment.engine import Inputs, assess
        from beautycity.assessment.uncertainty import analyse

        n = int(args[1])
        years = int(args[2]) if len(args) > 2 else 1
        units = bench_data.roster(scheme, n) if n != 11 else load_roster(scheme=scheme)
        inputs = [
            Inputs.build(scheme, 2015 + y, list(units), bench_data.values(scheme, units, 2015 + y))
            for y in range(years)
        ]
        dims = {i.id: i.dimension for i in scheme.indicators}
        long = pd.concat(
            [x.raw.stack().rename("value").reset_index().assign(year=x.year) for x in inputs]
        )
        long["dimension"] = long["level_1"].map(dims)

        def floor() -> None:
            long.groupby(["year", "unit", "dimension"])["value"].mean()

        if kind == "score":
            return (lambda: [assess(scheme, x) for x in inputs]), floor
        if kind == "robustness":
            a = assess(scheme, inputs[0])
            spec = scheme.robustness.model_copy(update={"replications": 10_000})
            return (lambda: analyse(a, spec)), None
        return (lambda: doc_json(build_doc(assess(scheme, inputs[0]), "bench"))), floor

    if kind in ("report-one", "report-all"):
        from weasyprint import HTML

        from beautycity.report.city import city_report
        from beautycity.report.pdf import Renderer
        from beautycity.report.render import render_city, render_reports

        doc = _demo_doc()
        renderer = Renderer("bilingual")
        uid = doc.units[0].id
        html = re.sub(r"<svg.*?</svg>", "", renderer.html("city.html", city_report(
            doc, scheme, uid, renderer.lang, None)), flags=re.S)  # fmt: skip

        def bare() -> None:
            HTML(string=html, base_url=renderer.base_url).write_pdf(stylesheets=[renderer.css])

        if kind == "report-one":
            return (lambda: render_city(doc, scheme, uid, renderer=renderer)), bare
        return (lambda: render_reports(doc, work / "reports", scheme=scheme)), None

    if kind == "demo":
        from beautycity.demo import run_demo

        counter = iter(range(1_000))
        return (lambda: run_demo(work / f"demo-{next(counter)}")), None
    raise SystemExit(f"unknown stage {kind}")


def _demo_doc():
    """The demo's latest assessment (made once and cached)."""
    from beautycity.assessment.document import SCHEMA_VERSION, read_doc
    from beautycity.demo import run_demo

    # One cache per document schema: an older cached demo lacks what reports now print.
    folder = CACHE / f"demo-{SCHEMA_VERSION.rsplit('/', 1)[-1]}"
    path = folder / "results" / "2024" / "assessment.json"
    if not path.exists():
        run_demo(folder)
    return read_doc(path)


STARTUP = [
    ("start-up: --version", ["--version"]),
    ("start-up: --help", ["--help"]),
    ("start-up: validate --help", ["validate", "--help"]),
]


def _wall(command: list[str], runs: int) -> float:
    """The median wall time of `runs` fresh processes of `command`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup(runs: int) -> None:
    """What every command pays before it starts work, against a bare interpreter with click."""
    script = Path(sys.executable).with_name("beautycity")
    for stage, args in STARTUP:
        floor = _wall([sys.executable, "-c", "import click, pydantic"], runs)
        median = _wall([str(script), *args], runs)
        print(f"{stage:<30} {'—':<15} {median:9.3f} {'—':>8} {floor:8.3f} {median / floor:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the slowest stages")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        print(json.dumps(child(opts.child, opts.runs)))
        return
    CACHE.mkdir(exist_ok=True)
    header = (
        f"{'stage':<30} {'size':<15} {'median s':>9} {'peak MB':>8} {'floor s':>8} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    startup(10 * opts.runs)
    for stage, size, args in PLAN:
        if opts.quick and f"{stage} {size}" in QUICK:
            continue
        runs = 1 if stage == "whole demo" else opts.runs
        done = subprocess.run(
            [sys.executable, __file__, "--runs", str(runs), "--child", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if done.returncode:
            print(f"{stage:<30} {size:<15} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        median = statistics.median(r["times"])
        floor = statistics.median(r["floor"]) if r["floor"] else None
        ratio = f"{median / floor:6.1f}" if floor else "     —"
        floor_s = f"{floor:8.3f}" if floor else "       —"
        print(f"{stage:<30} {size:<15} {median:9.3f} {r['peak_mb']:8.0f} {floor_s} {ratio}")


if __name__ == "__main__":
    main()
