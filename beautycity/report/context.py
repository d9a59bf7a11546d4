"""What the report templates receive: typed, fully formatted, nothing left to compute.

Every number is already a string as printed, every human text a `Bi` (Chinese and English);
the templates only choose the language and lay things out.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..assessment.rules import Status


class _Ctx(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bi(_Ctx):
    """A text in Chinese and English; numbers and codes carry the same string in both."""

    zh: str
    en: str

    @classmethod
    def same(cls, text: str) -> Bi:
        return cls(zh=text, en=text)

    def line(self, lang: str, sep: str = " ") -> str:
        """One line of plain text: one language, or Chinese then English (once if equal)."""
        if lang == "zh" or self.zh == self.en:
            return self.zh
        return self.en if lang == "en" else f"{self.zh}{sep}{self.en}"


class Quantity(_Ctx):
    """A number and its unit of measure, the number once even when the unit is translated."""

    number: Bi  # yes/no values as words
    unit: Bi  # empty for yes/no
    glue: str  # nothing before %, a space before other units

    def text(self, lang: str) -> str:
        number, unit = self.number.line(lang), self.unit.line(lang)
        return f"{number}{self.glue}{unit}" if unit and number != "—" else number


class Meta(_Ctx):
    """The PDF's metadata: title, author, language and the date of the assessment."""

    title: str
    author: str
    lang: str  # BCP 47, e.g. zh-CN
    created: str  # W3C date, from the assessment (never the clock)
    keywords: str


class Cover(_Ctx):
    kicker: Bi
    unit: Bi
    year: str
    scheme: Bi
    scheme_version: str
    as_of: Bi
    notice: Bi | None
    total: str
    grade: Bi
    grade_class: str  # css class by the grade's place among the scheme's grades


class Highlight(_Ctx):
    """One strength or gap: the indicator, its value against the target, and its score."""

    code: str
    name: Bi
    value: Quantity
    target: Quantity
    target_year: str
    score: str
    status: Status
    lost: str  # points of the total this indicator leaves on the table


class VetoLine(_Ctx):
    indicator: Bi
    reason: Bi
    effect: Bi


class AdjustmentLine(_Ctx):
    name: Bi
    points: str


class Previous(_Ctx):
    year: str
    total: str
    grade: Bi
    rank: str


class Summary(_Ctx):
    total: str
    base_total: str
    grade: Bi
    grade_class: str
    grade_by_score: Bi | None  # when a veto changed the grade
    rank: str
    units: str
    group_rank: str
    group_size: str
    positioning: Bi
    statement: Bi
    previous: Previous | None
    stability: Bi | None  # one sentence from the robustness analysis, when it was run
    strengths: tuple[Highlight, ...]
    gaps: tuple[Highlight, ...]
    vetoes: tuple[VetoLine, ...]
    adjustments: tuple[AdjustmentLine, ...]


class DimensionRow(_Ctx):
    code: str
    name: Bi
    score: str
    weight: str
    rank: str
    province: str
    group: str


class TrendLine(_Ctx):
    code: str
    name: Bi
    previous: Quantity
    value: Quantity
    change: str
    better: bool


class Trend(_Ctx):
    year: str
    total: Bi  # "71.2 → 74.5"
    rank: Bi
    grade: Bi
    improved: str
    worsened: str
    unchanged: str
    best: tuple[TrendLine, ...]
    worst: tuple[TrendLine, ...]


class IndicatorRow(_Ctx):
    code: str
    name: Bi
    unit: Bi
    value: Bi
    previous: Bi
    target: Bi
    target_year: str
    gap: str
    score: str
    weight: str
    status: Status
    characteristic: bool


class IndicatorGroup(_Ctx):
    code: str
    name: Bi
    score: str
    weight: str
    rows: tuple[IndicatorRow, ...]


class Action(_Ctx):
    """One line of the action list (整改清单): what lags, by how much, what to do, who leads."""

    code: str
    name: Bi
    status: Status
    value: Quantity
    target: Quantity
    shortfall: Quantity
    advice: Bi | None
    department: Bi
    due: str  # the milestone year the target belongs to
    carried: bool  # lagged last year too
    veto: Bi | None  # the reason, when this indicator's veto fired


class FollowUp(_Ctx):
    """Last year's action on one indicator, and whether its gap closed."""

    code: str
    name: Bi
    previous_status: Status
    status: Status
    outcome: str  # closed, progressing, open


class SourceRow(_Ctx):
    code: str
    name: Bi
    value: Bi
    file: str
    cell: str  # sheet!cell
    data_source: str
    note: str
    normalised: tuple[str, ...]
    missing: bool


class DataQuality(_Ctx):
    files: tuple[str, ...]
    reported: str
    missing: str
    normalised: str
    noted: str
    rows: tuple[SourceRow, ...]
    missing_rows: tuple[Bi, ...]


class MethodLine(_Ctx):
    """One method actually used: what it is applied to, and its formula."""

    topic: Bi
    codes: str  # the indicators it scores, for normalisations
    name: Bi
    formula: Bi


class Band(_Ctx):
    name: Bi
    min: str


class Methodology(_Ctx):
    scheme: Bi
    scheme_version: str
    scheme_sha: str
    tool_version: str
    lines: tuple[MethodLine, ...]
    dimension_weights: tuple[DimensionRow, ...]
    grades: tuple[Band, ...]
    vetoes: tuple[Bi, ...]
    adjustments: tuple[Bi, ...]


class CityReport(_Ctx):
    meta: Meta
    cover: Cover
    summary: Summary
    radar: str  # SVG
    dimensions: tuple[DimensionRow, ...]
    trend: Trend | None
    groups: tuple[IndicatorGroup, ...]
    actions: tuple[Action, ...]
    follow_up: tuple[FollowUp, ...]
    previous_year: str
    data: DataQuality
    method: Methodology


class RankRow(_Ctx):
    rank: str
    unit: Bi
    positioning: Bi
    total: str
    grade: Bi
    grade_class: str
    group_rank: str
    change: str  # rank change since last year: "▲2", "▼1", "–", ""
    veto: bool
    actions: str
    closed: str


class GroupRow(_Ctx):
    name: Bi
    units: Bi
    total: str
    description: Bi


class Overview(_Ctx):
    meta: Meta
    title: Bi
    year: str
    scheme: Bi
    scheme_version: str
    as_of: Bi
    notice: Bi | None
    units: str
    mean: str
    best: Bi
    best_total: str
    ranking: tuple[RankRow, ...]
    has_previous: bool
    bars: str
    map: str
    heatmap: str
    groups: tuple[GroupRow, ...]
    group_heatmap: str
    grades: str
    robustness: str | None
    robustness_note: Bi | None
    actions_total: str
    closed_total: str
