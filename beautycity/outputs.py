"""Result files: `assessment.json`, `assessment.xlsx` and `manifest.json`, written atomically.

Each file is written to a temporary name in the results folder and renamed into place, and the
manifest goes last, so an interrupted run leaves the previous complete results where they were.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic_core import to_json

from . import __version__
from .labels import label
from .results import AssessmentDoc, UnitResult
from .scheme import Scheme


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through `write(tmp)` and rename over `path`: readers see the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        # mkstemp makes the file private; results are shared, so give it the usual mode.
        os.chmod(tmp, 0o666 & ~current_umask())
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def doc_json(doc: AssessmentDoc) -> str:
    """One stable rendering: model field order, UTF-8, two-space indent, newline at the end,
    numbers as Python's `json` writes them (NaN and Infinity included).

    pydantic-core writes it: Python's `json` indents in pure Python, ten times slower on a
    large assessment. The two differ only in how they write floats below 1e-4 in size.
    """
    text = to_json(doc.model_dump(mode="json"), indent=2, inf_nan_mode="constants").decode()
    return _python_small_floats(text) + "\n"


# A line of indented JSON whose value is a float under 1e-4 in size as pydantic-core writes it
# (0.00001, 1e-7) and Python does not (1e-05, 1e-07). Strings never span lines.
_SMALL_FLOAT = re.compile(r'( *(?:"(?:[^"\\]|\\.)*": )?)(-?(?:0\.0000\d*|\d(?:\.\d+)?e-\d+))(,?)')


def _python_small_floats(text: str) -> str:
    """`text` with its small floats written as Python's `json` writes them."""
    # Only lines holding a marker can need it; searching for the two is fast.
    starts = set()
    for marker in ("0.0000", "e-"):
        at = text.find(marker)
        while at != -1:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(marker, at + 1)
    out, done = [], 0
    for start in sorted(starts):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        found = _SMALL_FLOAT.fullmatch(text, start, end)
        if found:
            out += [text[done:start], found[1], repr(float(found[2])), found[3]]
            done = end
    return "".join(out) + text[done:]


def read_doc(path: Path) -> AssessmentDoc:
    return AssessmentDoc.model_validate_json(path.read_text(encoding="utf-8"))


def save_workbook(wb: Workbook, path: Path, when: datetime) -> None:
    """Save `wb` with fixed timestamps, so the same content gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are
    replaced by `when` (a date that belongs to the content, such as the assessed year's end).
    """
    buffer = io.BytesIO()
    wb.properties.created = when
    wb.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


def doc_moment(doc: AssessmentDoc) -> datetime:
    """The moment that dates an assessment's files: the end of the assessed year."""
    return datetime(doc.year, 12, 31, 0, 0, 0)


def write_results(
    folder: Path,
    doc: AssessmentDoc,
    scheme: Scheme,
    inputs: list[Path],
    parameters: dict[str, Any],
) -> list[Path]:
    """Write the results into `folder` (a staging folder): the accepted workbooks archived
    byte for byte under `submissions/`, `assessment.json`, `assessment.xlsx`, and last
    `manifest.json` with the SHA-256 of every input and output."""
    archive = folder / "submissions"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir(parents=True)
    archived: dict[str, str] = {}
    for path in sorted(inputs, key=lambda p: (p.name, str(p))):
        name = archive_name(path.name)
        while name.casefold() in {k.casefold() for k in archived}:
            name = f"{len(archived)}-{name}"
        shutil.copyfile(path, archive / name)
        archived[name] = sha256_file(archive / name)
    json_path, xlsx_path, manifest_path = (
        folder / "assessment.json",
        folder / "assessment.xlsx",
        folder / "manifest.json",
    )
    write_atomic(json_path, lambda p: p.write_text(doc_json(doc), encoding="utf-8"))
    when = doc_moment(doc)
    write_atomic(xlsx_path, lambda p: save_workbook(results_workbook(doc, scheme), p, when))
    manifest = {
        "tool": "beautycity",
        "tool_version": __version__,
        "scheme": {"id": doc.scheme.id, "version": doc.scheme.version, "sha256": doc.scheme.sha256},
        "year": doc.year,
        "parameters": parameters,
        "inputs": {f"submissions/{k}": v for k, v in archived.items()},
        "outputs": {p.name: sha256_file(p) for p in (json_path, xlsx_path)},
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomic(manifest_path, lambda p: p.write_text(body, encoding="utf-8"))
    return [json_path, xlsx_path, manifest_path, archive]


# Names Windows keeps for devices, with any extension: results folders are shared with it.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
)
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def archive_name(name: str) -> str:
    """A submitted file's name, made safe to write into a folder on any system: no path
    separators or characters Windows refuses, no device name, and no dot or space at either
    end (a leading dot would hide the file from the next run's search of the folder)."""
    name = _UNSAFE.sub("_", name).strip(". ") or "_"
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        name = "_" + name
    return name


_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="2F5D50")


def _text(ws: Any, row: int, col: int, value: Any) -> None:
    """Write a cell; text stays text, even when it starts with = + - @ (no formula injection)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title[:31])
    for c, h in enumerate(headers, 1):
        _text(ws, 1, c, h)
        ws.cell(row=1, column=c).font = _HEAD
        ws.cell(row=1, column=c).fill = _HEAD_FILL
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            _text(ws, r, c, value)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 32
    for c, h in enumerate(headers, 1):
        cells = [str(r[c - 1] or "") for r in rows[:200] if len(r) >= c]
        longest = max([len(str(h)) // 2] + [len(x) for x in cells])
        ws.column_dimensions[get_column_letter(c)].width = min(max(8, longest + 2), 48)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _weakest(u: UnitResult, scheme: Scheme) -> str:
    d = min(u.dimensions, key=lambda x: (x.score, x.id))
    name = scheme.dimension[d.id].name
    return f"{name.zh} {name.en}"


def results_workbook(doc: AssessmentDoc, scheme: Scheme) -> Workbook:
    """The results for people: ranking, one sheet per dimension, indicator detail, method."""
    wb = Workbook()
    wb.remove(wb.active)
    grade = {g.id: g.name for g in scheme.grades}
    pos = {p.id: p.name for p in scheme.positionings}
    dims = list(scheme.dimensions)
    _sheet(
        wb,
        f"{label('sheet_ranking', 'zh')} {label('sheet_ranking', 'en')}",
        [label(k) for k in ("rank", "unit", "positioning", "total", "grade", "group_rank")]
        + [f"{d.code} {d.name.zh} {d.name.en}" for d in dims]
        + [label(k) for k in ("base_total", "adjustments", "veto", "weakest")],
        [
            [
                u.rank,
                f"{u.name.zh} {u.name.en}",
                f"{pos[u.positioning].zh} {pos[u.positioning].en}",
                u.total,
                f"{grade[u.grade].zh} {grade[u.grade].en}",
                f"{u.group_rank}/{u.group_size}",
            ]
            + [d.score for d in u.dimensions]
            + [
                u.base_total,
                round(sum(a.points for a in u.adjustments), 2),
                "; ".join(f"{v.reason.zh} {v.reason.en}" for v in u.vetoes),
                _weakest(u, scheme),
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
        rows = []
        for u in doc.units:
            by_id = {r.id: r for r in u.indicators}
            row: list[Any] = [
                f"{u.short.zh} {u.short.en}",
                next(x.score for x in u.dimensions if x.id == d.id),
            ]
            for i in inds:
                r = by_id.get(i.id)
                row += [r.value if r else "—", r.score if r else "—"]
            rows.append(row)
        _sheet(wb, f"{d.code} {d.name.zh}", headers, rows)
    detail = []
    for u in doc.units:
        for r in u.indicators:
            ind = scheme.indicator[r.id]
            cell = r.source.cell
            detail.append(
                [
                    f"{u.short.zh} {u.short.en}",
                    ind.code,
                    f"{ind.name.zh} {ind.name.en}",
                    r.value,
                    ind.unit.symbol or ind.unit.zh,
                    r.score,
                    r.weight,
                    r.contribution,
                    r.target,
                    r.gap,
                    label(f"status_{r.status}"),
                    r.previous,
                    r.change,
                    f"{cell.file} {cell.sheet}!{cell.cell}" if cell else "",
                    r.source.data_source,
                    r.source.note,
                    f"{ind.department.zh} {ind.department.en}",
                ]
            )
    _sheet(
        wb,
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
                "previous",
                "change",
                "source_cell",
                "data_source",
                "note",
                "department",
            )
        ],
        detail,
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
    _sheet(
        wb,
        f"{label('sheet_method', 'zh')} {label('sheet_method', 'en')}",
        [label("parameter"), label("setting")],
        method_rows,
    )
    return wb


def _robustness_sheet(wb: Workbook, doc: AssessmentDoc, scheme: Scheme) -> None:
    r = doc.robustness
    names = {u.id: u.name for u in doc.units}
    grades = list(scheme.grades)
    rows: list[list[Any]] = [
        [f"{names[u.id].zh} {names[u.id].en}", u.nominal_rank, u.median_rank, u.p5, u.p95]
        + [u.grade_probability.get(g.id, 0.0) for g in grades]
        for u in r.units
    ]
    rows.append([])
    rows.append([label("sensitivity"), label("first_order")])
    rows += [[f"{x.label.zh} {x.label.en}", x.first_order] for x in r.sensitivity]
    rows.append([])
    rows.append([label("replications"), r.replications, label("seed"), r.seed])
    _sheet(
        wb,
        f"{label('sheet_robustness', 'zh')} {label('sheet_robustness', 'en')}",
        [label(k) for k in ("unit", "rank", "median_rank", "rank_p5", "rank_p95")]
        + [f"P({g.name.zh} {g.name.en})" for g in grades],
        rows,
    )
