"""Bilingual PDF reports from `assessment.json`: one per unit, a provincial overview, and the
action list of every unit as a workbook.

Reports read the assessment document and the scheme it names, nothing else: the templates
only lay out what the typed contexts (`city_report`, `overview`) already hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from ..charts import load_map_data
from ..cities import Roster, load_roster
from ..folders import output_folder
from ..outputs import read_doc, write_atomic
from ..problems import BeautycityError, Location
from ..results import AssessmentDoc
from ..scheme import Scheme, load_scheme
from .actions import write_actions
from .city import city_report, unit_of
from .context import Bi
from .formats import tx
from .overview import overview
from .pdf import Renderer

__all__ = [
    "Job",
    "Written",
    "demo_notice",
    "load_assessment",
    "planned",
    "render_city",
    "render_overview",
    "render_reports",
    "scheme_for",
]


class Written(BaseModel):
    """One file a report run wrote."""

    model_config = ConfigDict(frozen=True)

    path: Path
    size: int
    pages: int | None = None  # PDFs only


def load_assessment(results: Path | str) -> AssessmentDoc:
    """The assessment in a results folder (or an `assessment.json` named directly)."""
    path = Path(results)
    file = path / "assessment.json" if path.is_dir() else path
    try:
        return read_doc(file)
    except (OSError, ValueError, ValidationError):
        raise BeautycityError.single(
            "report.not-an-assessment", Location(file=str(file)), file=str(file)
        ) from None


def scheme_for(doc: AssessmentDoc, path: Path | str | None = None) -> Scheme:
    """The scheme the assessment was scored with (the bundled one unless `path`)."""
    scheme = load_scheme(path)
    if (scheme.id, scheme.version) != (doc.scheme.id, doc.scheme.version):
        raise BeautycityError.single(
            "report.scheme-mismatch",
            doc_scheme=f"{doc.scheme.id} {doc.scheme.version}",
            scheme=f"{scheme.id} {scheme.version}",
        )
    return scheme


def demo_notice() -> Bi:
    """The cover notice of the demonstration: the data are largely illustrative."""
    return tx("notice.demo")


class Job(NamedTuple):
    """One file of a run: a unit's report, the overview, or the action workbook."""

    name: str
    kind: Literal["city", "overview", "actions"]
    unit: str | None = None


def planned(doc: AssessmentDoc, cities: Sequence[str] | None = None) -> list[Job]:
    """The files a run writes, in order: unit PDFs, then the overview and the action workbook
    when every unit is reported. Unknown ids are a problem."""
    for city in cities or ():
        unit_of(doc, city)
    jobs = [
        Job(f"{u.id}-{doc.year}.pdf", "city", u.id)
        for u in doc.units
        if not cities or u.id in cities
    ]
    if not cities:
        jobs += [
            Job(f"overview-{doc.year}.pdf", "overview"),
            Job(f"actions-{doc.year}.xlsx", "actions"),
        ]
    return jobs


def render_city(
    doc: AssessmentDoc,
    scheme: Scheme,
    unit_id: str,
    *,
    lang: str = "bilingual",
    notice: Bi | None = None,
    renderer: Renderer | None = None,
) -> tuple[bytes, int]:
    """One unit's report as PDF bytes, with its page count."""
    renderer = renderer or Renderer(lang)
    return renderer.pdf("city.html", city_report(doc, scheme, unit_id, renderer.lang, notice))


def render_overview(
    doc: AssessmentDoc,
    scheme: Scheme,
    *,
    lang: str = "bilingual",
    notice: Bi | None = None,
    roster: Roster | None = None,
    renderer: Renderer | None = None,
) -> tuple[bytes, int]:
    """The provincial overview as PDF bytes, with its page count."""
    renderer = renderer or Renderer(lang)
    context = overview(doc, scheme, roster or load_roster(), load_map_data(), renderer.lang, notice)
    return renderer.pdf("overview.html", context)


def render_reports(
    doc: AssessmentDoc,
    out: Path | str,
    *,
    scheme: Scheme | None = None,
    roster: Roster | None = None,
    lang: str = "bilingual",
    cities: Sequence[str] | None = None,
    notice: Bi | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Written]:
    """Write the reports into folder `out` as one set (see `planned`); `progress` is told
    each file's name once it is written. Files of other units already in `out` stay."""
    jobs = planned(doc, cities)
    scheme = scheme or scheme_for(doc)
    renderer = Renderer(lang)  # fonts and styles once for the whole run
    pages: dict[str, int] = {}
    target = Path(out)
    with output_folder(target) as staging:
        for job in jobs:
            if job.kind == "actions":
                write_actions(doc, scheme, staging, lang)
            else:
                data, pages[job.name] = (
                    render_overview(doc, scheme, notice=notice, roster=roster, renderer=renderer)
                    if job.kind == "overview"
                    else render_city(doc, scheme, job.unit, notice=notice, renderer=renderer)
                )
                write_atomic(staging / job.name, lambda p, d=data: p.write_bytes(d))
            if progress:
                progress(job.name)
    paths = [target / j.name for j in jobs]
    return [Written(path=p, size=p.stat().st_size, pages=pages.get(p.name)) for p in paths]
