"""Bilingual PDF reports from `assessment.json`: one per unit, an overview of them all, and the
action list of every unit as a workbook.

Reports read the assessment document, the scheme it names and the base map the scheme names,
nothing else: the templates only lay out what the typed contexts (`city_report`, `overview`)
already hold.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict
from pydantic_core import to_json

from ..assessment.document import AssessmentDoc
from ..cities import Roster, load_roster
from ..io.atomic import write_atomic
from ..io.folders import output_folder
from ..io.processes import clean_stale, die_with_parent, run_folder
from ..problems import BeautycityError
from ..scheme.load import load_scheme
from ..scheme.model import Scheme
from ..texts import label
from .basemap import load_map
from .city import city_report, unit_of
from .context import Bi, Edition
from .fonts import cjk_family
from .formats import tx
from .ledger import write_ledger
from .overview import overview
from .pdf import Renderer

__all__ = [
    "Job",
    "Written",
    "demo_notice",
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


def illustrative(doc: AssessmentDoc) -> bool:
    """Whether any value of the assessment is a sample value, not a published figure (the
    data source the demonstration fills in): its reports must then say so on every page."""
    sample = label("illustrative_source")
    return any(r.source.data_source == sample for u in doc.units for r in u.indicators)


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
    edition: Edition | None = None,
    renderer: Renderer | None = None,
) -> tuple[bytes, int]:
    """One unit's report as PDF bytes, with its page count."""
    renderer = renderer or Renderer(lang)
    context = city_report(doc, scheme, unit_id, renderer.lang, notice, edition)
    return renderer.pdf("city.html", context)


def render_overview(
    doc: AssessmentDoc,
    scheme: Scheme,
    *,
    lang: str = "bilingual",
    notice: Bi | None = None,
    edition: Edition | None = None,
    roster: Roster | None = None,
    renderer: Renderer | None = None,
    scheme_file: Path | str | None = None,
    map_data: dict[str, Any] | None = None,
) -> tuple[bytes, int]:
    """The overview as PDF bytes, with its page count. Its map is `map_data`, else the base
    map the scheme names (looked up beside `scheme_file` too, see `basemap.find_map`)."""
    renderer = renderer or Renderer(lang)
    if map_data is None:
        map_data = load_map(scheme, scheme_file)
    units = roster or load_roster()
    context = overview(doc, scheme, units, map_data, renderer.lang, notice, edition)
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
    edition: Edition | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
    scheme_file: Path | str | None = None,
) -> list[Written]:
    """Write the reports into folder `out` as one set (see `planned`); `progress` is told
    each file's name once it is written, in the planned order. Files of other units already
    in `out` stay. The PDFs are rendered by `jobs` processes (None: one per core); the bytes
    are the same whatever their number. The overview's base map is looked up beside
    `scheme_file` too, before anything is rendered."""
    plan = planned(doc, cities)
    scheme = scheme or scheme_for(doc)
    notice = notice or (demo_notice() if illustrative(doc) else None)
    pdfs = [job for job in plan if job.kind != "actions"]
    # A map that cannot be read is a problem now, not after minutes of rendering.
    map_data = load_map(scheme, scheme_file) if any(j.kind == "overview" for j in pdfs) else None
    pages: dict[str, int] = {}
    target = Path(out)
    with (
        output_folder(target) as staging,
        _rendering(
            pdfs,
            _Shared(
                doc=doc,
                scheme=scheme,
                roster=roster,
                notice=notice,
                edition=edition or Edition(),
                map_data=map_data,
            ),
            lang,
            jobs,
        ) as rendered,
    ):
        for job in plan:
            if job.kind == "actions":
                write_ledger(doc, scheme, staging, lang)
            else:
                data, pages[job.name] = next(rendered)
                write_atomic(staging / job.name, lambda p, d=data: p.write_bytes(d))
            if progress:
                progress(job.name)
    paths = [target / j.name for j in plan]
    return [Written(path=p, size=p.stat().st_size, pages=pages.get(p.name)) for p in paths]


class _Shared(BaseModel):
    """What rendering any PDF of a run reads; a run's worker processes get it as one JSON file."""

    doc: AssessmentDoc
    scheme: Scheme
    roster: Roster | None
    notice: Bi | None
    edition: Edition
    map_data: dict[str, Any] | None  # the overview's base map, None for none


def _render(job: Job, run: _Shared, renderer: Renderer) -> tuple[bytes, int]:
    if job.kind == "overview":
        return render_overview(
            run.doc,
            run.scheme,
            notice=run.notice,
            edition=run.edition,
            roster=run.roster,
            renderer=renderer,
            map_data=run.map_data,
        )
    return render_city(
        run.doc, run.scheme, job.unit, notice=run.notice, edition=run.edition, renderer=renderer
    )


@contextmanager
def _rendering(
    pdfs: list[Job], inputs: _Shared, lang: str, jobs: int | None
) -> Iterator[Iterator[tuple[bytes, int]]]:
    """The PDFs of `pdfs` in order, each with its page count: rendered in this process, or by
    a pool of processes when more than one is asked for and there is more than one PDF."""
    clean_stale(RUN_FOLDER)  # what killed runs left, whether or not this one needs a folder
    workers = min(jobs or os.cpu_count() or 1, len(pdfs))
    if workers <= 1:
        renderer = Renderer(lang)  # fonts and styles once
        yield (_render(job, inputs, renderer) for job in pdfs)
        return
    cjk_family()  # no font is a problem raised here, not a worker failing to start
    # Named with this process's id: the next run removes it if this one is killed.
    with run_folder(RUN_FOLDER) as folder:
        # Workers get the path of a JSON file: a large start-up argument would be written
        # into a pipe that blocks for good if the worker dies before reading it. NaN and
        # infinities are kept, so that the workers see the very values this process has.
        shared = folder / "inputs.json"
        shared.write_bytes(to_json(inputs.model_dump(mode="json"), inf_nan_mode="constants"))
        # Spawned, not forked: a fork would copy the locks of the parent's other threads (a
        # progress bar's, Pango's) in whatever state they are.
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(str(shared), lang),
        )
        try:
            futures = [pool.submit(_render_in_worker, job) for job in pdfs]
            yield (future.result() for future in futures)
        finally:
            # On an error, what has not started is dropped; the parent's error stands.
            pool.shutdown(cancel_futures=True)


_worker: tuple[_Shared, Renderer]  # a pool worker's inputs, set once by `_start_worker`
RUN_FOLDER = "beautycity-report-"  # the prefix of a run's temporary folder


def _start_worker(shared: str, lang: str) -> None:
    global _worker
    # A killed parent runs no clean-up: the worker must not go on without it.
    die_with_parent()
    # Ctrl-C reaches the whole process group: the parent stops the run, and with it the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (_Shared.model_validate_json(Path(shared).read_bytes()), Renderer(lang))


def _render_in_worker(job: Job) -> tuple[bytes, int]:
    return _render(job, *_worker)
