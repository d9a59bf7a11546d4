"""The whole yearly chain on the embedded Jilin sample, as an evaluator would run it.

For each sample year: templates for every unit, filled in with the sample exactly as a city
would submit them, validated and scored (the later year against the earlier, for trends and
a robustness analysis); then the reports of the latest year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cities import load_roster
from .labels import labels
from .report import Written, demo_notice, render_reports
from .results import AssessmentDoc
from .sample_data import Sample, load_sample
from .scheme import load_scheme
from .scoring import score_submissions
from .workbook import template_name, write_template
from .workbook_fill import fill_workbook
from .workbook_layout import plan

Progress = Callable[[str, int, int], None]  # stage, done, total
ROBUSTNESS = 2000  # replications: enough for stable 5–95 % rank intervals, about a second


@dataclass(frozen=True)
class DemoOutcome:
    docs: dict[int, AssessmentDoc]  # by year
    workbooks: list[Path]
    results: list[Path]
    reports: list[Written]


def run_demo(
    out: Path,
    *,
    lang: str = "bilingual",
    progress: Progress | None = None,
    jobs: int | None = None,
) -> DemoOutcome:
    """Write templates, filled workbooks, results and reports for the sample into `out`; the
    reports are rendered by `jobs` processes (None: one per core)."""
    tell = progress or (lambda stage, done, total: None)
    scheme = load_scheme()
    roster = load_roster(scheme=scheme)
    sample = load_sample()
    years = sample.years
    units = [roster[uid] for uid in sorted(sample.units)]
    illustrative = labels()["illustrative_source"]
    workbooks: list[Path] = []
    results: list[Path] = []
    docs: dict[int, AssessmentDoc] = {}
    previous: Path | None = None
    total = len(units) * len(years)
    for y_index, year in enumerate(years):
        blank, filled = out / "templates" / str(year), out / "workbooks" / str(year)
        filled.mkdir(parents=True, exist_ok=True)
        for u_index, unit in enumerate(units):
            last = _values(sample, unit.id, years[y_index - 1]) if y_index else None
            path = write_template(
                blank / template_name(unit, year),
                scheme,
                unit,
                year,
                deadline=f"{year + 1}-03-31",
                previous=last,
            )
            workbooks.append(
                fill_workbook(
                    path,
                    filled / path.name,
                    plan(scheme, unit, year),
                    _values(sample, unit.id, year),
                    sources=_sources(sample, unit.id, year, f"{illustrative.zh} {illustrative.en}"),
                    notes=sample.units[unit.id].years[year].notes,
                    contact={
                        **sample.units[unit.id].contact.model_dump(),
                        "filled_on": f"{year + 1}-02-15",
                    },
                )
            )
            tell("workbooks", y_index * len(units) + u_index + 1, total)
        target = out / "results" / str(year)
        outcome = score_submissions(
            [filled], target, previous=previous, robustness=ROBUSTNESS if previous else None
        )
        docs[year] = outcome.doc
        results += outcome.written
        previous = target
        tell("score", y_index + 1, len(years))
    latest = docs[years[-1]]
    count = len(latest.units) + 2
    done = iter(range(1, count + 1))
    reports = render_reports(
        latest,
        out / "reports",
        scheme=scheme,
        roster=roster,
        lang=lang,
        notice=demo_notice(),
        progress=lambda _name: tell("reports", next(done), count),
        jobs=jobs,
    )
    return DemoOutcome(docs=docs, workbooks=workbooks, results=results, reports=reports)


def _values(sample: Sample, unit_id: str, year: int) -> dict[str, float | None]:
    entry = sample.units[unit_id].years[year]
    return {
        **{k: f.value for k, f in entry.values.items()},
        **dict(entry.adjustments),
    }


def _sources(sample: Sample, unit_id: str, year: int, illustrative: str) -> dict[str, str]:
    """The data-source cell: the citation of a real figure, else the illustrative mark."""
    cited = sample.source
    return {
        k: cited[f.source].title if f.source else illustrative
        for k, f in sample.units[unit_id].years[year].values.items()
    }
