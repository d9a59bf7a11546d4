"""The demo (`run_demo`): the whole yearly chain on the embedded Jilin samples, as an evaluator
would run it, for the prefecture level and the county level (each with its own scheme, units
and sample): for each sample year, templates for every unit, filled in with the sample exactly
as a city would submit them (`sample_workbook`, which the web workspace's demo uploads too),
validated and scored (the later year against the earlier, for trends and a robustness
analysis); then the reports of the latest year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .assessment.document import AssessmentDoc
from .cities import Roster, Unit, load_roster
from .pipeline import score_submissions
from .report.render import Written, demo_notice, render_reports
from .resources import (
    county_cities_dir,
    county_scheme_path,
    default_cities_dir,
    default_scheme_path,
)
from .sample_data import Sample, load_sample
from .scheme.load import load_scheme
from .scheme.model import Scheme
from .texts import label
from .workbook.build import template_name, write_template
from .workbook.fill import fill_workbook
from .workbook.layout import plan

Progress = Callable[[str, int, int], None]  # stage, done, total
ROBUSTNESS = 2000  # replications: enough for stable 5–95 % rank intervals, about a second


def sample_workbook(
    sample: Sample, scheme: Scheme, unit: Unit, year: int, blank: Path, filled: Path
) -> Path:
    """`unit`'s template for `year` written into the folder `blank` (carrying last year's
    sample values, as the workbook of a later year does) and filled in with the sample into
    the folder `filled`, as the unit's officer would; the filled workbook's path."""
    years = sample.years
    last = sample.submitted(unit.id, years[years.index(year) - 1]) if year != years[0] else None
    path = write_template(
        blank / template_name(unit, year),
        scheme,
        unit,
        year,
        deadline=f"{year + 1}-03-31",
        previous=last,
    )
    filled.mkdir(parents=True, exist_ok=True)
    return fill_workbook(
        path,
        filled / path.name,
        plan(scheme, unit, year),
        sample.submitted(unit.id, year),
        sources=sample.data_sources(unit.id, year, label("illustrative_source")),
        notes=sample.units[unit.id].years[year].notes,
        contact={**sample.units[unit.id].contact.model_dump(), "filled_on": f"{year + 1}-02-15"},
    )


@dataclass(frozen=True)
class DemoLevel:
    """One level of the demo, its scheme, units and sample, and what was written for them."""

    level: str  # a `Level` value: prefecture, county
    scheme_file: Path
    cities: Path
    scheme: Scheme
    roster: Roster
    sample: Sample
    folder: Path  # OUT for the prefecture level, OUT/county for the county level
    docs: dict[int, AssessmentDoc] = field(default_factory=dict)  # by year
    workbooks: list[Path] = field(default_factory=list)
    results: list[Path] = field(default_factory=list)
    reports: list[Written] = field(default_factory=list)


@dataclass(frozen=True)
class DemoOutcome:
    levels: tuple[DemoLevel, ...]  # the prefecture level first


def _levels(out: Path) -> tuple[DemoLevel, ...]:
    found = []
    for level, scheme_file, cities, folder in (
        ("prefecture", default_scheme_path(), default_cities_dir(), out),
        ("county", county_scheme_path(), county_cities_dir(), out / "county"),
    ):
        scheme = load_scheme(scheme_file)
        roster = load_roster(cities, scheme)
        sample = load_sample(level=level)
        found.append(DemoLevel(level, scheme_file, cities, scheme, roster, sample, folder))
    return tuple(found)


def run_demo(
    out: Path,
    *,
    lang: str = "bilingual",
    progress: Progress | None = None,
    jobs: int | None = None,
) -> DemoOutcome:
    """Write templates, filled workbooks, results and reports of each level's sample: the
    prefecture level into `out`, the county level into `out/county`, each stage for both
    levels before the next; the reports are rendered by `jobs` processes (None: per core)."""
    tell = progress or (lambda stage, done, total: None)
    levels = _levels(out)
    totals = {
        "workbooks": sum(len(lv.sample.units) * len(lv.sample.years) for lv in levels),
        "score": sum(len(lv.sample.years) for lv in levels),
        "reports": sum(len(lv.sample.units) + 2 for lv in levels),
    }
    done = dict.fromkeys(totals, 0)

    def step(stage: str) -> None:
        done[stage] += 1
        tell(stage, done[stage], totals[stage])

    for stage in (_fill_level, _score_level):
        for lv in levels:
            stage(lv, step)
    for lv in levels:
        latest = lv.docs[max(lv.docs)]
        lv.reports.extend(
            render_reports(
                latest,
                lv.folder / "reports",
                scheme=lv.scheme,
                scheme_file=lv.scheme_file,
                roster=lv.roster,
                lang=lang,
                notice=demo_notice(),
                progress=lambda _name: step("reports"),
                jobs=jobs,
            )
        )
    return DemoOutcome(levels)


def _fill_level(lv: DemoLevel, step: Callable[[str], None]) -> None:
    """Each unit's template for each sample year, filled in with the sample as a city would."""
    for year in lv.sample.years:
        blank, filled = lv.folder / "templates" / str(year), lv.folder / "workbooks" / str(year)
        for unit_id in sorted(lv.sample.units):
            lv.workbooks.append(
                sample_workbook(lv.sample, lv.scheme, lv.roster[unit_id], year, blank, filled)
            )
            step("workbooks")


def _score_level(lv: DemoLevel, step: Callable[[str], None]) -> None:
    """Each year's workbooks validated and scored, a later year against the one before it
    (trends, and a robustness analysis)."""
    previous: Path | None = None
    for year in lv.sample.years:
        target = lv.folder / "results" / str(year)
        outcome = score_submissions(
            [lv.folder / "workbooks" / str(year)],
            target,
            scheme_path=lv.scheme_file,
            cities_dir=lv.cities,
            previous=previous,
            robustness=ROBUSTNESS if previous else None,
        )
        lv.docs[year] = outcome.doc
        lv.results.extend(outcome.written)
        previous = target
        step("score")
