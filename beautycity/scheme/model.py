"""The indicator scheme (指标体系) as typed, validated data, and its effective form per positioning.

A scheme is read from YAML (`indicators/*.yaml`). Field checks run in pydantic; cross-field
checks (weight sums, unknown references, target ranges…) run afterwards in `scheme_checks`,
and every problem comes back at once with its file, line and key path.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..methods import registry
from ..methods.registry import Direction
from ..texts import pick

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Target = float | tuple[float, float]  # a number, or [low, high] for a target range


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Text(Model):
    """Every human-facing text is bilingual."""

    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def line(self, lang: str = "bilingual", sep: str = " ") -> str:
        return pick(self.zh, self.en, lang, sep)


class Kind(StrEnum):
    BINDING = "binding"  # 约束性
    EXPECTED = "expected"  # 预期性


class InputType(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"  # a number in the unit %, typed as 85 or 85%
    COUNT = "count"  # a whole number
    YESNO = "yesno"  # 是 = 1, 否 = 0


class ProvenanceKind(StrEnum):
    SEED = "seed"  # the Beautiful Jilin plan (the seed text)
    NATIONAL = "national"  # a national document (美丽城市建设实施方案 etc.)
    NDRC2020 = "ndrc2020"  # 美丽中国建设评估指标体系 (发改环资〔2020〕296号)
    PROVINCIAL = "provincial"  # another Jilin provincial document
    SCHEME = "scheme"  # defined by this scheme


class Provenance(Model):
    kind: ProvenanceKind
    ref: Text


class Measure(Model):
    """A unit of measure; `aliases` are spellings an officer may type after a number."""

    zh: str
    en: str
    symbol: str = ""
    aliases: tuple[str, ...] = ()


class InputSpec(Model):
    type: InputType = InputType.NUMBER
    min: float | None = None
    max: float | None = None
    decimals: Annotated[int, Field(ge=0, le=6)] = 2

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


# How an indicator's values become 0–100 scores: one parameter model per registered method.
Scoring = registry.scoring_union()


class VetoEffect(StrEnum):
    FAIL = "fail"  # 一票否决: the unit is graded 不合格
    CAP = "cap"  # the grade cannot be better than `cap_grade`


class Veto(Model):
    """A veto fires when the value compares to `value` by `op` (e.g. `>` 0 incidents)."""

    op: Literal[">", ">=", "<", "<=", "=="]
    value: float
    effect: VetoEffect
    cap_grade: Id | None = None
    reason: Text

    def fires(self, x: Any) -> Any:
        """Whether the veto fires, for a number or elementwise for an array (NaN never fires)."""
        return {
            ">": x > self.value,
            ">=": x >= self.value,
            "<": x < self.value,
            "<=": x <= self.value,
            "==": x == self.value,
        }[self.op]


class Baseline(Model):
    """A value the trajectory starts from when there is no previous year (e.g. 2020's)."""

    year: int
    value: float


class Indicator(Model):
    id: Id
    code: Annotated[str, Field(pattern=r"^[A-Z][0-9]{1,2}$")]
    name: Text
    unit: Measure
    definition: Text
    source: Text  # where the officer copies the number from (bulletin, yearbook…)
    provenance: Provenance
    dimension: Id
    direction: Direction
    kind: Kind
    targets: dict[int, Target]
    scoring: Scoring
    # 0 only for a veto-only indicator (reported and checked, never scored: `scheme check`)
    weight: Annotated[float, Field(ge=0)]
    input: InputSpec
    department: Text  # 牵头部门
    partners: tuple[Text, ...] = ()  # 配合部门, named in the rectification ledger
    # What the report recommends when the indicator lags its target (整改建议), declared here
    # so that recommendations are the scheme's rules, never invented prose: `advice` for every
    # unit, overridden for a positioning, overridden again for one unit (`advice_for`).
    advice: Text | None = None
    positioning_advice: dict[Id, Text] = {}
    unit_advice: dict[Id, Text] = {}
    required: bool = True
    veto: Veto | None = None
    positionings: Literal["all"] | tuple[Id, ...] = "all"
    # The unit levels (`cities.Level`: prefecture, county, zone) it applies to, e.g. an
    # indicator the plan sets for 地级及以上城市 only.
    levels: Literal["all"] | tuple[Id, ...] = "all"
    baseline: Baseline | None = None

    def advice_for(self, positioning: str, unit: str) -> Text | None:
        """The most specific advice for a unit: its own, its positioning's, or the default."""
        return self.unit_advice.get(unit) or self.positioning_advice.get(positioning) or self.advice

    @property
    def characteristic(self) -> bool:
        """特色指标: applies only to some positionings."""
        return self.positionings != "all"

    def applies_to(self, positioning: str, level: str | None = None) -> bool:
        """Whether a unit of `positioning` (and `level`, when given) is scored on it."""
        by_level = level is None or self.levels == "all" or level in self.levels
        return by_level and (self.positionings == "all" or positioning in self.positionings)


class Dimension(Model):
    id: Id
    code: Annotated[str, Field(pattern=r"^[A-Z]$")]
    name: Text
    description: Text
    weight: Annotated[float, Field(gt=0)]


class Positioning(Model):
    """城市定位: adds characteristic indicators, shifts weights, tightens targets."""

    id: Id
    name: Text
    description: Text
    dimension_weights: dict[Id, Annotated[float, Field(gt=0)]] = {}
    indicator_weights: dict[Id, Annotated[float, Field(gt=0)]] = {}
    targets: dict[Id, dict[int, Target]] = {}


class GradeBand(Model):
    id: Id
    name: Text
    min: float  # lowest total (inclusive) that earns this grade


class AdjustmentKind(StrEnum):
    BONUS = "bonus"  # 加分项
    DEDUCTION = "deduction"  # 扣分项


class Adjustment(Model):
    """A bonus or deduction applied after aggregation, within `cap` points.

    `basis: count` reads its own input (points per counted item); `basis: shortfall` takes
    an indicator's shortfall from its target (每差1个单位扣x分，扣完为止).
    """

    id: Id
    code: Annotated[str, Field(pattern=r"^[A-Z][0-9]{1,2}$")]
    name: Text
    kind: AdjustmentKind
    basis: Literal["count", "shortfall"]
    points: Annotated[float, Field(gt=0)]  # points per `per` units
    per: Annotated[float, Field(gt=0)] = 1.0
    cap: Annotated[float, Field(gt=0)]
    indicator: Id | None = None  # for basis: shortfall
    unit: Measure | None = None  # for basis: count
    input: InputSpec | None = None  # for basis: count
    definition: Text
    source: Text | None = None
    department: Text


class Years(Model):
    first: int
    last: int

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last


class WeightTotals(Model):
    """What weights must add up to: the dimensions, and the common indicators of each dimension."""

    dimensions: Annotated[float, Field(gt=0)] = 100.0
    indicators: Annotated[float, Field(gt=0)] = 100.0


Weighting = registry.literal(*registry.names("weighting"))
Aggregation = registry.literal(*registry.names("aggregation"))
MissingRule = Literal["renormalise", "zero"]


class MethodDefaults(Model):
    """The scheme's default method; every choice can be overridden for one run."""

    weighting: Weighting = "expert"
    aggregation: Aggregation = "arithmetic"
    missing: MissingRule = "renormalise"  # optional values left empty: drop and renormalise, or 0
    # Pairwise comparisons of the dimensions (in scheme order) for weighting: ahp.
    ahp_dimensions: tuple[tuple[float, ...], ...] | None = None
    # A relative aggregation (TOPSIS closeness) is graded by the bands only when the scheme
    # says its 100 × closeness is on the bands' scale; otherwise units are ranked, not graded.
    grade_relative: bool = False


class TieRule(Model):
    """When two units cannot be told apart: totals within `points`, or, after a robustness
    analysis, an order that reverses in at least `reversal` of the replications on the
    scheme's scale (with the 5 % default, the order is not settled at the 90 % level that
    the 5–95 % rank intervals use)."""

    points: Annotated[float, Field(ge=0, le=10)] = 0.5
    reversal: Annotated[float, Field(gt=0, le=0.5)] = 0.05


class RobustnessSpec(Model):
    """The choices a robustness analysis varies: how far, and among which alternatives."""

    weight_spread: Annotated[float, Field(ge=0, le=0.9)] = 0.25  # ± share per dimension weight
    # "scheme" is each indicator's own method; the others replace every scaled indicator's.
    normalisations: tuple[
        registry.literal("scheme", *registry.names("normalisation", override=True)), ...
    ] = ("scheme", "minmax", "efficacy")
    aggregations: tuple[registry.literal(*registry.names("aggregation", batch=True)), ...] = (
        "arithmetic",
        "geometric",
    )
    optional_indicators: bool = True  # include or exclude each optional indicator
    # Fewer than 100 replications give rank percentiles and grade odds too coarse to print.
    replications: Annotated[int, Field(ge=100, le=1_000_000)] = 1000
    seed: int = 2027


class ReportSpec(Model):
    """How reports name themselves: titles, issuing body, region and map come from the scheme,
    never from the code. Titles take {unit} and {year}; what is left out is derived from the
    scheme's own name."""

    issuer: Text | None = None  # 发布机关, e.g. 吉林省生态环境厅
    region: Text | None = None  # what the overview covers, e.g. 吉林省 / Jilin province
    city_title: Text | None = None  # e.g. "{unit}{year}年美丽城市建设评估报告"
    overview_title: Text | None = None  # e.g. "{year}年美丽城市建设评估全省总览"
    # A base map (built by scripts/build_map.py) in the working folder or templates/assets/;
    # None: no map, units are listed instead
    map: str | None = None


Priority = Literal["high", "medium", "low"]


class FollowUpRules(Model):
    """整改 deadlines: months from the end of the assessed year that a unit has to rectify an
    action of each priority (an interim deadline, never later than the action's milestone
    year). The priority of an action follows from its most serious reason (`report.actions`)."""

    months: dict[Priority, Annotated[int, Field(ge=1, le=60)]] = {
        "high": 6,
        "medium": 12,
        "low": 12,
    }


class Change(Model):
    """One release of a scheme: what changed and why, for evaluators and units."""

    version: Annotated[str, Field(min_length=1)]
    released: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]  # YYYY-MM-DD
    changes: tuple[Text, ...]


class Scheme(Model):
    id: Id
    version: Annotated[str, Field(min_length=1)]
    name: Text
    description: Text
    changelog: tuple[Change, ...] = ()  # newest first
    report: ReportSpec = ReportSpec()
    follow_up: FollowUpRules = FollowUpRules()
    years: Years
    target_year: int  # the year whose targets gaps are measured against
    weights: WeightTotals = WeightTotals()
    method: MethodDefaults = MethodDefaults()
    dimensions: tuple[Dimension, ...]
    positionings: tuple[Positioning, ...]
    indicators: tuple[Indicator, ...]
    adjustments: tuple[Adjustment, ...] = ()
    grades: tuple[GradeBand, ...]
    robustness: RobustnessSpec = RobustnessSpec()
    ties: TieRule = TieRule()

    @cached_property
    def dimension(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def positioning(self) -> dict[str, Positioning]:
        return {p.id: p for p in self.positionings}

    @cached_property
    def indicator(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}
