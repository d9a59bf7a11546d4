"""维度得分: the radar of the unit against the mean of all units and of its group (bars for
fewer than three dimensions), the dimension table and, when the assessment knows last year,
the trend since then."""

from __future__ import annotations

from ...assessment.document import Comparison, IndicatorResult, UnitResult
from ...scheme.model import Direction, Indicator, InputType, Scheme
from ..charts import radar
from ..context import Bi, Ctx, Quantity
from ..formats import axis_label, bi, chart_label, grade_name, num, quantity, score, signed, tx
from ..naming import region
from . import PageInput, page


class DimensionRow(Ctx):
    code: str
    name: Bi
    score: str
    weight: str
    rank: str
    province: str
    group: str


class TrendLine(Ctx):
    code: str
    name: Bi
    previous: Quantity
    value: Quantity
    change: str
    better: bool


class Trend(Ctx):
    year: str
    total: Bi  # "71.2 → 74.5"
    rank: Bi
    grade: Bi
    improved: str
    worsened: str
    unchanged: str
    best: tuple[TrendLine, ...]
    worst: tuple[TrendLine, ...]
    caveat: Bi | None  # last year was scored under another scheme version


class Dimensions(Ctx):
    radar: str  # SVG: a radar, or grouped bars for fewer than three dimensions
    chart: str  # the figure's class: "radar" or "dimension-bars"
    caption: Bi
    dimensions: tuple[DimensionRow, ...]
    trend: Trend | None


@page("dimensions", 20)
def dimensions(src: PageInput) -> Dimensions:
    u, doc, scheme, lang = src.unit, src.doc, src.scheme, src.lang
    group = _group(src)
    area = region(scheme)
    series = [
        (chart_label(bi(u.short), lang), [d.score for d in u.dimensions]),
        (
            chart_label(tx("radar.province", region=area), lang),
            list(doc.province.dimensions.values()),
        ),
    ]
    alone = u.group_size <= 1  # the group's mean is the unit's own score: no line of its own
    if not alone:
        name = bi(scheme.positioning[u.positioning].name)
        series.append((chart_label(tx("radar.group", name=name), lang), list(group.values())))
    n = len(scheme.dimensions)
    kind = "radar" if n >= 3 else "bars"
    return Dimensions(
        radar=radar([axis_label(bi(d.name), lang) for d in scheme.dimensions], series),
        chart="radar" if kind == "radar" else "dimension-bars",
        caption=tx(
            "dimensions.caption_alone" if alone else "dimensions.caption",
            chart=tx(f"dimensions.{kind}"),
            n=n,
            region=area,
        ),
        dimensions=dimension_rows(src),
        trend=_trend(u, scheme, src.doc.comparison),
    )


def _group(src: PageInput) -> dict[str, float]:
    """The mean dimension scores of the units of the unit's positioning."""
    return next(g for g in src.doc.groups if g.positioning == src.unit.positioning).dimensions


def dimension_rows(src: PageInput) -> tuple[DimensionRow, ...]:
    """The unit's dimensions with their scores, weights and ranks, against province and group."""
    u, doc, scheme = src.unit, src.doc, src.scheme
    group = _group(src)
    return tuple(
        DimensionRow(
            code=scheme.dimension[d.id].code,
            name=bi(scheme.dimension[d.id].name),
            score=score(d.score),
            weight=num(d.weight, 1),
            rank=str(d.rank),
            province=score(doc.province.dimensions.get(d.id)),
            group=score(group.get(d.id)),
        )
        for d in u.dimensions
    )


def _better(ind: Indicator, r: IndicatorResult) -> bool:
    if ind.direction is Direction.HIGHER:
        return (r.change or 0) > 0
    if ind.direction is Direction.LOWER:
        return (r.change or 0) < 0
    target = r.milestone_target
    return target is not None and abs(r.value - target) < abs(r.previous - target)


def _span(ind: Indicator, r: IndicatorResult) -> float:
    """The distance that is worth the whole score, to compare changes across units of measure."""
    floor = getattr(ind.scoring, "floor", None)
    if floor is not None and r.milestone_target is not None:
        return abs(r.milestone_target - floor) or 1.0
    return 1.0 if ind.input.type is InputType.YESNO else abs(r.milestone_target or 0.0) or 1.0


def _trend(u: UnitResult, scheme: Scheme, compared: Comparison | None) -> Trend | None:
    prev = u.previous
    if prev is None:
        return None
    changed = [r for r in u.indicators if r.change is not None]
    better = [r for r in changed if r.change and _better(scheme.indicator[r.id], r)]
    worse = [r for r in changed if r.change and r not in better]

    def size(r: IndicatorResult) -> float:
        return abs(r.change) / _span(scheme.indicator[r.id], r)

    def line(r: IndicatorResult) -> TrendLine:
        ind = scheme.indicator[r.id]
        return TrendLine(
            code=ind.code,
            name=bi(ind.name),
            previous=quantity(ind, r.previous),
            value=quantity(ind, r.value),
            change=signed(r.change, ind.input.decimals),
            better=r in better,
        )

    # The change of the totals as printed, so that the three numbers agree on the page.
    change = signed(round(u.total, 1) - round(prev.total, 1))
    return Trend(
        year=str(prev.year),
        total=Bi.same(f"{score(prev.total)} → {score(u.total)} ({change})"),
        rank=Bi.same(f"{prev.rank} → {u.rank}"),
        grade=tx(
            "trend.grade_line",
            before=grade_name(scheme, prev.grade),
            after=grade_name(scheme, u.grade),
        ),
        improved=str(len(better)),
        worsened=str(len(worse)),
        unchanged=str(len(changed) - len(better) - len(worse)),
        best=tuple(line(r) for r in sorted(better, key=lambda r: -size(r))[:3]),
        worst=tuple(line(r) for r in sorted(worse, key=lambda r: -size(r))[:3]),
        caveat=tx(
            "trend.other_scheme",
            version=compared.scheme.version,
            n=len(compared.excluded),
        )
        if compared and not compared.same_scheme
        else None,
    )
