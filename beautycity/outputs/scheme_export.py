"""The scoring rules (打分细则) of a scheme as a workbook an evaluator circulates.

One sheet per part: a cover (name, version, target year, method), every indicator with its
definition, targets (the province's and each positioning's tightened ones), scoring, base and
effective weights per positioning (from `scheme.effective`), input rules, lead department,
data source and provenance; the dimensions, positionings, bonuses and deductions, vetoes and
grades. Headers and texts are bilingual, Chinese above English. Everything shown comes from
the scheme, the roster and `texts/scheme_tools.yaml`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..cities import Roster
from ..io.atomic import write_atomic
from ..io.xlsx import save_workbook, table_sheet
from ..problems import BeautycityError, Location
from ..scheme.effective import EffectiveScheme, effective_scheme
from ..scheme.model import Indicator, InputSpec, Scheme, Target, Text
from ..scheme.views import fmt_number, fmt_target
from ..texts import both, texts, tr
from ..workbook.layout import range_text
from ..workbook.style import BODY, display_width, row_height

_TOP = Alignment(wrap_text=True, vertical="top")
WIDEST = 40  # characters: long texts wrap instead
TALLEST = 409  # points: Excel's highest row
A4_WIDTH = 160  # characters of columns that fit landscape A4 at a readable size
HEADER_WRAP = 16  # a header wraps rather than widen a column of short values beyond this


def write_scheme_export(path: Path | str, scheme: Scheme, roster: Roster | None = None) -> Path:
    """Write the scoring rules of `scheme` to `path` (.xlsx) atomically, with stable bytes."""
    target = Path(path)
    wb = scheme_workbook(scheme, roster)
    try:
        write_atomic(target, lambda p: save_workbook(wb, p, datetime(scheme.years.first, 1, 1)))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BeautycityError.single(
            "scheme.export-unwritable", Location(file=str(target)), reason=reason
        ) from None
    return target


def scheme_workbook(scheme: Scheme, roster: Roster | None = None) -> Workbook:
    """The workbook of the scoring rules; `roster` adds the units of each positioning."""
    effective = {p.id: effective_scheme(scheme, p.id) for p in scheme.positionings}
    wb = Workbook()
    wb.remove(wb.active)
    cover = [_bi("export.cover.field"), _bi("export.cover.value")]
    _sheet(wb, "cover", cover, _cover(scheme), widest=90)
    _sheet(wb, "indicators", _indicator_headers(scheme), _indicators(scheme, effective))
    dims = [*_cols("code", "dimension", "description", "base_weight"), *_weight_cols(scheme)]
    _sheet(wb, "dimensions", dims, _dimensions(scheme, effective))
    places = _cols("id", "name", "description", "units")
    _sheet(wb, "positionings", places, _positionings(scheme, roster))
    adjustments = _cols("code", "name", "adj_kind", "basis", "rule", "linked", "unit")
    adjustments += _cols("definition", "source", "department")
    _sheet(wb, "adjustments", adjustments, _adjustments(scheme))
    vetoes = _cols("code", "indicator", "condition", "effect", "reason")
    _sheet(wb, "vetoes", vetoes, _vetoes(scheme))
    _sheet(wb, "grades", _cols("grade", "min", "band"), _grades(scheme))
    return wb


# ------------------------------------------------------------------------------- sheets


def _cover(scheme: Scheme) -> list[list[Any]]:
    method = scheme.method
    counts = {
        "dimensions": len(scheme.dimensions),
        "indicators": len(scheme.indicators),
        "positionings": len(scheme.positionings),
        "adjustments": len(scheme.adjustments),
        "grades": len(scheme.grades),
    }
    methods = {
        key: both(f"formulas.{getattr(method, key)}.name", group="report")
        for key in ("weighting", "aggregation", "missing")
    }
    rows = [
        ("name", _text(scheme.name)),
        ("id", scheme.id),
        ("version", scheme.version),
        ("target_year", scheme.target_year),
        ("years", f"{scheme.years.first}–{scheme.years.last}"),
        ("description", _text(scheme.description)),
        ("counts", _bi("export.cover.counts_value", **counts)),
        ("method", _bi("export.cover.method_value", **methods)),
        ("weights_note", _bi("export.cover.weights_note_value")),
        ("targets_note", _bi("export.cover.targets_note_value")),
    ]
    return [[_bi(f"export.cover.{key}"), value] for key, value in rows]


def _indicator_headers(scheme: Scheme) -> list[str]:
    head = _cols("code", "indicator", "dimension", "definition", "unit", "direction", "kind")
    head += _cols("applies", "targets", "positioning_targets", "scoring", "parameters")
    head += [*_cols("base_weight"), *_weight_cols(scheme)]
    return head + _cols("input", "required", "veto", "department", "source", "provenance")


def _indicators(scheme: Scheme, effective: dict[str, EffectiveScheme]) -> list[list[Any]]:
    rows = []
    for ind in scheme.indicators:
        dim = scheme.dimension[ind.dimension]
        weights = [_percent(effective[p.id], ind.id) for p in scheme.positionings]
        rows.append(
            [
                ind.code,
                _text(ind.name),
                f"{dim.code} {_text(dim.name)}",
                _text(ind.definition),
                _measure(ind),
                _bi(f"export.direction.{ind.direction.value}"),
                _bi(f"export.kind.{ind.kind.value}"),
                _applies(scheme, ind),
                _targets(ind.targets),
                _tightened(scheme, ind),
                _formula(ind.scoring.method),
                _params(ind),
                ind.weight,
                *weights,
                _input(ind.input),
                _bi(f"export.{'yes' if ind.required else 'no'}"),
                _veto(scheme, ind) if ind.veto else _none(),
                _text(ind.department),
                _text(ind.source),
                _provenance(ind),
            ]
        )
    return rows


def _dimensions(scheme: Scheme, effective: dict[str, EffectiveScheme]) -> list[list[Any]]:
    rows = []
    for dim in scheme.dimensions:
        shares = []
        for p in scheme.positionings:
            share = next(d.weight for d in effective[p.id].dimensions if d.dimension.id == dim.id)
            shares.append(round(100 * share, 2))
        rows.append([dim.code, _text(dim.name), _text(dim.description), dim.weight, *shares])
    return rows


def _positionings(scheme: Scheme, roster: Roster | None) -> list[list[Any]]:
    rows = []
    for p in scheme.positionings:
        units = [u for u in roster if u.positioning == p.id] if roster is not None else []
        names = "\n".join(f"{u.name.zh} {u.name.en}" for u in units) or _none()
        rows.append([p.id, _text(p.name), _text(p.description), names])
    return rows


def _adjustments(scheme: Scheme) -> list[list[Any]]:
    rows = []
    for a in scheme.adjustments:
        params = {
            "per": fmt_number(a.per),
            "sign": texts("scheme_tools")["export"]["sign"][a.kind.value],
            "points": fmt_number(a.points),
            "cap": fmt_number(a.cap),
        }
        linked = scheme.indicator.get(a.indicator) if a.indicator else None
        rows.append(
            [
                a.code,
                _text(a.name),
                _bi(f"export.adj_kind.{a.kind.value}"),
                _bi(f"export.basis.{a.basis}"),
                _bi("export.rule", **params),
                f"{linked.code} {_text(linked.name)}" if linked else _none(),
                f"{a.unit.zh}\n{a.unit.en}" if a.unit else _none(),
                _text(a.definition),
                _text(a.source) if a.source else _none(),
                _text(a.department),
            ]
        )
    return rows


def _vetoes(scheme: Scheme) -> list[list[Any]]:
    rows = []
    for ind in scheme.indicators:
        if ind.veto is None:
            continue
        condition = f"{ind.code} {ind.veto.op} {fmt_number(ind.veto.value)}"
        rows.append(
            [ind.code, _text(ind.name), condition, _effect(scheme, ind), _text(ind.veto.reason)]
        )
    return rows


def _grades(scheme: Scheme) -> list[list[Any]]:
    rows = []
    bands = sorted(scheme.grades, key=lambda g: -g.min)
    for above, grade in zip([None, *bands], bands, strict=False):
        low = fmt_number(grade.min)
        band = (
            _bi("export.band.top", min=low)
            if above is None
            else _bi("export.band.between", min=low, next=fmt_number(above.min))
        )
        rows.append([_text(grade.name), grade.min, band])
    return rows


# ------------------------------------------------------------------------------- cells


def _bi(key: str, **params: Any) -> str:
    """A text of `texts/scheme_tools.yaml`, Chinese above English."""
    return tr(key, sep="\n", group="scheme_tools", **params)


def _text(text: Text) -> str:
    return text.line(sep="\n")


def _none() -> str:
    return texts("scheme_tools")["export"]["none"]


def _formula(name: str) -> str:
    # The methods' names are the report's: one list of what each method is called.
    zh, en = both(f"formulas.{name}.name", group="report")
    return f"{zh}\n{en}"


def _measure(ind: Indicator) -> str:
    if ind.unit.symbol:
        return ind.unit.symbol
    return ind.unit.zh if ind.unit.zh == ind.unit.en else f"{ind.unit.zh}\n{ind.unit.en}"


def _targets(targets: dict[int, Target]) -> str:
    return "\n".join(f"{y}: {fmt_target(v)}" for y, v in sorted(targets.items())) or _none()


def _tightened(scheme: Scheme, ind: Indicator) -> str:
    lines = []
    for p in scheme.positionings:
        own = p.targets.get(ind.id)
        if own and ind.applies_to(p.id):
            values = ", ".join(f"{y}: {fmt_target(v)}" for y, v in sorted(own.items()))
            zh, en = both("export.tightened", "scheme_tools", positioning=p.name, targets=values)
            lines.append(f"{zh} / {en}")
    return "\n".join(lines) or _none()


def _applies(scheme: Scheme, ind: Indicator) -> str:
    if ind.positionings == "all":
        return _bi("export.all")
    return "\n".join(_text(scheme.positioning[p].name) for p in ind.positionings)


def _params(ind: Indicator) -> str:
    labels = texts("scheme_tools")["export"]["params"]
    parts = []
    for key, value in ind.scoring.model_dump(exclude={"method"}).items():
        if value is None:
            continue
        label = labels.get(key)
        name = f"{label['zh']} {label['en']}" if label else key
        shown = fmt_number(value) if isinstance(value, int | float) else str(value)
        parts.append(f"{name} = {shown}")
    return "\n".join(parts) or _none()


def _provenance(ind: Indicator) -> str:
    kind = tr(f"export.provenance.{ind.provenance.kind.value}", sep=" / ", group="scheme_tools")
    return f"【{kind}】\n{_text(ind.provenance.ref)}"


def _percent(eff: EffectiveScheme, indicator_id: str) -> float | str:
    e = eff.indicator.get(indicator_id)
    return round(100 * e.weight, 2) if e is not None else _none()


def _input(spec: InputSpec) -> str:
    kind = both(f"export.input_type.{spec.type.value}", "scheme_tools")
    return _bi("export.input", type=kind, range=range_text(spec), decimals=spec.decimals)


def _effect(scheme: Scheme, ind: Indicator) -> str:
    veto = ind.veto
    assert veto is not None
    if veto.effect == "cap" and veto.cap_grade:
        grade = next(g.name for g in scheme.grades if g.id == veto.cap_grade)
        return _bi("export.effect.cap", grade=grade)
    return _bi(f"export.effect.{veto.effect.value}")


def _veto(scheme: Scheme, ind: Indicator) -> str:
    assert ind.veto is not None
    return f"{ind.veto.op} {fmt_number(ind.veto.value)}\n{_effect(scheme, ind)}"


def _cols(*keys: str) -> list[str]:
    return [_bi(f"export.columns.{k}") for k in keys]


def _weight_cols(scheme: Scheme) -> list[str]:
    return [_bi("export.columns.weight_in", name=p.name) for p in scheme.positionings]


def _sheet(
    wb: Workbook, key: str, headers: list[str], rows: list[list[Any]], widest: int = WIDEST
) -> None:
    """A table sheet (frozen bilingual header, landscape print) with wrapped cells, columns
    as wide as their longest line up to `widest`, and rows tall enough to show every line.
    Wide sheets print on A3."""
    zh, en = both(f"export.sheets.{key}", "scheme_tools")
    title = f"{zh} {en}"[:31]
    table_sheet(wb, title, headers, rows)
    ws = wb[title]
    widths = []
    for c, header in enumerate(headers, 1):
        body = [line for r in rows for line in str(r[c - 1]).split("\n")]
        heading = max(display_width(line) for line in header.split("\n"))
        longest = max([min(heading, HEADER_WRAP), *(display_width(line) for line in body)])
        width = min(max(8, longest + 2), widest)
        ws.column_dimensions[get_column_letter(c)].width = width
        widths.append(width)
    for r, row in enumerate([headers, *rows], 1):
        if r > 1:
            for c in range(1, len(row) + 1):
                ws.cell(row=r, column=c).alignment = _TOP
        cells = [(str(v), w) for v, w in zip(row, widths, strict=True)]
        ws.row_dimensions[r].height = min(row_height(cells, BODY), TALLEST)
    if sum(widths) > A4_WIDTH:
        ws.page_setup.paperSize = ws.PAPERSIZE_A3
