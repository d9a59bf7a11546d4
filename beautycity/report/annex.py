"""The two annexes of a unit's report: data quality (where each value came from) and methodology
(the methods and weights actually used, as the assessment recorded them)."""

from __future__ import annotations

from ..assessment.document import AssessmentDoc, UnitResult
from ..scheme.model import Scheme
from .context import Band, Bi, DataQuality, DimensionRow, MethodLine, Methodology, SourceRow
from .formats import bi, num, tx, value


def data_quality(u: UnitResult, scheme: Scheme) -> DataQuality:
    rows = []
    for r in u.indicators:  # in scheme order
        ind = scheme.indicator[r.id]
        cell = r.source.cell
        rows.append(
            SourceRow(
                code=ind.code,
                name=bi(ind.name),
                value=value(ind, r.value),
                file=cell.file if cell else "",
                cell="!".join(x for x in (cell.sheet, cell.cell) if x) if cell else "",
                data_source=r.source.data_source,
                note=r.source.note,
                normalised=r.source.normalised,
                missing=r.missing,
            )
        )
    files = sorted({row.file for row in rows if row.file})
    return DataQuality(
        files=tuple(files),
        reported=str(sum(not r.missing for r in rows)),
        missing=str(sum(r.missing for r in rows)),
        normalised=str(sum(bool(r.normalised) for r in rows)),
        noted=str(sum(bool(r.note) for r in rows)),
        # One file for the whole unit is named once above the table, not on every row.
        rows=tuple(r.model_copy(update={"file": ""}) for r in rows) if len(files) == 1 else rows,
        missing_rows=tuple(
            Bi(zh=f"{r.code} {r.name.zh}", en=f"{r.code} {r.name.en}") for r in rows if r.missing
        ),
    )


def methodology(
    doc: AssessmentDoc, u: UnitResult, scheme: Scheme, dims: tuple[DimensionRow, ...]
) -> Methodology:
    """The formulas of the methods this run used (`doc.params`), for this unit's indicators."""
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
        dimension_weights=dims,
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
