"""`make bench`: time and memory of every stage, against the floor each stage cannot beat.

Each measurement runs in a fresh process (so its peak memory is its own): the child builds
its inputs, times the stage `--runs` times, then its floor as often, and reports the times
and its peak resident set after the stage (the floor's own memory is not counted). The table
shows the median, the peak, the floor's median, the ratio stage / floor, and the goal of
issue 19 where one is set; it is printed and written to docs/performance.md.

Floors: openpyxl's bare read-only load of the same workbooks (validation, and in its own
process for the fixed cost of `validate`); pandas' group-by over the same values (scoring);
the engine (assess + build_doc: statuses, ties, next-grade paths) with XlsxWriter in
constant-memory mode writing the same cells and orjson dumping the same document (result
files); WeasyPrint rendering the same HTML with the same fonts, styles and collector setting
(a city report); `python -c "import click, pydantic"` (start-up).

The national dry run (2,850 county units of indicators/jilin-county-2027.yaml, with points
instead of polygons) runs templates, filling, validation and city reports on a sample of
units and extrapolates linearly; scoring, result files and the overview run on all of them.
`BENCH_NATIONAL=full` runs every stage on all 2,850 (about half an hour on two cores).

Usage: python scripts/bench.py [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
DOC = ROOT / "docs" / "performance.md"
sys.path.insert(0, str(ROOT / "scripts"))

import bench_data  # noqa: E402

# (stage, size label, child arguments, runs or None for --runs, goal); sizes are units
# (× years for scoring). A goal is (kind, bound): "ratio" to the floor, "s" or "MB" at most.
PLAN = [
    ("template generation", "11", ["template", "11"], None, None),
    ("template generation", "300", ["template", "300"], None, None),
    ("workbook validation", "11", ["validate", "11"], None, None),
    ("workbook validation", "300", ["validate", "300"], None, None),
    ("scoring (engine)", "2,850 × 1 yr", ["score", "2850", "1"], None, None),
    ("scoring (engine)", "2,850 × 10 yr", ["score", "2850", "10"], None, None),
    ("scoring + result files", "11", ["outputs", "11"], None, None),
    ("scoring + result files", "2,850", ["outputs", "2850"], 1, [("ratio", 2.0), ("MB", 500)]),
    ("robustness", "11 × 10,000 runs", ["robustness", "11", "10000"], None, None),
    (
        "robustness",
        "2,850 × 1,000 runs",
        ["robustness", "2850", "1000"],
        1,
        [("s", 30), ("MB", 2048)],
    ),
    ("robustness", "300 × 100,000 runs", ["robustness", "300", "100000"], 1, None),
    ("overview", "300 units", ["overview", "300"], 1, None),
    ("overview", "2,850 units", ["overview", "2850"], 1, None),
    ("report: one city", "1 PDF", ["report-one"], None, None),
    ("report: all (11 + overview)", "13 files", ["report-all"], 1, None),
    ("whole demo", "11 × 2 yr", ["demo"], 1, None),
]
QUICK = {"template generation 300", "workbook validation 300", "whole demo 11 × 2 yr"}
QUICK |= {"robustness 300 × 100,000 runs", "overview 2,850 units"}
NATIONAL_UNITS, NATIONAL_SAMPLE, NATIONAL_JOBS = 2850, 60, 2
COUNTY_SCHEME = ROOT / "indicators" / "jilin-county-2027.yaml"


def child(args: list[str], runs: int) -> dict:
    """Run one stage `runs` times in this process, then its floor; return the times and the
    peak MB after the stage."""
    if args[0] == "national":
        return national(int(args[1]))
    stage, floor = _stage(args)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        stage()
        times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if floor and hasattr(floor, "prepare"):
        floor.prepare()  # what the floor is given ready, made once the stage's peak is known
    floor_times = []
    for _ in range(runs if floor else 0):
        start = time.perf_counter()
        floor()
        floor_times.append(time.perf_counter() - start)
    return {"times": times, "floor": floor_times, "peak_mb": peak_kb / 1024}


def _stage(args: list[str]):
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
        from beautycity.submission.read import read_submissions

        units = bench_data.roster(scheme, int(args[1]))
        paths = _workbooks(scheme, units, args[1])

        def read() -> None:
            if not read_submissions(paths, scheme, units).valid:
                raise SystemExit("bench workbooks are not valid: the stage would time a refusal")

        def bare() -> None:
            from openpyxl import load_workbook

            for path in paths:  # as BARE_READ does in its own process
                wb = load_workbook(path, read_only=True, data_only=True)
                for ws in wb.worksheets:
                    for _row in ws.iter_rows(values_only=True):
                        pass
                wb.close()

        return read, bare

    if kind in ("score", "outputs", "robustness", "overview"):
        from beautycity.assessment.engine import Inputs, assess

        n = int(args[1])
        years = int(args[2]) if kind == "score" else 1
        units = bench_data.roster(scheme, n) if n != 11 else load_roster(scheme=scheme)
        inputs = [
            Inputs.build(scheme, 2015 + y, list(units), bench_data.values(scheme, units, 2015 + y))
            for y in range(years)
        ]
        if kind == "score":
            return (lambda: [assess(scheme, x) for x in inputs]), bench_data.groupby_floor(
                scheme, inputs
            )
        if kind == "robustness":
            from beautycity.assessment.uncertainty import analyse

            a = assess(scheme, inputs[0])
            spec = scheme.robustness.model_copy(update={"replications": int(args[2])})
            return (lambda: analyse(a, spec)), None
        if kind == "overview":
            from beautycity.assessment.build import build_doc
            from beautycity.report.basemap import load_map
            from beautycity.report.render import render_overview

            doc = build_doc(assess(scheme, inputs[0]), "bench")
            map_data = load_map(scheme, None)
            return (lambda: render_overview(doc, scheme, roster=units, map_data=map_data)), None
        return bench_data.outputs_stage(scheme, inputs[0], work)

    if kind in ("report-one", "report-all"):
        from beautycity.report.pdf import Renderer
        from beautycity.report.render import render_city, render_reports

        doc = _demo_doc()
        renderer = Renderer("bilingual")
        uid = doc.units[0].id
        if kind == "report-one":
            return (
                lambda: render_city(doc, scheme, uid, renderer=renderer),
                bench_data.weasyprint_floor(doc, scheme, uid, renderer),
            )
        return (lambda: render_reports(doc, work / "reports", scheme=scheme)), None

    if kind == "demo":
        from beautycity.demo import run_demo

        counter = iter(range(1_000))
        return (lambda: run_demo(work / f"demo-{next(counter)}")), None
    raise SystemExit(f"unknown stage {kind}")


def _workbooks(scheme, units, label: str) -> list[Path]:
    from beautycity.workbook.layout import TEMPLATE_VERSION, scheme_hash

    # Cached per template format and scheme: workbooks of an older one would be refused at
    # once, and the stage would time a refusal instead of a read.
    key = f"workbooks-{label}-v{TEMPLATE_VERSION}-{scheme_hash(scheme)[:12]}"
    return bench_data.write_workbooks(scheme, units, 2025, CACHE / key)


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


def national(sample: int) -> dict:
    """The country on this machine: each stage's seconds, per-unit stages measured on
    `sample` units and scaled to all of them."""
    from beautycity.scheme.load import load_scheme

    scheme = load_scheme(COUNTY_SCHEME)
    units = bench_data.roster(scheme, NATIONAL_UNITS)
    work = Path(tempfile.mkdtemp(prefix="bench-national-"))
    stages = bench_data.national_stages(scheme, COUNTY_SCHEME, units, sample, NATIONAL_JOBS, work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stages": stages, "sample": sample, "peak_mb": peak}


def _wall(command: list[str], runs: int) -> float:
    """The median wall time of `runs` fresh processes of `command`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# openpyxl's read-only load of one workbook, every row of every sheet, and nothing else.
BARE_READ = """import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
for ws in wb.worksheets:
    for _row in ws.iter_rows(values_only=True):
        pass
wb.close()
"""


def processes(runs: int) -> list[dict]:
    """What a command pays before it starts work, each against a bare process doing the least
    the same job needs; alternated, so both see the same load."""
    from beautycity.cities import load_roster
    from beautycity.scheme.load import load_scheme

    script = str(Path(sys.executable).with_name("beautycity"))
    bare_import = [sys.executable, "-c", "import click, pydantic"]
    scheme = load_scheme()
    [workbook] = _workbooks(scheme, load_roster(scheme=scheme), "11")[:1]
    bare_read = [sys.executable, "-c", BARE_READ, str(workbook)]
    plan = [
        ("start-up: --version", "1 process", [script, "--version"], bare_import, None),
        (
            "start-up: validate --help",
            "1 process",
            [script, "validate", "--help"],
            bare_import,
            None,
        ),
        (
            "validate: fixed cost",
            "1 workbook, 1 process",
            [script, "validate", str(workbook)],
            bare_read,
            [("ratio", 2.0)],
        ),
    ]
    rows = []
    for stage, size, command, floor, goal in plan:
        _wall(command, 1)  # warm: the first run of a file fills the parse cache
        pairs = [(_wall(command, 1), _wall(floor, 1)) for _ in range(runs)]
        median = statistics.median(p[0] for p in pairs)
        floor_s = statistics.median(p[1] for p in pairs)
        rows.append(_row(stage, size, median, None, floor_s, goal))
    return rows


def _row(stage, size, median, peak, floor, goal) -> dict:
    ratio = median / floor if floor else None
    checks = []
    for kind, bound in goal or ():
        value = {"ratio": ratio, "s": median, "MB": peak}[kind]
        checks.append((kind, bound, value is not None and value <= bound))
    return {
        "stage": stage,
        "size": size,
        "median": median,
        "peak": peak,
        "floor": floor,
        "ratio": ratio,
        "goal": checks,
    }


def _goal_text(checks) -> str:
    if not checks:
        return "—"
    marks = [
        f"{'≤' if k != 'ratio' else 'ratio ≤'} {b:g}{' ' + k if k != 'ratio' else ''} "
        f"{'met' if ok else 'MISSED'}"
        for k, b, ok in checks
    ]
    return "; ".join(marks)


def _cells(r: dict) -> list[str]:
    peak = f"{r['peak']:,.0f}" if r["peak"] is not None else "—"
    floor = f"{r['floor']:.3f}" if r["floor"] else "—"
    ratio = f"{r['ratio']:.2f}" if r["ratio"] else "—"
    return [r["stage"], r["size"], f"{r['median']:.3f}", peak, floor, ratio, _goal_text(r["goal"])]


HEAD = ["stage", "size", "median s", "peak MB", "floor s", "ratio", "goal"]


def _print(r: dict) -> None:
    c = _cells(r)
    print(f"{c[0]:<30} {c[1]:<22} {c[2]:>9} {c[3]:>7} {c[4]:>8} {c[5]:>6}  {c[6]}", flush=True)


def run_child(args: list[str], runs: int) -> dict | str:
    done = subprocess.run(
        [sys.executable, __file__, "--runs", str(runs), "--child", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        return f"failed: {done.stderr.strip().splitlines()[-1:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the slowest stages")
    parser.add_argument("--only", help="run only the stages whose name contains this")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        print(json.dumps(child(opts.child, opts.runs)))
        return
    CACHE.mkdir(exist_ok=True)
    # The package's bytecode, as an installed wheel has it: with PYTHONDONTWRITEBYTECODE set
    # an editable install would compile every module at every start, which no user pays.
    compileall.compile_dir(ROOT / "beautycity", quiet=1)
    print(f"{HEAD[0]:<30} {HEAD[1]:<22} {HEAD[2]:>9} {HEAD[3]:>7} {HEAD[4]:>8} {HEAD[5]:>6}  goal")
    rows: list[dict] = []
    if not opts.only or opts.only in "start-up validate":
        for r in processes(5 * opts.runs):
            _print(r)
            rows.append(r)
    per_unit = {}
    for stage, size, args, runs, goal in PLAN:
        if (opts.quick and f"{stage} {size}" in QUICK) or (opts.only and opts.only not in stage):
            continue
        r = run_child(args, runs or opts.runs)
        if isinstance(r, str):
            print(f"{stage:<30} {size:<22} {r}")
            continue
        median = statistics.median(r["times"])
        floor = statistics.median(r["floor"]) if r["floor"] else None
        rows.append(_row(stage, size, median, r["peak_mb"], floor, goal))
        _print(rows[-1])
        if stage == "overview":
            per_unit[int(args[1])] = median / int(args[1])
    if len(per_unit) == 2:
        rows.append(
            _row(
                "overview: time per unit",
                "2,850 vs 300",
                per_unit[2850],
                None,
                per_unit[300],
                [("ratio", 3.0)],
            )
        )
        _print(rows[-1])
    national_text = ""
    if not opts.only or opts.only in "national":
        full = os.environ.get("BENCH_NATIONAL") == "full"
        r = run_child(["national", str(NATIONAL_UNITS if full else NATIONAL_SAMPLE)], 1)
        national_text = r if isinstance(r, str) else bench_data.national_table(r, NATIONAL_UNITS)
        print(national_text)
    if not opts.only:
        DOC.write_text(bench_data.performance_md(HEAD, [_cells(r) for r in rows], national_text))
        print(f"written: {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
