"""Orchestration of one scoring run (`score_submissions`).

A scoring run validates the workbooks, assesses them and writes the result files; nothing is
written unless every workbook is valid, so a results folder always holds the complete outcome
of one run on valid inputs.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .assessment import rules
from .assessment.build import build_doc
from .assessment.document import AssessmentDoc, CellRef, ValueSource, read_doc
from .assessment.engine import Assessment, Inputs, assess
from .assessment.judge import with_progress
from .assessment.params import Params
from .assessment.uncertainty import analyse
from .cities import Roster, load_roster
from .io.folders import output_folder
from .io.names import printable
from .outputs.write import write_results
from .problems import BeautycityError, Location, Problem, make_problem
from .report.ledger_read import read_ledger
from .resources import (
    default_scheme_path,
)
from .scheme.load import load_scheme
from .scheme.model import RobustnessSpec, Scheme, Text
from .submission.read import Submission, ValidationReport, read_submissions


@dataclass(frozen=True)
class ScoreOutcome:
    scheme: Scheme
    validation: ValidationReport
    assessment: Assessment
    doc: AssessmentDoc
    written: list[Path]
    roster: Roster

    def ranking(self) -> Ranking:
        """The ranking as `score --format json` prints it."""
        return Ranking.of(self.doc, written=tuple(str(p) for p in self.written))


class RankedUnit(BaseModel):
    model_config = ConfigDict(frozen=True)

    rank: int
    id: str
    name: Text
    positioning: str
    group_rank: int
    group_size: int
    total: float
    grade: str | None
    vetoes: tuple[str, ...]  # indicators whose veto fired
    weakest: str  # dimension id
    tied_with: tuple[str, ...]
    grade_probability: float | None = None  # with --robustness
    rank_p5: float | None = None
    rank_p95: float | None = None


class Ranking(BaseModel):
    model_config = ConfigDict(frozen=True)

    year: int
    scheme: str  # id and version
    units: tuple[RankedUnit, ...]  # by rank
    missing: tuple[str, ...]  # units of the roster that sent nothing (--partial)
    written: tuple[str, ...]

    @classmethod
    def of(
        cls, doc: AssessmentDoc, *, written: tuple[str, ...] = (), only: str | None = None
    ) -> Ranking:
        """The ranking of `doc` (of the unit `only`, when given), with the files `written`."""
        odds = {r.id: r for r in doc.robustness.units} if doc.robustness else {}
        return cls(
            year=doc.year,
            scheme=f"{doc.scheme.id} {doc.scheme.version}",
            units=tuple(
                RankedUnit(
                    rank=u.rank,
                    id=u.id,
                    name=u.name,
                    positioning=u.positioning,
                    group_rank=u.group_rank,
                    group_size=u.group_size,
                    total=u.total,
                    grade=u.grade,
                    vetoes=tuple(v.indicator for v in u.vetoes),
                    weakest=rules.weakest(u.dimensions),
                    tied_with=u.tied_with,
                    grade_probability=odds[u.id].grade_probability.get(u.grade or "")
                    if u.id in odds
                    else None,
                    rank_p5=odds[u.id].p5 if u.id in odds else None,
                    rank_p95=odds[u.id].p95 if u.id in odds else None,
                )
                for u in doc.units
                if only is None or u.id == only
            ),
            missing=doc.missing,
            written=written,
        )


def score_submissions(
    paths: Iterable[Path | str],
    out: Path,
    *,
    scheme_path: Path | str | None = None,
    cities_dir: Path | str | None = None,
    previous: Path | str | None = None,
    ledger: Path | str | None = None,
    overrides: dict[str, str | None] | None = None,
    robustness: int | None = None,
    seed: int | None = None,
    validated: Callable[[ValidationReport], None] | None = None,
    year: int | None = None,
    partial: bool = False,
) -> ScoreOutcome:
    """Validate `paths` (as workbooks for `year`, when given), score the submissions and
    write the results into `out`.

    Raises `BeautycityError` with every problem when any workbook is invalid, or when units
    of the roster sent no workbook, unless `partial`: then they are scored without them and
    the results name them (`AssessmentDoc.missing`). `validated` is told the validation
    report first (for progress and notes).
    """
    paths = list(paths)
    scheme_file = Path(scheme_path) if scheme_path else default_scheme_path()
    scheme = load_scheme(scheme_file)
    roster = load_roster(cities_dir, scheme)
    report = read_submissions(paths, scheme, roster, year=year)
    if validated:
        validated(report)
    # Units no workbook claims; an invalid workbook is the unit's, and says so itself.
    claimed = {f.city for f in report.files}
    missing = tuple(u.id for u in roster if u.id not in claimed)
    refused = [] if partial or not missing else [_missing_problem(paths, roster, missing)]
    if not report.valid or refused:
        raise BeautycityError([*report.problems, *refused])
    subs = report.submissions
    years = sorted({s.year for s in subs})
    if len(years) > 1:
        raise BeautycityError([_problem("score.mixed-years", years=", ".join(map(str, years)))])
    year = years[0]
    prev_doc = _previous(previous, scheme, year)
    if ledger is not None and prev_doc is None:
        raise BeautycityError([_problem("score.ledger-needs-previous", file=str(ledger))])
    recorded = read_ledger(Path(ledger), prev_doc, scheme) if ledger and prev_doc else {}
    params = Params.of(scheme, **(overrides or {}))
    inputs = Inputs.build(
        scheme,
        year,
        [roster[s.city] for s in subs],
        {s.city: {k: r.value for k, r in s.values.items()} for s in subs},
        {s.city: {k: r.value for k, r in s.adjustments.items()} for s in subs},
    )
    try:
        assessment = assess(scheme, inputs, params)
    except BeautycityError as exc:
        # A method refuses what the scheme configures for it: point at the scheme file.
        raise BeautycityError(
            [
                p.model_copy(
                    update={"location": p.location.model_copy(update={"file": str(scheme_file)})}
                )
                if p.location.file is None
                else p
                for p in exc.problems
            ]
        ) from None
    result = None
    if robustness:
        # Validated, not copied: the spec's bounds (at least 100 replications) hold here too.
        spec = RobustnessSpec.model_validate(
            {
                **scheme.robustness.model_dump(),
                "replications": robustness,
                "seed": scheme.robustness.seed if seed is None else seed,
            }
        )
        result = analyse(assessment, spec)
    doc = build_doc(
        assessment,
        hashlib.sha256(scheme_file.read_bytes()).hexdigest(),
        sources={s.city: _sources(s) for s in subs},
        previous=prev_doc,
        contacts={s.city: s.contact.model_dump() for s in subs},
        robustness=result,
        missing=missing,
    )
    doc = with_progress(doc, recorded)
    parameters = {**params.model_dump(), "robustness": robustness, "seed": seed}
    # Archived and hashed from the bytes scored, not from files that may have changed since.
    with output_folder(out, paths) as staging, tempfile.TemporaryDirectory() as held:
        ordered = sorted(subs, key=lambda s: (Path(s.file).name, s.file))
        inputs = [s.keep(Path(held) / f"{n:06d}") for n, s in enumerate(ordered)]
        staged = write_results(staging, doc, scheme, inputs, parameters)
    return ScoreOutcome(scheme, report, assessment, doc, [out / p.name for p in staged], roster)


def _sources(sub: Submission) -> dict[str, ValueSource]:
    """Each value's cell, the officer's data source and note, and how it was normalised."""
    notes: dict[tuple[str | None, str | None], list[str]] = {}
    for p in sub.normalisations:
        notes.setdefault((p.location.sheet, p.location.cell), []).append(f"{p.zh} / {p.en}")
    name = printable(Path(sub.file).name)  # result workbooks hold no control characters
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


def _missing_problem(paths: list[Path | str], roster: Roster, missing: tuple[str, ...]) -> Problem:
    units = [roster[uid] for uid in missing]
    return make_problem(
        "score.missing-units",
        Location(file=", ".join(map(str, paths))),
        n=len(units),
        units="、".join(f"{u.name.zh}（{u.id}）" for u in units),
        units_en=", ".join(f"{u.name.en} ({u.id})" for u in units),
    )


def _problem(code: str, file: str | None = None, **params: object) -> Problem:
    return make_problem(code, Location(file=file), file=file, **params)
