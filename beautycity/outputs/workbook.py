"""`assessment.xlsx`: the results for people, one sheet per view, streamed row by row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from ..assessment import rules
from ..assessment.document import AssessmentDoc, doc_moment
from ..scheme.model import Scheme
from ..texts import label, tr
from .stream import StreamBook


def write_results_workbook(path: Path, doc: AssessmentDoc, scheme: Scheme) -> None:
    """The results for people: ranking, one sheet per dimension, indicator detail, method."""
    wb = StreamBook(path, doc_moment(doc))
    try:
        _sheets(wb, doc, scheme)
    finally:
        wb.close()


def _sheets(wb: StreamBook, doc: AssessmentDoc, scheme: Scheme) -> None:
    grade = {g.id: g.name for g in scheme.grades}
    pos = {p.id: p.name for p in scheme.positionings}
    short = {u.id: u.short for u in doc.units}
    dims = list(scheme.dimensions)
    wb.table(
        f"{label('sheet_ranking', 'zh')} {label('sheet_ranking', 'en')}",
        [label(k) for k in ("rank", "unit", "positioning", "total", "grade", "group_rank")]
        + [f"{d.code} {d.name.zh} {d.name.en}" for d in dims]
        + [label(k) for k in ("base_total", "adjustments", "veto", "weakest", "tied_with")],
        [
            [
                u.rank,
                f"{u.name.zh} {u.name.en}",
                f"{pos[u.positioning].zh} {pos[u.positioning].en}",
                u.total,
                tr("summary.ungraded", group="report")
                if u.grade is None
                else f"{grade[u.grade].zh} {grade[u.grade].en}",
                f"{u.group_rank}/{u.group_size}",
            ]
            + [d.score for d in u.dimensions]
            + [
                u.base_total,
                round(sum(a.points for a in u.adjustments), 2),
                "; ".join(f"{v.reason.zh} {v.reason.en}" for v in u.vetoes),
                scheme.dimension[rules.weakest(u.dimensions)].name.line(),
                "、".join(f"{short[t].zh} {short[t].en}" for t in u.tied_with),
            ]
            for u in doc.units
        ],
    )
    for d in dims:
        inds = [i for i in scheme.indicators if i.dimension == d.id]
        headers = [label("unit"), label("score")]
        for i in inds:
            headers += [
                f"{i.code} {i.name.zh} ({i.unit.symbol or i.unit.zh})",
                f"{i.code} {label('score')}",
            ]
        wb.table(f"{d.code} {d.name.zh}", headers, _dimension_rows(doc, d.id, inds))
    wb.table(
        f"{label('sheet_indicators', 'zh')} {label('sheet_indicators', 'en')}",
        [
            label(k)
            for k in (
                "unit",
                "code",
                "indicator",
                "value",
                "measure",
                "score",
                "weight",
                "contribution",
                "target",
                "gap",
                "status",
                "action",
                "previous",
                "change",
                "source_cell",
                "data_source",
                "note",
                "department",
            )
        ],
        _detail_rows(doc, scheme),
    )
    if doc.robustness:
        _robustness_sheet(wb, doc, scheme)
    method_rows = [
        ["scheme", f"{doc.scheme.id} v{doc.scheme.version}"],
        ["scheme sha256", doc.scheme.sha256],
        ["year", doc.year],
        ["tool version", doc.tool_version],
    ] + [[k, str(v)] for k, v in doc.params.model_dump().items()]
    method_rows += [
        [f"step: {s.name}", json.dumps(s.params, ensure_ascii=False)] for s in doc.steps
    ]
    wb.table(
        f"{label('sheet_method', 'zh')} {label('sheet_method', 'en')}",
        [label("parameter"), label("setting")],
        method_rows,
    )


def _dimension_rows(doc: AssessmentDoc, dim: str, inds: list) -> Iterator[list[Any]]:
    """Per unit: the dimension's score, then each indicator's value and score."""
    for u in doc.units:
        by_id = {r.id: r for r in u.indicators}
        row: list[Any] = [
            f"{u.short.zh} {u.short.en}",
            next(x.score for x in u.dimensions if x.id == dim),
        ]
        for i in inds:
            r = by_id.get(i.id)
            row += [r.value if r else "—", r.score if r else "—"]
        yield row


def _detail_rows(doc: AssessmentDoc, scheme: Scheme) -> Iterator[list[Any]]:
    """One row per unit and indicator, with the cell the value came from."""
    status = {s: tr(f"status.{s}", group="report") for s in get_args(rules.Status)}
    reason = {x: tr(f"reason.{x}", group="report") for x in rules.ACTION_REASONS}
    for u in doc.units:
        unit = f"{u.short.zh} {u.short.en}"
        for r in u.indicators:
            ind = scheme.indicator[r.id]
            cell = r.source.cell
            yield [
                unit,
                ind.code,
                f"{ind.name.zh} {ind.name.en}",
                r.value,
                ind.unit.symbol or ind.unit.zh,
                r.score,
                r.weight,
                r.contribution,
                r.target,
                r.gap,
                status[r.status],
                "; ".join(reason[x] for x in r.action),
                r.previous,
                r.change,
                f"{cell.file} {cell.sheet}!{cell.cell}" if cell else "",
                r.source.data_source,
                r.source.note,
                f"{ind.department.zh} {ind.department.en}",
            ]


def _robustness_sheet(wb: StreamBook, doc: AssessmentDoc, scheme: Scheme) -> None:
    r = doc.robustness
    names = {u.id: u.name for u in doc.units}
    grades = list(scheme.grades)
    rows: list[list[Any]] = [
        [f"{names[u.id].zh} {names[u.id].en}", u.nominal_rank, u.median_rank, u.p5, u.p95]
        + [u.scheme_median_rank, u.scheme_p5, u.scheme_p95]
        + [u.grade_probability.get(g.id, 0.0) for g in grades]
        for u in r.units
    ]
    rows.append([])
    rows.append([label("sensitivity"), label("first_order")])
    rows += [[f"{x.label.zh} {x.label.en}", x.first_order] for x in r.sensitivity]
    rows.append([])
    rows.append([label("replications"), r.replications, label("seed"), r.seed])
    wb.table(
        f"{label('sheet_robustness', 'zh')} {label('sheet_robustness', 'en')}",
        [label(k) for k in ("unit", "rank", "median_rank", "rank_p5", "rank_p95")]
        + [label(k) for k in ("scheme_median_rank", "scheme_p5", "scheme_p95")]
        + [f"P({g.name.zh} {g.name.en})" for g in grades],
        rows,
    )
