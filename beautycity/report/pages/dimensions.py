"""维度得分: the radar of the unit against the mean of all units and of its group (bars for
fewer than three dimensions), the dimension table and, when the assessment knows last year,
the trend since then."""

from __future__ import annotations

from ...assessment.document import IndicatorResult
from ...assessment.rules import Status
from ...scheme.model import Direction, Indicator
from ..charts import radar
from ..charts.groupbars import dimension_bars
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
    previous: str  # last year's score, "" without last year
    change: str  # signed, with an arrow of the same sign: "▲ +2.1", "▼ −0.4", "–"


class TrendLine(Ctx):
    """An indicator that moved the total: its value then and now, and the points it added."""

    code: str
    name: Bi
    previous: Quantity
    value: Quantity
    points: str  # signed points of the total, "+0.42" / "−0.31"
    up: bool  # the arrow: the sign of `points`


class Projection(Ctx):
    """Where the trend leads by the milestone year: what "on track" or "off track" rests on."""

    code: str
    name: Bi
    value: Quantity
    projected: Quantity
    year: str
    target: Quantity
    status: Status


class Trend(Ctx):
    year: str
    total: Bi  # "71.2 → 74.5"
    rank: Bi
    grade: Bi
    improved: str
    worsened: str
    unchanged: str
    movers: tuple[TrendLine, ...]  # the indicators that moved the total most, largest first
    rank_note: Bi | None  # the score rose but the rank fell: who passed the unit
    projections: tuple[Projection, ...]
    caveat: Bi | None  # last year was scored under another scheme version


class Dimensions(Ctx):
    radar: str  # SVG: a radar, or grouped bars for fewer than three dimensions
    chart: str  # the figure's class: "radar" or "dimension-bars"
    caption: Bi
    dimensions: tuple[DimensionRow, ...]
    trend: Trend | None


RADAR_SPREAD = 10.0  # points between the unit's best and worst dimension for a radar


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
    scores = [d.score for d in u.dimensions]
    # A radar whose polygon is nearly round says nothing: bars then, which keep the levels.
    kind = "radar" if n >= 3 and max(scores) - min(scores) >= RADAR_SPREAD else "bars"
    axes = [axis_label(bi(d.name), lang) for d in scheme.dimensions]
    return Dimensions(
        radar=radar(axes, series) if kind == "radar" else dimension_bars(axes, series),
        chart="radar" if kind == "radar" else "dimension-bars",
        caption=tx(
            "dimensions.caption_alone" if alone else "dimensions.caption",
            chart=tx(f"dimensions.{kind}"),
            n=n,
            region=area,
        ),
        dimensions=dimension_rows(src),
        trend=_trend(src),
    )


def _group(src: PageInput) -> dict[str, float]:
    """The mean dimension scores of the units of the unit's positioning."""
    return next(g for g in src.doc.groups if g.positioning == src.unit.positioning).dimensions


def dimension_rows(src: PageInput) -> tuple[DimensionRow, ...]:
    """The unit's dimensions with their scores, weights and ranks, against province and group."""
    u, doc, scheme = src.unit, src.doc, src.scheme
    group = _group(src)
    prev = u.previous.dimensions if u.previous else {}
    return tuple(
        DimensionRow(
            code=scheme.dimension[d.id].code,
            name=bi(scheme.dimension[d.id].name),
            score=score(d.score),
            weight=num(d.weight, 1),
            rank=str(d.rank),
            province=score(doc.province.dimensions.get(d.id)),
            group=score(group.get(d.id)),
            previous=score(prev[d.id]) if d.id in prev else "",
            change=arrow(d.score - prev[d.id]) if d.id in prev else "",
        )
        for d in u.dimensions
    )


def arrow(change: float, decimals: int = 1) -> str:
    """A change as printed, with an arrow that agrees with its sign."""
    shown = round(change, decimals)
    if shown == 0:
        return "–"
    return f"{'▲' if shown > 0 else '▼'} {signed(shown, decimals)}"


def _trend(src: PageInput) -> Trend | None:
    u, scheme, compared = src.unit, src.scheme, src.doc.comparison
    prev = u.previous
    if prev is None:
        return None
    changed = [r for r in u.indicators if r.change is not None]
    better = [r for r in changed if r.change and _better(scheme.indicator[r.id], r)]
    worse = [r for r in changed if r.change and r not in better]
    moved = [
        r for r in u.indicators if r.previous_contribution is not None and r.previous is not None
    ]
    moved.sort(key=lambda r: (-abs(_moved(r)), scheme.indicator[r.id].code))

    def line(r: IndicatorResult) -> TrendLine:
        ind = scheme.indicator[r.id]
        return TrendLine(
            code=ind.code,
            name=bi(ind.name),
            previous=quantity(ind, r.previous),
            value=quantity(ind, r.value),
            points=signed(_moved(r), 2),
            up=_moved(r) > 0,
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
        movers=tuple(line(r) for r in moved[:6] if round(_moved(r), 2) != 0),
        rank_note=_rank_note(src),
        projections=_projections(src),
        caveat=tx(
            "trend.other_scheme",
            version=compared.scheme.version,
            n=len(compared.excluded),
        )
        if compared and not compared.same_scheme
        else None,
    )


def _moved(r: IndicatorResult) -> float:
    """Points of the total the indicator gained (+) or lost (−) since last year."""
    return r.contribution - (r.previous_contribution or 0.0)


def _rank_note(src: PageInput) -> Bi | None:
    """When the unit's own total rose and its rank still fell: the units that passed it."""
    u, doc = src.unit, src.doc
    prev = u.previous
    if prev is None or u.total <= prev.total or u.rank <= prev.rank:
        return None
    passed = [
        o
        for o in doc.units
        if o.previous and o.previous.rank > prev.rank and o.rank < u.rank and o.id != u.id
    ]
    if not passed:
        return None
    gains = [o.total - o.previous.total for o in passed]
    names = [bi(o.short) for o in passed]
    return tx(
        "trend.rank_note",
        gain=num(u.total - prev.total, 1),
        before=prev.rank,
        after=u.rank,
        n=len(passed),
        units=Bi(zh="、".join(n.zh for n in names), en=", ".join(n.en for n in names)),
        least=num(min(gains), 1),
    )


def _projections(src: PageInput) -> tuple[Projection, ...]:
    """The indicators judged by their trend, the lagging first, with the projected value."""
    u, scheme = src.unit, src.scheme
    judged = [r for r in u.indicators if r.projected is not None and r.status in _BY_TREND]
    judged.sort(key=lambda r: (_BY_TREND.index(r.status), scheme.indicator[r.id].code))
    out = []
    for r in judged:
        ind = scheme.indicator[r.id]
        out.append(
            Projection(
                code=ind.code,
                name=bi(ind.name),
                value=quantity(ind, r.value),
                projected=quantity(ind, r.projected),
                year=str(r.milestone_year or ""),
                target=quantity(ind, r.milestone_target),
                status=r.status,
            )
        )
    return tuple(out)


_BY_TREND: tuple[Status, ...] = ("off_track", "on_track")


def _better(ind: Indicator, r: IndicatorResult) -> bool:
    if ind.direction is Direction.HIGHER:
        return (r.change or 0) > 0
    if ind.direction is Direction.LOWER:
        return (r.change or 0) < 0
    target = r.milestone_target
    return target is not None and abs(r.value - target) < abs(r.previous - target)
