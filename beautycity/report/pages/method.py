"""附录二 方法说明: the methods and weights actually used, as the assessment recorded them, the
grade bands, the vetoes and the adjustments."""

from __future__ import annotations

from ..context import Bi, Ctx
from ..formats import bi, num, tx
from . import PageInput, page
from .dimensions import DimensionRow, dimension_rows


class MethodLine(Ctx):
    """One method actually used: what it is applied to, and its formula."""

    topic: Bi
    codes: str  # the indicators it scores, for normalisations
    name: Bi
    formula: Bi


class Band(Ctx):
    name: Bi
    min: str


class Methodology(Ctx):
    scheme: Bi
    scheme_version: str
    scheme_sha: str
    tool_version: str
    lines: tuple[MethodLine, ...]
    dimension_weights: tuple[DimensionRow, ...]
    grades: tuple[Band, ...]
    vetoes: tuple[Bi, ...]
    adjustments: tuple[Bi, ...]


@page("method", 60)
def methodology(src: PageInput) -> Methodology:
    """The formulas of the methods this run used (`doc.params`), for this unit's indicators."""
    doc, u, scheme = src.doc, src.unit, src.scheme
    params = doc.params
    by_method: dict[str, list[str]] = {}
    for r in u.indicators:
        ind = scheme.indicator[r.id]
        method = ind.scoring.method
        if params.normalisation and method != "yesno":
            method = params.normalisation  # the run's override of every scaled indicator
        by_method.setdefault(method, []).append(ind.code)
    lines = [
        MethodLine(
            topic=tx("method.normalise"),
            codes=", ".join(codes),
            name=tx(f"formulas.{method}.name"),
            formula=tx(f"formulas.{method}.formula"),
        )
        for method, codes in sorted(by_method.items())
    ]
    for topic, choice in (
        ("weighting", params.weighting),
        ("aggregation", params.aggregation),
        ("missing", params.missing),
    ):
        lines.append(
            MethodLine(
                topic=tx(f"method.{topic}"),
                codes="",
                name=tx(f"formulas.{choice}.name"),
                formula=tx(f"formulas.{choice}.formula"),
            )
        )
    lines.append(
        MethodLine(
            topic=tx("method.total"),
            codes="",
            name=tx("formulas.adjusted.name"),
            formula=tx("formulas.adjusted.formula"),
        )
    )
    applicable = {r.id for r in u.indicators}
    return Methodology(
        scheme=bi(doc.scheme.name),
        scheme_version=doc.scheme.version,
        scheme_sha=doc.scheme.sha256[:16],
        tool_version=doc.tool_version,
        lines=tuple(lines),
        dimension_weights=dimension_rows(src),
        grades=tuple(Band(name=bi(g.name), min=num(g.min, 0)) for g in scheme.grades),
        vetoes=tuple(
            tx("method.veto", code=i.code, reason=bi(i.veto.reason))
            for i in scheme.indicators
            if i.veto and i.id in applicable
        ),
        adjustments=tuple(
            tx("method.adjustment", code=a.code, name=bi(a.name), definition=bi(a.definition))
            for a in scheme.adjustments
        ),
    )
