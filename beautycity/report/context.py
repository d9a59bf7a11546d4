"""What the report templates receive: typed, fully formatted, nothing left to compute.

Every number is already a string as printed, every human text a `Bi` (Chinese and English);
the templates only choose the language and lay things out. Here are the models several
modules share; the model of each page of a unit's report lives with its builder, in
`report/pages/`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, SerializeAsAny

from ..assessment.rules import FollowUpOutcome, Progress, Status
from ..scheme.model import Priority


class Ctx(BaseModel):
    """The base of every report context: frozen, and no field a template does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Bi(Ctx):
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


class Quantity(Ctx):
    """A number and its unit of measure, the number once even when the unit is translated."""

    number: Bi  # yes/no values as words
    unit: Bi  # empty for yes/no
    glue: str  # nothing before %, a space before other units

    def text(self, lang: str) -> str:
        number, unit = self.number.line(lang), self.unit.line(lang)
        return f"{number}{self.glue}{unit}" if unit and number != "—" else number


ReportStatus = Literal["draft", "for_comment", "final"]


class Edition(Ctx):
    """Which edition of the reports this is: its status and, once issued, its date."""

    status: ReportStatus = "draft"
    issued: str | None = None  # ISO date of issue; None: not dated (a draft)


class Meta(Ctx):
    """The PDF's metadata: title, author, language and the date of the assessment."""

    title: str
    author: str
    lang: str  # BCP 47, e.g. zh-CN
    created: str  # W3C date, from the assessment (never the clock)
    keywords: str


class Cover(Ctx):
    title: Bi  # the report's title, from the scheme (`naming.city_title`)
    issuer: Bi | None  # the issuing body, when the scheme names one
    unit: Bi
    year: str
    scheme: Bi
    scheme_version: str
    as_of: Bi
    notice: Bi | None
    total: str
    grade: Bi
    grade_class: str  # css class by the grade's place among the scheme's grades
    status: Bi  # draft, for comment or final
    issued: str | None
    contact: Bi | None  # who filled in the unit's workbook, as the results store it
    positioning: Bi
    statement: Bi  # what the plan asks of the unit's positioning


class Action(Ctx):
    """One line of the action list (整改清单): what lags, by how much, what to do, who leads."""

    code: str
    name: Bi
    status: Status | None  # None where the reasons say it all (or "on track" would mislead)
    reasons: tuple[Bi, ...]  # why it is listed, most serious first
    value: Quantity
    previous: Quantity | None  # last year's value, when it is listed for getting worse
    target: Quantity
    shortfall: Quantity
    lost: float  # points of the total it leaves on the table
    advice: Bi | None
    department: Bi
    due: str  # the milestone year the target belongs to
    carried: bool  # on last year's action list too
    veto: Bi | None  # the reason, when this indicator's veto fired
    priority: Priority


class FollowUp(Ctx):
    """One action of last year's list, and what became of it."""

    code: str
    name: Bi
    previous_status: Status
    status: Status
    outcome: FollowUpOutcome
    recorded: Progress | None  # what the office recorded in last year's ledger
    verdict: Bi  # the outcome, and whether the ledger's record agrees with it


class PathStep(Ctx):
    """One improvement on the path to the next grade."""

    code: str
    name: Bi
    value: Quantity
    to: Quantity
    points: str


class Path(Ctx):
    grade: Bi
    cut: str
    points_needed: str
    total: str  # what the steps add together
    reachable: bool
    veto_only: bool  # the total is over the cut-off already: only a veto holds the grade
    steps: tuple[PathStep, ...]


class ReportPage(Ctx):
    """One page of a unit's report: its context, and the template that lays it out."""

    name: str
    template: str  # under templates/report/, e.g. city/summary.html
    page: SerializeAsAny[Ctx]  # the page's own model, from its builder in `report.pages`


class CityReport(Ctx):
    meta: Meta
    footer: Bi  # on every page but the cover: the status, and the notice when there is one
    region: Bi  # what "the province" is in this scheme's words (`naming.region`)
    cover: Cover
    pages: tuple[ReportPage, ...]  # in page order


class RankRow(Ctx):
    rank: str
    unit: Bi
    positioning: Bi
    total: str
    grade: Bi
    grade_class: str
    group_rank: str
    change: str  # rank change since last year: "▲2", "▼1", "–", ""
    veto: bool
    tied: bool  # not meaningfully different from another unit
    stricter: bool  # held to its positioning's stricter targets
    actions: str
    closed: str


class GroupRow(Ctx):
    name: Bi
    units: Bi
    total: str
    description: Bi


class Overview(Ctx):
    meta: Meta
    footer: Bi
    status: Bi
    issued: str | None
    title: Bi
    issuer: Bi | None  # the issuing body, when the scheme names one
    region: Bi  # what the overview covers (`naming.region`)
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
    bars: tuple[str, ...]  # SVGs of the ranking bars, one figure a page
    map: str | None  # None: the scheme names no base map, and the section is left out
    heatmap: tuple[str, ...]  # SVGs, one figure a page
    groups: tuple[GroupRow, ...]
    group_heatmap: str
    grades: str
    robustness: str | None
    robustness_note: Bi | None
    actions_total: str
    closed_total: str
    listed_total: str  # last year's actions, of which `closed_total` closed
    missing: Bi | None = None  # the units that sent nothing, left out of ranks and means
