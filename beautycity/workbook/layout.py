"""The sheet layout shared by the template writer and the submission reader.

Both sides compute the same `Layout` from the scheme, the unit and the year, so the reader
knows what every cell means from the workbook's metadata alone. The metadata records the
scheme's id, version and a hash of its content, so a workbook made from another scheme, or
from the same version edited since, is told apart from one whose hidden data was edited. The
structure checksum is computed from the plan, never from the cells: it ties the metadata
together (a hand-edited unit or year no longer matches), and rows moved on the sheet leave it
unchanged, since the reader finds rows by indicator code.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from ..cities import Unit
from ..scheme.effective import EffectiveIndicator, effective_scheme
from ..scheme.model import Adjustment, InputSpec, InputType, Measure, Scheme, Text
from ..texts import texts as load_texts

TEMPLATE_VERSION = "2"  # bump when the layout or metadata changes; the reader accepts only this
MARK = "beautycity-template"  # first meta value: says "this workbook was made by beautycity"

# Input sheet: one row per indicator, in this column order.
COLUMNS = {
    "code": "A",
    "name": "B",
    "unit": "C",
    "definition": "D",
    "target": "E",
    "previous": "F",
    "value": "G",
    "source": "H",
    "note": "I",
}
# Character widths, about 150 in all, so that a row fits landscape A4 at nearly full size; the
# long bilingual definition gets the most room so its rows stay short.
WIDTHS = {
    "code": 6,
    "name": 20,
    "unit": 8,
    "definition": 56,
    "target": 12,
    "previous": 9,
    "value": 11,
    "source": 15,
    "note": 13,
}
TITLE_ROW, SUBTITLE_ROW, HINT_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5

# Cover sheet: text in Chinese (A) and English (B), values (C); fields start on FIELD_ROW.
# No merged cells: openpyxl takes long to read them back.
COVER_WIDTHS = {"A": 36, "B": 44, "C": 28}  # about 110 in all: portrait A4 at nearly full size
COVER_VALUE = "C"
COVER_FIELDS = (
    "unit",
    "positioning",
    "year",
    "scheme",
    "deadline",
    "department",
    "person",
    "phone",
    "email",
    "filled_on",
)
COVER_INPUTS = ("department", "person", "phone", "email", "filled_on")
COVER_REQUIRED = ("person", "phone")
FIELD_ROW = 4

META_KEYS = (
    "mark",
    "template_version",
    "scheme_id",
    "scheme_version",
    "scheme_hash",
    "city",
    "year",
)
CHECKSUM_KEY = "checksum"
TEXT_MAX = 255  # longest data source or note a cell accepts


def texts() -> dict[str, Any]:
    """The template's texts and accepted input words (`texts/workbook.yaml`)."""
    return load_texts("workbook")


def sheet_names() -> tuple[str, str, str]:
    s = texts()["sheets"]
    return s["cover"], s["input"], s["meta"]


@dataclass(frozen=True)
class Item:
    """One fillable row: an indicator, or a count-based bonus or deduction."""

    kind: Literal["indicator", "adjustment"]
    id: str
    code: str
    name: Text
    unit: Measure
    spec: InputSpec
    required: bool
    row: int
    indicator: EffectiveIndicator | None = None
    adjustment: Adjustment | None = None

    def ref(self, column: str) -> str:
        return f"{COLUMNS[column]}{self.row}"

    @classmethod
    def for_indicator(cls, e: EffectiveIndicator, row: int) -> Item:
        i = e.indicator
        return cls("indicator", i.id, i.code, i.name, i.unit, i.input, i.required, row, indicator=e)

    @classmethod
    def for_adjustment(cls, a: Adjustment, row: int) -> Item:
        assert a.input is not None and a.unit is not None  # only count-based ones have rows
        # A blank count is ambiguous (none, or forgotten?), so every count is required.
        return cls("adjustment", a.id, a.code, a.name, a.unit, a.input, True, row, adjustment=a)


@dataclass(frozen=True)
class Section:
    """A heading row: a dimension, or the bonus and deduction items."""

    row: int
    code: str
    name: Text


@dataclass(frozen=True)
class Layout:
    scheme: Scheme
    unit: Unit
    year: int
    items: tuple[Item, ...]
    sections: tuple[Section, ...]
    scheme_hash: str

    @property
    def last_row(self) -> int:
        return max(i.row for i in self.items)

    def meta(self) -> dict[str, str]:
        return {
            "mark": MARK,
            "template_version": TEMPLATE_VERSION,
            "scheme_id": self.scheme.id,
            "scheme_version": self.scheme.version,
            "scheme_hash": self.scheme_hash,
            "city": self.unit.id,
            "year": str(self.year),
        }

    def text_params(self) -> dict[str, object]:
        """What the template's texts may name: the unit, year, scheme and positioning."""
        scheme, unit = self.scheme, self.unit
        pos = scheme.positioning[unit.positioning]
        return {
            "unit_zh": unit.name.zh,
            "unit_en": unit.name.en,
            "year": self.year,
            "scheme_zh": scheme.name.zh,
            "scheme_en": scheme.name.en,
            "version": scheme.version,
            "positioning_zh": pos.name.zh,
            "positioning_en": pos.name.en,
            "password": self.password,
        }

    @property
    def password(self) -> str:
        """The sheet-protection password: no secret, it is printed on the cover.

        Protection guards against slips; a password makes lifting it a deliberate step,
        and the evaluators, who may need to, read it where the cities do.
        """
        return self.scheme.id

    def cover_cells(self) -> list[tuple[str, str, str]]:
        """(sheet, cell, text) of the cover's locked cells a submission is checked against."""
        cover = sheet_names()[0]
        return [
            (cover, cover_ref("unit"), unit_name(self.unit)),
            (cover, cover_ref("year"), str(self.year)),
        ]

    def structural_cells(self) -> list[tuple[str, str, str]]:
        """(sheet, cell, text) of the locked cells that say whose workbook it is and what each
        row is, where the template puts them: what the checksum covers."""
        sheet = sheet_names()[1]
        cells = self.cover_cells()
        for item in self.items:
            cells.append((sheet, item.ref("code"), item.code))
            cells.append((sheet, item.ref("unit"), unit_text(item.unit)))
        return cells

    def checksum(self) -> str:
        return structure_checksum(self.meta(), self.structural_cells(), [i.id for i in self.items])


def plan(scheme: Scheme, unit: Unit, year: int) -> Layout:
    """Where each dimension heading and each indicator of `unit`'s positioning and level goes."""
    eff = effective_scheme(scheme, unit.positioning, str(unit.level))
    items: list[Item] = []
    sections: list[Section] = []
    row = FIRST_ROW
    for dim in scheme.dimensions:
        members = eff.in_dimension(dim.id)
        if not members:
            continue
        sections.append(Section(row=row, code=dim.code, name=dim.name))
        row += 1
        for e in members:
            items.append(Item.for_indicator(e, row))
            row += 1
    counted = [a for a in scheme.adjustments if a.basis == "count" and a.input and a.unit]
    if counted:
        heading = texts()["input"]["adjustments"]
        sections.append(Section(row=row, code="", name=Text(zh=heading["zh"], en=heading["en"])))
        row += 1
        for adj in counted:
            items.append(Item.for_adjustment(adj, row))
            row += 1
    return Layout(scheme, unit, year, tuple(items), tuple(sections), scheme_hash(scheme))


# What a filled workbook does not depend on: how totals are graded, ranked and explained.
_NOT_IN_WORKBOOK = {"method", "robustness", "ties", "grades", "changelog", "description", "report"}


def scheme_hash(scheme: Scheme) -> str:
    """SHA-256 of the scheme's content as loaded, as far as a workbook depends on it: the same
    for the same content however the file is laid out, different once an indicator, a
    positioning, a target or a weight changes, with or without a new version. Fields left at
    their defaults do not count, so a release that adds one invalidates no workbook."""
    global _last_hash
    last = _last_hash  # one read: another thread may hash another scheme meanwhile
    if last is not None and last[0] is scheme:
        return last[1]
    data = scheme.model_dump(mode="json", exclude_defaults=True, exclude=_NOT_IN_WORKBOOK)
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    _last_hash = (scheme, digest)
    return digest


# The last scheme hashed (a scheme is frozen): a batch checks every workbook against one, and
# hashing it takes longer than reading a small workbook's values.
_last_hash: tuple[Scheme, str] | None = None


def cover_ref(field: str) -> str:
    return f"{COVER_VALUE}{FIELD_ROW + COVER_FIELDS.index(field)}"


def unit_name(unit: Unit) -> str:
    return f"{unit.name.zh} / {unit.name.en}"


def unit_text(measure: Measure) -> str:
    """How the unit column shows a measure: its symbol, else its Chinese name."""
    return measure.symbol or measure.zh


def canon(value: object) -> str:
    """A cell's value as the canonical text the checksum and the comparisons use.

    A spreadsheet program may re-save "2025" as the number 2025.0, and texts as NFD; both read
    back as the text that was written.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def structure_checksum(
    meta: dict[str, str], cells: list[tuple[str, str, str]], ids: list[str]
) -> str:
    """SHA-256 over the metadata and the structural cells, one `key=text` line each."""
    lines = [f"{k}={canon(meta.get(k))}" for k in META_KEYS]
    lines += [f"{sheet}!{ref}={canon(text)}" for sheet, ref, text in cells]
    lines += [f"id={i}" for i in ids]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def plain(value: float) -> str:
    """A number as people write it: no exponent, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def range_text(spec: InputSpec) -> str:
    v = texts()["validation"]
    if spec.min is not None and spec.max is not None:
        return v["range_between"].format(low=plain(spec.min), high=plain(spec.max))
    if spec.min is not None:
        return v["range_min"].format(low=plain(spec.min))
    if spec.max is not None:
        return v["range_max"].format(high=plain(spec.max))
    return v["range_any"]


def is_percent(measure: Measure, spec: InputSpec) -> bool:
    return spec.type is InputType.PERCENT or measure.symbol == "%"
