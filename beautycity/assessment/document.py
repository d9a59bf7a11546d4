"""The assessment as a document: per unit, per dimension and per indicator results, traceable.

`AssessmentDoc` is what `assessment.json` holds and what reports read. Its field order is the
key order of the JSON, and every raw value carries the file, sheet and cell it came from. This
module needs pydantic only, so that reading a document never loads the engine.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import to_json

from ..problems import BeautycityError, Location
from ..scheme.model import RobustnessSpec, Text
from .params import Params, Step
from .rules import ActionReason, FollowUpOutcome, Progress, Status

SCHEMA_VERSION = "beautycity.assessment/2"


class _Doc(BaseModel):
    # NaN and Infinity written as Python's `json` writes them (see `doc_json`).
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")

    def model_post_init(self, context: Any, /) -> None:
        _share_fields_set(self)


# pydantic gives every instance its own set of the field names it was given: 2 KB for an
# indicator's result, three quarters of a national assessment's memory. The models are
# frozen and pydantic copies the set before it changes one (`model_copy`), so instances given
# the same fields share one set.
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(model: BaseModel) -> None:
    given = model.__pydantic_fields_set__
    object.__setattr__(
        model, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(given), given)
    )


class CellRef(_Doc):
    file: str
    sheet: str
    cell: str


class ValueSource(_Doc):
    """Where one raw value came from, and what the officer wrote beside it."""

    cell: CellRef | None = None
    data_source: str = ""
    note: str = ""
    normalised: tuple[str, ...] = ()  # what was accepted and normalised (e.g. "85%" → 85)


class IndicatorResult(_Doc):
    id: str
    value: float | None
    source: ValueSource
    missing: bool
    score: float | None  # 0–100
    weight: float  # share of the total, in % (0 when missing and renormalised away)
    contribution: float  # points of the total this indicator brings
    target: float | None  # the target of the scheme's target year, where set
    target_year: int | None
    gap: float | None  # value − target, in the indicator's unit
    milestone_year: int | None  # the first target year at or after the assessed year
    milestone_target: float | None
    milestone_gap: float | None
    status: Status
    years_left: int | None = None  # milestone year − assessed year, while before it
    # Why the indicator is on the action list (整改清单), in `rules.ACTION_REASONS` order;
    # empty when it is not. The summary's gaps, the action list and follow-up read only this.
    action: tuple[ActionReason, ...] = ()
    previous: float | None = None
    # Last year's status and action, recomputed under this year's scheme and rules.
    previous_status: Status | None = None
    previous_action: tuple[ActionReason, ...] = ()
    follow_up: FollowUpOutcome | None = None  # for an indicator on last year's action list
    # What the office recorded for last year's action in its rectification ledger (整改台账).
    progress: Progress | None = None
    change: float | None = None
    previous_contribution: float | None = None  # points it brought last year, same rules
    projected: float | None = None  # linear projection of the trend to the milestone year


class DimensionResult(_Doc):
    id: str
    score: float
    weight: float  # in %
    rank: int


class AdjustmentResult(_Doc):
    id: str
    points: float  # signed: bonus +, deduction −


class VetoResult(_Doc):
    indicator: str
    effect: str
    cap_grade: str | None
    reason: Text


class GradeStep(_Doc):
    """One improvement on the path to the next grade: `indicator` from its value to `to`."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        ser_json_inf_nan="constants",
        serialize_by_alias=True,
        validate_by_name=True,
    )

    indicator: str
    from_: float | None = Field(alias="from")
    to: float
    points: float  # what this step adds to the total, after the steps before it


class NextGrade(_Doc):
    """The fewest indicator improvements, each at most to its milestone target, that lift
    the unit into the next better grade (see `nextgrade`)."""

    grade: str  # the next better grade
    points_needed: float  # its cut-off minus today's total (0 when only a veto holds it down)
    reachable: bool  # False: even every step listed leaves the total short
    steps: tuple[GradeStep, ...]


class PreviousResult(_Doc):
    year: int
    total: float
    grade: str | None
    rank: int
    dimensions: dict[str, float] = {}  # each dimension's score last year, by id


class UnitResult(_Doc):
    id: str
    name: Text
    short: Text
    code: str | None
    positioning: str
    statement: Text
    total: float
    base_total: float
    grade: str | None  # None: ranked by a relative method the scheme does not grade
    grade_by_score: str | None
    rank: int
    group_rank: int
    group_size: int
    vetoes: tuple[VetoResult, ...]
    adjustments: tuple[AdjustmentResult, ...]
    dimensions: tuple[DimensionResult, ...]
    indicators: tuple[IndicatorResult, ...]
    previous: PreviousResult | None = None
    contact: dict[str, str] = {}
    # Units this one cannot be told apart from: totals within the scheme's `ties.points`
    # (`rules.ties`), or an order that the robustness analysis finds unsettled.
    tied_with: tuple[str, ...] = ()
    next_grade: NextGrade | None = None  # None at the top grade


class GroupSummary(_Doc):
    positioning: str
    units: tuple[str, ...]
    total: float
    dimensions: dict[str, float]


class SchemeRef(_Doc):
    id: str
    version: str
    name: Text
    target_year: int
    sha256: str
    # A fingerprint of each indicator's meaning (definition, unit, direction, input type):
    # next year's comparison keeps only indicators whose fingerprint is unchanged.
    indicators: dict[str, str] = {}


class Comparison(_Doc):
    """How this year relates to the previous year's results it was compared with."""

    year: int
    scheme: SchemeRef  # the scheme the previous year was scored under
    same_scheme: bool  # same id, version and content: everything is comparable
    # Indicators whose previous values were not compared (new, dropped or redefined).
    excluded: tuple[str, ...] = ()


class UnitRobustness(_Doc):
    id: str
    nominal_rank: int
    # Rank over every replication, other normalisations and aggregations included.
    median_rank: float
    p5: float  # 5th percentile of the rank
    p95: float
    # Rank and grade over the replications on the scheme's own scale: the run's normalisation
    # and aggregation, with weights and optional indicators varied. Grade bands apply only here.
    scheme_median_rank: float
    scheme_p5: float
    scheme_p95: float
    grade_probability: dict[str, float]  # over the scheme's grades, best first ({}: ungraded)
    # Units whose order with this one reverses in at least `ties.reversal` of the replications
    # on the scheme's scale.
    tied_with: tuple[str, ...] = ()


class InputSensitivity(_Doc):
    input: str  # e.g. "weight:green_low_carbon", "normalisation", "optional:rail_freight_share"
    label: Text
    first_order: float


class RobustnessResult(_Doc):
    replications: int
    seed: int
    spec: RobustnessSpec
    units: tuple[UnitRobustness, ...]  # in nominal rank order
    sensitivity: tuple[InputSensitivity, ...]  # largest first


class AssessmentDoc(_Doc):
    schema_version: str
    tool_version: str
    scheme: SchemeRef
    year: int
    params: Params
    steps: tuple[Step, ...]
    units: tuple[UnitResult, ...]  # by rank, then id
    province: GroupSummary
    groups: tuple[GroupSummary, ...]
    grade_counts: dict[str, int]
    robustness: RobustnessResult | None = None  # with `score --robustness N`
    comparison: Comparison | None = None  # with `score --previous`
    # Units of the roster that sent no workbook (`score --partial`): not scored, so in no
    # rank, mean or count of this document.
    missing: tuple[str, ...] = ()


def doc_json(doc: AssessmentDoc) -> str:
    """`assessment.json` as text (see `doc_bytes`)."""
    return doc_bytes(doc).decode()


def doc_bytes(doc: AssessmentDoc) -> bytes:
    """One stable rendering: model field order, UTF-8, two-space indent, newline at the end,
    numbers as Python's `json` writes them (NaN and Infinity included).

    pydantic-core writes it straight from the model: Python's `json` indents in pure Python,
    ten times slower on a large assessment, and orjson would need the model dumped to dicts
    first, which alone takes twice as long as this. The two differ only in how they write
    floats below 1e-4 in size.
    """
    return b"".join(_chunks(doc))


def write_doc(path: Path, doc: AssessmentDoc) -> None:
    """`doc_bytes(doc)` into `path`, piece by piece: at national scale the text is 100 MB."""
    with path.open("wb") as out:
        out.writelines(_chunks(doc))


def _chunks(doc: AssessmentDoc) -> list[bytes | memoryview]:
    text = to_json(doc, indent=2, inf_nan_mode="constants")
    return [*_python_small_floats(text), b"\n"]


# A line of indented JSON whose value is a float under 1e-4 in size as pydantic-core writes it
# (0.00001, 1e-7) and Python does not (1e-05, 1e-07). Strings never span lines, and UTF-8
# holds no quote or backslash byte inside another character.
_SMALL_FLOAT = re.compile(rb'( *(?:"(?:[^"\\]|\\.)*": )?)(-?(?:0\.0000\d*|\d(?:\.\d+)?e-\d+))(,?)')


def _python_small_floats(text: bytes) -> list[bytes | memoryview]:
    """`text` in pieces, its small floats written as Python's `json` writes them."""
    # Only lines holding a marker can need it; searching for the two is fast.
    starts = set()
    for marker in (b"0.0000", b"e-"):
        at = text.find(marker)
        while at != -1:
            starts.add(text.rfind(b"\n", 0, at) + 1)
            at = text.find(marker, at + 1)
    view = memoryview(text)
    out: list[bytes | memoryview] = []
    done = 0
    for start in sorted(starts):
        end = text.find(b"\n", start)
        end = len(text) if end == -1 else end
        found = _SMALL_FLOAT.fullmatch(text, start, end)
        if found:
            out += [view[done:start], found[1], repr(float(found[2])).encode(), found[3]]
            done = end
    return [*out, view[done:]]


def read_doc(path: Path, data: bytes | None = None) -> AssessmentDoc:
    """The assessment in the file `path`, or in `data` (its bytes, read already)."""
    text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    if '"schema_version": "beautycity.assessment/1"' in text[:200]:
        return AssessmentDoc.model_validate(_from_schema_1(json.loads(text)))
    return AssessmentDoc.model_validate_json(text)


def _from_schema_1(data: dict) -> dict:
    """A schema-1 document read as schema 2, so last year's results of an older release
    still serve as `--previous`. Every field schema 2 added has a default, except in the
    robustness analysis, whose grade odds mixed score scales: it is dropped."""
    data.pop("robustness", None)
    return data


def load_assessment(results: Path | str, data: bytes | None = None) -> AssessmentDoc:
    """The assessment in a results folder (or an `assessment.json` named directly), read from
    `data` when its bytes were read already."""
    path = Path(results)
    file = path / "assessment.json" if path.is_dir() else path
    try:
        return read_doc(file, data)
    except (OSError, ValueError, ValidationError):
        raise BeautycityError.single(
            "report.not-an-assessment", Location(file=str(file)), file=str(file)
        ) from None


def doc_moment(doc: AssessmentDoc) -> datetime:
    """The moment that dates an assessment's files: the end of the assessed year."""
    return datetime(doc.year, 12, 31, 0, 0, 0)


def previous_values(doc: AssessmentDoc) -> dict[str, dict[str, float | None]]:
    """Each unit's reported values in `doc`, to show as last year's in next year's template."""
    return {u.id: {i.id: i.value for i in u.indicators} for u in doc.units}
