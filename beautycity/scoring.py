"""One scoring run: validate the workbooks, assess them, and write the result files.

Nothing is written unless every workbook is valid, so a results folder always holds the
complete outcome of one run on valid inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .assessment import Assessment, Inputs, Params, assess
from .cities import load_roster
from .folders import output_folder
from .outputs import read_doc, write_results
from .problems import BeautycityError, Location, Problem, make_problem
from .resources import default_scheme_path
from .results import AssessmentDoc, CellRef, ValueSource, build_doc
from .scheme import Scheme, load_scheme
from .submission import Submission, ValidationReport, read_submissions
from .uncertainty import analyse


@dataclass(frozen=True)
class ScoreOutcome:
    scheme: Scheme
    validation: ValidationReport
    assessment: Assessment
    doc: AssessmentDoc
    written: list[Path]


def score_submissions(
    paths: Iterable[Path | str],
    out: Path,
    *,
    scheme_path: Path | str | None = None,
    cities_dir: Path | str | None = None,
    previous: Path | str | None = None,
    overrides: dict[str, str | None] | None = None,
    robustness: int | None = None,
    seed: int | None = None,
    validated: Callable[[ValidationReport], None] | None = None,
) -> ScoreOutcome:
    """Validate `paths`, score the submissions and write the results into `out`.

    Raises `BeautycityError` with every problem when any workbook is invalid; `validated`
    is told the validation report first (for progress and notes).
    """
    scheme_file = Path(scheme_path) if scheme_path else default_scheme_path()
    scheme = load_scheme(scheme_file)
    roster = load_roster(cities_dir, scheme)
    report = read_submissions(paths, scheme, roster)
    if validated:
        validated(report)
    if not report.valid:
        raise BeautycityError(report.problems)
    subs = report.submissions
    years = sorted({s.year for s in subs})
    if len(years) > 1:
        raise BeautycityError([_problem("score.mixed-years", years=", ".join(map(str, years)))])
    year = years[0]
    prev_doc = _previous(previous, scheme, year)
    params = Params.of(scheme, **(overrides or {}))
    inputs = Inputs.build(
        scheme,
        year,
        [roster[s.city] for s in subs],
        {s.city: {k: r.value for k, r in s.values.items()} for s in subs},
        {s.city: {k: r.value for k, r in s.adjustments.items()} for s in subs},
    )
    assessment = assess(scheme, inputs, params)
    doc = build_doc(
        assessment,
        hashlib.sha256(scheme_file.read_bytes()).hexdigest(),
        sources={s.city: _sources(s) for s in subs},
        previous=prev_doc,
        contacts={s.city: s.contact.model_dump() for s in subs},
    )
    if robustness:
        spec = scheme.robustness.model_copy(
            update={
                "replications": robustness,
                "seed": scheme.robustness.seed if seed is None else seed,
            }
        )
        doc = doc.model_copy(update={"robustness": analyse(assessment, spec)})
    parameters = {**params.model_dump(), "robustness": robustness, "seed": seed}
    with output_folder(out) as staging:
        staged = write_results(staging, doc, scheme, [Path(s.file) for s in subs], parameters)
    return ScoreOutcome(scheme, report, assessment, doc, [out / p.name for p in staged])


def _sources(sub: Submission) -> dict[str, ValueSource]:
    """Each value's cell, the officer's data source and note, and how it was normalised."""
    notes: dict[tuple[str | None, str | None], list[str]] = {}
    for p in sub.normalisations:
        notes.setdefault((p.location.sheet, p.location.cell), []).append(f"{p.zh} / {p.en}")
    name = Path(sub.file).name
    return {
        ind: ValueSource(
            cell=CellRef(file=name, sheet=r.location.sheet or "", cell=r.location.cell or ""),
            data_source=r.source,
            note=r.note,
            normalised=tuple(notes.get((r.location.sheet, r.location.cell), ())),
        )
        for ind, r in sub.values.items()
    }


def _previous(path: Path | str | None, scheme: Scheme, year: int) -> AssessmentDoc | None:
    if path is None:
        return None
    folder = Path(path)
    file = folder / "assessment.json" if folder.is_dir() else folder
    try:
        doc = read_doc(file)
    except (OSError, ValueError):
        raise BeautycityError([_problem("score.previous-unreadable", file=str(file))]) from None
    if doc.scheme.id != scheme.id or doc.year >= year:
        raise BeautycityError(
            [
                _problem(
                    "score.previous-mismatch", file=str(file), year=doc.year, scheme=doc.scheme.id
                )
            ]
        )
    return doc


def _problem(code: str, file: str | None = None, **params: object) -> Problem:
    return make_problem(code, Location(file=file), file=file, **params)
