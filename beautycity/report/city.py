"""The context of one unit's report, from the assessment document and the scheme alone."""

from __future__ import annotations

from ..assessment.document import AssessmentDoc, IndicatorResult, UnitResult, doc_moment
from ..problems import BeautycityError
from ..scheme.model import Direction, Indicator, InputType, Scheme
from .actions import follow_up, points_lost, unit_actions
from .annex import data_quality, methodology
from .charts import radar
from .context import (
    AdjustmentLine,
    Bi,
    CityReport,
    Cover,
    DimensionRow,
    Highlight,
    IndicatorGroup,
    IndicatorRow,
    Meta,
    Previous,
    Summary,
    Trend,
    TrendLine,
    VetoLine,
)
from .formats import axis_label, bi, chart_label, measure, num, quantity, score, signed, tx, value


def unit_of(doc: AssessmentDoc, unit_id: str) -> UnitResult:
    for u in doc.units:
        if u.id == unit_id:
            return u
    known = ", ".join(u.id for u in doc.units)
    raise BeautycityError.single("report.unknown-city", value=unit_id, known=known)


def grade_class(scheme: Scheme, grade_id: str) -> str:
    """`grade-0` for the best grade, `grade-1` for the next…: the badge colours go by place."""
    ids = [g.id for g in scheme.grades]
    return f"grade-{ids.index(grade_id)}"


def grade_name(scheme: Scheme, grade_id: str) -> Bi:
    return bi(next(g.name for g in scheme.grades if g.id == grade_id))


def meta(doc: AssessmentDoc, title: Bi, lang: str) -> Meta:
    return Meta(
        title=title.line(lang, " / "),
        author=tx("meta.author").line(lang, " / "),
        lang="en" if lang == "en" else "zh-CN",
        created=doc_moment(doc).date().isoformat(),
        keywords=f"{doc.scheme.id} {doc.scheme.version} {doc.year}",
    )


def as_of(doc: AssessmentDoc) -> Bi:
    when = doc_moment(doc)
    # ISO in English: a month name would follow the machine's locale.
    return tx("cover.as_of", y=when.year, m=when.month, d=when.day, date=when.date().isoformat())


def city_report(
    doc: AssessmentDoc,
    scheme: Scheme,
    unit_id: str,
    lang: str = "bilingual",
    notice: Bi | None = None,
) -> CityReport:
    u = unit_of(doc, unit_id)
    name = bi(u.name)
    title = tx("meta.city_title", unit=name, year=doc.year)
    grade = grade_name(scheme, u.grade)
    group = next(g for g in doc.groups if g.positioning == u.positioning)
    dims = _dimensions(u, doc, scheme, group.dimensions)
    previous = u.previous.year if u.previous else None
    return CityReport(
        meta=meta(doc, title, lang),
        cover=Cover(
            kicker=tx("cover.kicker"),
            unit=name,
            year=str(doc.year),
            scheme=bi(doc.scheme.name),
            scheme_version=doc.scheme.version,
            as_of=as_of(doc),
            notice=notice,
            total=score(u.total),
            grade=grade,
            grade_class=grade_class(scheme, u.grade),
        ),
        summary=_summary(u, doc, scheme),
        radar=radar(
            [axis_label(bi(d.name), lang) for d in scheme.dimensions],
            [
                (chart_label(bi(u.short), lang), [d.score for d in u.dimensions]),
                (chart_label(tx("radar.province"), lang), list(doc.province.dimensions.values())),
                (
                    chart_label(
                        tx("radar.group", name=bi(scheme.positioning[u.positioning].name)), lang
                    ),
                    list(group.dimensions.values()),
                ),
            ],
        ),
        dimensions=dims,
        trend=_trend(u, scheme),
        groups=_groups(u, scheme),
        actions=unit_actions(u, scheme),
        follow_up=follow_up(u, scheme),
        previous_year=str(previous or ""),
        data=data_quality(u, scheme),
        method=methodology(doc, u, scheme, dims),
    )


def _summary(u: UnitResult, doc: AssessmentDoc, scheme: Scheme) -> Summary:
    scored = [r for r in u.indicators if r.score is not None]
    strengths = sorted(scored, key=lambda r: (-r.score, -r.weight, scheme.indicator[r.id].code))
    gaps = sorted(
        (r for r in scored if points_lost(r) > 0),
        key=lambda r: (-points_lost(r), scheme.indicator[r.id].code),
    )
    pos = scheme.positioning[u.positioning]
    prev = u.previous
    return Summary(
        total=score(u.total),
        base_total=score(u.base_total),
        grade=grade_name(scheme, u.grade),
        grade_class=grade_class(scheme, u.grade),
        grade_by_score=grade_name(scheme, u.grade_by_score)
        if u.grade != u.grade_by_score
        else None,
        rank=str(u.rank),
        units=str(len(doc.units)),
        group_rank=str(u.group_rank),
        group_size=str(u.group_size),
        positioning=bi(pos.name),
        statement=bi(u.statement),
        previous=Previous(
            year=str(prev.year),
            total=score(prev.total),
            grade=grade_name(scheme, prev.grade),
            rank=str(prev.rank),
        )
        if prev
        else None,
        stability=_stability(u, doc, scheme),
        strengths=tuple(_highlight(r, scheme) for r in strengths[:3]),
        gaps=tuple(_highlight(r, scheme) for r in gaps[:3]),
        vetoes=tuple(
            VetoLine(
                indicator=bi(scheme.indicator[v.indicator].name),
                reason=bi(v.reason),
                effect=tx("veto.fail")
                if v.effect == "fail"
                else tx("veto.cap", grade=grade_name(scheme, v.cap_grade or u.grade)),
            )
            for v in u.vetoes
        ),
        adjustments=tuple(
            AdjustmentLine(
                name=bi(next(a for a in scheme.adjustments if a.id == adj.id).name),
                points=signed(adj.points, 2),
            )
            for adj in u.adjustments
            if adj.points
        ),
    )


def _stability(u: UnitResult, doc: AssessmentDoc, scheme: Scheme) -> Bi | None:
    """How firmly the unit holds its rank and grade when the method's open choices vary."""
    if doc.robustness is None:
        return None
    r = next(x for x in doc.robustness.units if x.id == u.id)
    lo, hi = round(r.p5), round(r.p95)
    return tx(
        "summary.stability_fixed" if lo == hi else "summary.stability_range",
        n=f"{doc.robustness.replications:,}",
        lo=lo,
        hi=hi,
        grade=grade_name(scheme, u.grade),
        p=round(100 * r.grade_probability.get(u.grade, 0.0)),
    )


def _highlight(r: IndicatorResult, scheme: Scheme) -> Highlight:
    ind = scheme.indicator[r.id]
    return Highlight(
        code=ind.code,
        name=bi(ind.name),
        value=quantity(ind, r.value),
        target=quantity(ind, r.milestone_target),
        target_year=str(r.milestone_year or ""),
        score=score(r.score),
        status=r.status,
        lost=num(points_lost(r), 2),
    )


def _dimensions(
    u: UnitResult, doc: AssessmentDoc, scheme: Scheme, group: dict[str, float]
) -> tuple[DimensionRow, ...]:
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


def _trend(u: UnitResult, scheme: Scheme) -> Trend | None:
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
    )


def _groups(u: UnitResult, scheme: Scheme) -> tuple[IndicatorGroup, ...]:
    results = {r.id: r for r in u.indicators}
    dims = {d.id: d for d in u.dimensions}
    out = []
    for dim in scheme.dimensions:
        rows = []
        for ind in scheme.indicators:
            r = results.get(ind.id)
            if ind.dimension != dim.id or r is None:
                continue
            yesno = ind.input.type is InputType.YESNO
            rows.append(
                IndicatorRow(
                    code=ind.code,
                    name=bi(ind.name),
                    unit=measure(ind),
                    value=value(ind, r.value),
                    previous=value(ind, r.previous),
                    target=value(ind, r.milestone_target),
                    target_year=str(r.milestone_year or ""),
                    gap="—" if yesno else signed(r.milestone_gap, ind.input.decimals),
                    score=score(r.score),
                    weight=num(r.weight, 2),
                    status=r.status,
                    characteristic=ind.characteristic,
                )
            )
        out.append(
            IndicatorGroup(
                code=dim.code,
                name=bi(dim.name),
                score=score(dims[dim.id].score),
                weight=num(dims[dim.id].weight, 1),
                rows=tuple(rows),
            )
        )
    return tuple(out)
