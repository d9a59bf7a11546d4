"""Synthetic but realistic benchmark inputs: N units spread over the five positionings.

Values come from a seeded generator around each indicator's target (70–120 % of it, within
the input range), as a city's would; units are named and coded like counties. Nothing here is
committed: the benchmark writes what it needs under `.bench/`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from beautycity.cities import Level, Roster, Unit
from beautycity.scheme.model import InputType, Scheme, Text


def roster(scheme: Scheme, n: int) -> Roster:
    """`n` units, positionings in turn, with six-digit codes like county codes, each marked
    on the map by a point (its seat) scattered over Jilin: no county polygons are drawn."""
    positionings = [p.id for p in scheme.positionings]
    rng = np.random.default_rng(n)
    points = zip(rng.uniform(122.0, 130.8, n), rng.uniform(41.6, 45.9, n), strict=True)
    units = tuple(
        Unit(
            id=f"u{i:05d}",
            name=Text(zh=f"第{i}号县", en=f"County {i}"),
            short=Text(zh=f"县{i}", en=f"C{i}"),
            # Not a code of the base map: drawn at its point.
            code=f"{900000 + i % 100000:06d}",
            level=Level.COUNTY,
            positioning=positionings[i % len(positionings)],
            statement=Text(
                zh="高标准建设美丽城市。", en="Build a beautiful city to a high standard."
            ),
            point=(round(float(lon), 3), round(float(lat), 3)),
        )
        for i, (lon, lat) in zip(range(n), points, strict=True)
    )
    return Roster(units=units)


def values(scheme: Scheme, units: Roster, year: int) -> dict[str, dict[str, float]]:
    """What each unit reports for `year`: every indicator of its positioning."""
    rng = np.random.default_rng(year)
    out: dict[str, dict[str, float]] = {}
    for unit in units:
        row: dict[str, float] = {}
        for ind in scheme.indicators:
            if not ind.applies_to(unit.positioning):
                continue
            if ind.input.type is InputType.YESNO:
                row[ind.id] = float(ind.direction.value == "higher")
                continue
            target = next(iter(ind.targets.values()))
            target = target[0] if isinstance(target, tuple) else target
            low = ind.input.min if ind.input.min is not None else -1e9
            high = ind.input.max if ind.input.max is not None else 1e9
            value = float(np.clip((target or 1.0) * rng.uniform(0.7, 1.2), low, high))
            row[ind.id] = round(value, ind.input.decimals)
        for adj in scheme.adjustments:
            if adj.basis == "count":
                row[adj.id] = float(rng.integers(0, 3))
        out[unit.id] = row
    return out


def write_workbooks(scheme: Scheme, units: Roster, year: int, folder: Path) -> list[Path]:
    """Filled workbooks for every unit, as cities would send them (cached between runs)."""
    from beautycity.workbook.build import template_name, write_template
    from beautycity.workbook.fill import fill_workbook
    from beautycity.workbook.layout import plan

    folder.mkdir(parents=True, exist_ok=True)
    data = values(scheme, units, year)
    paths = []
    blank = folder / "blank"
    blank.mkdir(exist_ok=True)
    for unit in units:
        path = folder / template_name(unit, year)
        if not path.exists():
            template = write_template(blank / path.name, scheme, unit, year)
            contact = {"person": "王芳", "phone": "0431-88888888"}
            fill_workbook(template, path, plan(scheme, unit, year), data[unit.id], contact=contact)
        paths.append(path)
    return paths


def groupby_floor(scheme: Scheme, inputs: list):
    """pandas' bare group-by of the same values by year, unit and dimension."""
    import pandas as pd

    dims = {i.id: i.dimension for i in scheme.indicators}
    long = pd.concat(
        [x.raw.stack().rename("value").reset_index().assign(year=x.year) for x in inputs]
    )
    long["dimension"] = long["level_1"].map(dims)
    return lambda: long.groupby(["year", "unit", "dimension"])["value"].mean()


class _Recorder:
    """Stands in for `StreamBook`: keeps the cells a results workbook writes."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, list, list]] = []

    def table(self, title, headers, rows) -> None:
        self.sheets.append((title, headers, [list(r) for r in rows]))


def outputs_stage(scheme: Scheme, inputs, work: Path):
    """`score`'s work from the engine on: the document and every result file. The floor:
    the engine with XlsxWriter writing the same cells and orjson dumping the same document."""
    import orjson
    import xlsxwriter

    from beautycity.assessment.build import build_doc
    from beautycity.assessment.engine import assess
    from beautycity.outputs import workbook
    from beautycity.outputs.write import write_results

    counter = iter(range(1_000))

    def stage() -> None:
        doc = build_doc(assess(scheme, inputs), "bench")
        write_results(work / f"r{next(counter)}", doc, scheme, [], {})

    recorded = _Recorder()
    ready: dict = {}

    def prepare() -> None:
        doc = build_doc(assess(scheme, inputs), "bench")
        workbook._sheets(recorded, doc, scheme)
        ready["data"] = doc.model_dump(mode="json")

    def floor() -> None:
        build_doc(assess(scheme, inputs), "bench")
        # The options the results workbook sets: no formula, link or number read from text.
        options = {"constant_memory": True, "strings_to_formulas": False}
        options |= {"strings_to_urls": False, "nan_inf_to_errors": True}
        book = xlsxwriter.Workbook(str(work / "floor.xlsx"), options)
        for title, headers, rows in recorded.sheets:
            ws = book.add_worksheet(title[:31])
            ws.write_row(0, 0, headers)
            for n, row in enumerate(rows, 1):
                ws.write_row(n, 0, row)
        book.close()
        dumped = orjson.dumps(ready["data"], option=orjson.OPT_INDENT_2)
        (work / "floor.json").write_bytes(dumped)

    floor.prepare = prepare  # type: ignore[attr-defined]
    return stage, floor


def national_stages(
    scheme: Scheme, scheme_file: Path, units: Roster, sample: int, jobs: int, work: Path
) -> list[dict]:
    """Each stage of a year for every unit, in order: per-unit stages timed on the first
    `sample` units (scaled to all), the rest on all of them. Returns rows of stage, seconds
    measured, units measured, seconds for all."""
    import time

    from beautycity.assessment.build import build_doc
    from beautycity.assessment.engine import Inputs, assess
    from beautycity.outputs.write import write_results
    from beautycity.report.basemap import load_map
    from beautycity.report.render import render_overview, render_reports
    from beautycity.submission.read import read_submissions
    from beautycity.workbook.build import write_templates
    from beautycity.workbook.fill import fill_workbook
    from beautycity.workbook.layout import plan

    year, n = 2025, len(units)
    few = Roster(units=units.units[:sample])
    data = values(scheme, units, year)
    rows: list[dict] = []

    def timed(stage: str, measured: int, run) -> object:
        start = time.perf_counter()
        out = run()
        seconds = time.perf_counter() - start
        rows.append(
            {
                "stage": stage,
                "seconds": seconds,
                "measured": measured,
                "all": seconds * n / measured,
            }
        )
        return out

    blank = timed("templates", sample, lambda: write_templates(work / "blank", scheme, few, year))
    filled = work / "filled"
    filled.mkdir()
    contact = {"person": "王芳", "phone": "0431-88888888"}
    timed(
        "filling (as officers would)",
        sample,
        lambda: [
            fill_workbook(t, filled / t.name, plan(scheme, u, year), data[u.id], contact=contact)
            for t, u in zip(blank, few, strict=True)
        ],
    )
    paths = sorted(filled.glob("*.xlsx"))
    report = timed("validation", sample, lambda: read_submissions(paths, scheme, few))
    if not report.valid:
        raise SystemExit("national workbooks are not valid")
    x = Inputs.build(scheme, year, list(units), data)

    def score():
        doc = build_doc(assess(scheme, x), "bench")
        write_results(work / "results", doc, scheme, [], {})
        return doc

    doc = timed("scoring + result files", n, score)
    timed(
        f"city reports (--jobs {jobs})",
        sample,
        lambda: render_reports(
            doc,
            work / "reports",
            scheme=scheme,
            roster=units,
            jobs=jobs,
            cities=[u.id for u in few],
        ),
    )
    rows[-1]["jobs"] = jobs  # its seconds are `jobs` cores' worth
    map_data = load_map(scheme, scheme_file)
    timed("overview", n, lambda: render_overview(doc, scheme, roster=units, map_data=map_data))
    rows.append({"stage": "floor", **report_floor(doc, scheme)})
    return rows


def weasyprint_floor(doc, scheme: Scheme, uid: str, renderer):
    """WeasyPrint alone on the HTML of `uid`'s report, with the renderer's fonts, styles and
    fetcher, and the collector off as the renderer has it."""
    import gc

    from weasyprint import HTML

    from beautycity.report.city import city_report

    html = renderer.html("city.html", city_report(doc, scheme, uid, renderer.lang, None))

    def bare() -> None:
        gc.disable()
        try:
            HTML(string=html, base_url=renderer.base_url, url_fetcher=renderer.fetcher).render(
                stylesheets=[renderer.css], font_config=renderer.font_config
            ).write_pdf()
        finally:
            gc.enable()

    return bare


def report_floor(doc, scheme: Scheme) -> dict[str, float]:
    """One unit's report through beautycity and its WeasyPrint floor (seconds, medians of 3)."""
    import statistics
    import time

    from beautycity.report.pdf import Renderer
    from beautycity.report.render import render_city

    renderer = Renderer("bilingual")
    uid = doc.units[0].id
    bare = weasyprint_floor(doc, scheme, uid, renderer)

    def median(run) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return {
        "report": median(lambda: render_city(doc, scheme, uid, renderer=renderer)),
        "weasyprint": median(bare),
    }


def national_table(result: dict, n: int) -> str:
    """The dry run as a markdown table, with the share of each stage and what a server needs
    to report the country in ten minutes."""
    rows = [r for r in result["stages"] if r["stage"] != "floor"]
    floor = next(r for r in result["stages"] if r["stage"] == "floor")
    total = sum(r["all"] for r in rows)
    lines = [
        f"National dry run: {n:,} county units, indicators/jilin-county-2027.yaml, one year "
        f"(peak {result['peak_mb']:,.0f} MB).",
        "",
        "| stage | measured on | measured s | all units s | share |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        scaled = " (scaled linearly)" if r["measured"] < n else ""
        lines.append(
            f"| {r['stage']} | {r['measured']:,} units{scaled} | {r['seconds']:.1f} | "
            f"{r['all']:.0f} | {100 * r['all'] / total:.0f} % |"
        )
    lines.append(f"| **total** | | | **{total:.0f}** ({total / 60:.1f} min) | 100 % |")
    # What a server does in ten minutes: filling is done at the units. Templates, validation
    # and city reports are independent per unit and spread over cores (the reports' seconds
    # are `--jobs` cores' worth); scoring and the overview are one process each.
    jobs = int(next(r for r in rows if r["stage"].startswith("city reports"))["stage"][-2])
    spread = sum(
        r["all"] * (jobs if r["stage"].startswith("city reports") else 1)
        for r in rows
        if r["stage"] in ("templates", "validation") or r["stage"].startswith("city reports")
    )
    serial = sum(r["all"] for r in rows if r["stage"] in ("scoring + result files", "overview"))
    lines += [
        "",
        f"On a server (filling is done at the units), templates, validation and city reports "
        f"take {spread:,.0f} core-seconds and spread over cores; scoring and the overview take "
        f"{serial:.0f} s in one process each. Finishing the country in ten minutes needs about "
        f"{-(-spread // max(1.0, 600 - serial)):.0f} cores of this machine's speed.",
        "",
        f"One county report takes {floor['report']:.2f} s; WeasyPrint alone lays out the same "
        f"HTML with the same fonts, styles and collector setting in {floor['weasyprint']:.2f} s "
        f"(ratio {floor['report'] / floor['weasyprint']:.2f}): the report stage is WeasyPrint's "
        "layout, and only more cores make it faster.",
    ]
    return "\n".join(lines)


def performance_md(head: list[str], rows: list[list[str]], national: str) -> str:
    """docs/performance.md: generated by `make bench`, never edited by hand."""
    out = [
        "# Performance",
        "",
        "Generated by `make bench` (scripts/bench.py); do not edit. Each stage runs in a fresh",
        "process on synthetic inputs (scripts/bench_data.py); times are medians, the peak is the",
        "process's resident memory after the stage, and the ratio is stage / floor measured in",
        "the same run. Goals are those of issue 19.",
        "",
        "| " + " | ".join(head) + " |",
        "| " + " | ".join("---" for _ in head) + " |",
    ]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out += ["", national, ""]
    return "\n".join(out)
