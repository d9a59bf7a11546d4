"""Workbook fixtures: templates generated from the real scheme, filled in by a program.

`fill` writes a plausible valid value into every input cell; a test then breaks the filled
workbook in one way. Nothing here is a committed binary.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from beautycity.cities import Roster, Unit, load_roster
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import InputType, Scheme
from beautycity.workbook.build import write_template
from beautycity.workbook.layout import Item, Layout, cover_ref, plan, sheet_names

YEAR = 2025
COVER, INPUT, META = sheet_names()
CONTACT = {
    "department": "市生态环境局",
    "person": "王芳",
    "phone": "0431-88888888",
    "email": "wangfang@example.cn",
    "filled_on": "2026-02-15",
}


@cache
def scheme() -> Scheme:
    return load_scheme()


@cache
def roster() -> Roster:
    return load_roster(scheme=scheme())


def layout_for(unit_id: str, year: int = YEAR) -> Layout:
    return plan(scheme(), roster()[unit_id], year)


def item(layout: Layout, item_id: str) -> Item:
    return next(i for i in layout.items if i.id == item_id)


def where(layout: Layout, item_id: str, column: str = "value") -> str:
    return f"{INPUT}!{item(layout, item_id).ref(column)}"


def sample_value(it: Item, index: int) -> tuple[object, float]:
    """What a program types into an item's cell, and the value the reader should get back."""
    spec = it.spec
    if spec.type is InputType.YESNO:
        return ("是", 1.0) if index % 2 else ("否", 0.0)
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else low + 1000
    if spec.type is InputType.COUNT:
        value = float(int(low) + index % max(1, min(5, int(high - low))))
        return int(value), value
    fraction = ((index * 37) % 97) / 97
    value = round(low + (high - low) * fraction, spec.decimals)
    return value, value


def sample_values(layout: Layout) -> dict[str, tuple[object, float]]:
    return {it.id: sample_value(it, n) for n, it in enumerate(layout.items)}


def template(folder: Path, unit: Unit, year: int = YEAR) -> Path:
    return write_template(
        folder / f"{unit.id}-{year}.xlsx", scheme(), unit, year, deadline="2026-03-31"
    )


def fill(
    template_path: Path, out: Path, layout: Layout, overrides: Mapping[str, object] | None = None
) -> Path:
    """Fill every input cell of a template with sample values, a source and a note."""
    wb = load_workbook(template_path)
    sheet = wb[INPUT]
    for n, it in enumerate(layout.items):
        sheet[it.ref("value")] = sample_value(it, n)[0]
        sheet[it.ref("source")] = f"{YEAR}年统计公报"
        sheet[it.ref("note")] = f"note {it.code}"
    for key, value in (overrides or {}).items():
        sheet[item(layout, key).ref("value")] = value
    for field, value in CONTACT.items():
        wb[COVER][cover_ref(field)] = value
    wb.save(out)
    return out


def edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def rewrite_zip(path: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Rewrite every entry of an .xlsx through `change(name, data)`."""
    with zipfile.ZipFile(path) as src:
        entries = [(i, src.read(i.filename)) for i in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            dst.writestr(info.filename, change(info.filename, data))
    path.write_bytes(buffer.getvalue())
    return path


def cache_formula_value(path: Path, ref: str, cached: str) -> Path:
    """Give a formula cell the computed value Excel would have stored (openpyxl cannot)."""
    pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?')

    def change(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return data
        text, count = pattern.subn(rf"\1<v>{cached}</v>", data.decode("utf-8"))
        return text.encode("utf-8") if count else data

    return rewrite_zip(path, change)


class Filled:
    """Filled workbooks made once per unit; each call hands out a fresh copy."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[str, Path] = {}

    def __call__(self, unit_id: str, dest: Path) -> Path:
        return Path(shutil.copy(self.source(unit_id), dest))

    def source(self, unit_id: str) -> Path:
        """The filled workbook itself, to read from and never to change."""
        if unit_id not in self.made:
            path = template(self.folder, roster()[unit_id])
            out = self.folder / f"filled-{unit_id}.xlsx"
            self.made[unit_id] = fill(path, out, layout_for(unit_id))
        return self.made[unit_id]


def located(problems) -> list[tuple[str, str]]:
    """(code, "sheet!cell") of each problem; "" for a problem about a whole file."""
    out = []
    for p in problems:
        loc = p.location
        out.append((p.code, f"{loc.sheet}!{loc.cell}" if loc.cell else (loc.sheet or "")))
    return out
