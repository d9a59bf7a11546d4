"""A corpus of broken or awkward submissions, generated: fill a template, break it one way.

Each case names the exact problem codes and cells the reader must report and, for inputs it
accepts after normalising, the value it reads and the note it leaves. Files made to attack
the reader (bombs, encryption, embedded objects) are in `hostile.py`; rows inserted, deleted
or re-sorted, and workbooks of another scheme or year, in `test_submission_rows.py`.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from beautycity.problems import Severity
from beautycity.submission.read import read_submission
from beautycity.submission.safe import READ_SHEETS
from beautycity.workbook.layout import cover_ref

from .fixtures_workbook import (
    COVER,
    INPUT,
    META,
    YEAR,
    Filled,
    cache_formula_value,
    edit,
    item,
    layout_for,
    located,
    rewrite_zip,
    roster,
    scheme,
    where,
)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Filled:
    return Filled(tmp_path_factory.mktemp("filled"))


# ---------------------------------------------------------------------------- corpus

Where = Callable[[object], str]


def at(item_id: str, column: str = "value") -> Where:
    return lambda layout: where(layout, item_id, column)


def fixed(text: str) -> Where:
    return lambda layout: text


FILE = fixed("")  # a problem about the whole file


def put(item_id: str, value: object, number_format: str | None = None):
    def mutate(path: Path, layout) -> Path:
        def change(wb):
            cell = wb[INPUT][item(layout, item_id).ref("value")]
            cell.value = value
            if number_format:
                cell.number_format = number_format

        return edit(path, change)

    return mutate


def cached_formula(item_id: str, formula: str, cached: str):
    def mutate(path: Path, layout) -> Path:
        put(item_id, formula)(path, layout)
        return cache_formula_value(path, item(layout, item_id).ref("value"), cached)

    return mutate


def set_cell(sheet: str, ref: str, value: object):
    return lambda path, layout: edit(path, lambda wb: wb[sheet].__setitem__(ref, value))


def set_meta(key: str, value: str):
    def change(wb):
        for row in wb[META].iter_rows(min_col=1, max_col=2):
            if row[0].value == key:
                row[1].value = value

    return lambda path, layout: edit(path, change)


def sheet_op(change: Callable):
    return lambda path, layout: edit(path, change)


def replace_file(suffix: str, data: bytes | Callable[[Path], bytes]):
    def mutate(path: Path, layout) -> Path:
        content = data(path) if callable(data) else data
        target = path.with_suffix(suffix)
        target.write_bytes(content)
        return target

    return mutate


def zipped(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Callable[[Path], bytes]:
    def build(path: Path) -> bytes:
        out = path.with_name("built.zip")
        with zipfile.ZipFile(out, "w", compression) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        return out.read_bytes()

    return build


def with_entry(name: str, data: bytes):
    def mutate(path: Path, layout) -> Path:
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(name, data)
        return path

    return mutate


def poison_sheet(xml: bytes):
    def mutate(path: Path, layout) -> Path:
        return rewrite_zip(path, lambda n, d: xml if n == "xl/worksheets/sheet2.xml" else d)

    return mutate


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@dataclass
class Case:
    name: str
    mutate: Callable[[Path, object], Path]
    expected: list[tuple[str, Where]]
    value: tuple[str, float | None] | None = None  # an accepted input: item id, value read
    unit: str = "changchun"
    expect: dict = field(default_factory=dict)


A1, PM, DAYS, RAIL, INCIDENT = (
    "non_fossil_energy_share",  # percent, required
    "pm25_annual_mean",  # μg/m³, with aliases
    "heavy_pollution_days",  # count of days
    "rail_freight_share",  # optional
    "major_env_incident",  # yes/no
)
HONOURS = "national_honours"  # a count-based bonus with its own input

CASES = [
    # accepted, with a note saying how the input was read
    Case("fullwidth-digits", put(A1, "８５．３"), [("cell.fullwidth", at(A1))], (A1, 85.3)),
    Case(
        "fullwidth-percent",
        put(A1, "８５．３％"),
        [("cell.fullwidth", at(A1)), ("cell.percent-text", at(A1))],
        (A1, 85.3),
    ),
    Case("percent-text", put(A1, "85%"), [("cell.percent-text", at(A1))], (A1, 85.0)),
    Case("percent-format", put(A1, 0.853, "0.0%"), [("cell.percent-format", at(A1))], (A1, 85.3)),
    Case("surrounding-spaces", put(A1, "  85.3 "), [("cell.text-number", at(A1))], (A1, 85.3)),
    Case("number-as-text", put(A1, "85.3"), [("cell.text-number", at(A1))], (A1, 85.3)),
    Case("own-unit-symbol", put(PM, "35 μg/m³"), [("cell.unit-stripped", at(PM))], (PM, 35.0)),
    Case(
        "own-unit-chinese", put(PM, "35微克/立方米"), [("cell.unit-stripped", at(PM))], (PM, 35.0)
    ),
    Case("own-unit-ascii", put(PM, "35ug/m3"), [("cell.unit-stripped", at(PM))], (PM, 35.0)),
    Case("own-unit-days", put(DAYS, "3天"), [("cell.unit-stripped", at(DAYS))], (DAYS, 3.0)),
    Case(
        "formula-cached",
        cached_formula(A1, "=80+5.3", "85.3"),
        [("cell.formula-cached", at(A1))],
        (A1, 85.3),
    ),
    Case("no-data-dash", put(RAIL, "—"), [("cell.no-data-mark", at(RAIL))], (RAIL, None)),
    Case("no-data-slash", put(RAIL, "/"), [("cell.no-data-mark", at(RAIL))], (RAIL, None)),
    Case("no-data-wu", put(RAIL, "无"), [("cell.no-data-mark", at(RAIL))], (RAIL, None)),
    Case("optional-blank", put(RAIL, None), [], (RAIL, None)),
    Case("yes-Y", put(INCIDENT, "Y"), [("cell.yesno-normalised", at(INCIDENT))], (INCIDENT, 1.0)),
    Case(
        "yes-yes", put(INCIDENT, "yes"), [("cell.yesno-normalised", at(INCIDENT))], (INCIDENT, 1.0)
    ),
    Case("yes-1", put(INCIDENT, 1), [("cell.yesno-normalised", at(INCIDENT))], (INCIDENT, 1.0)),
    Case("no-N", put(INCIDENT, "N"), [("cell.yesno-normalised", at(INCIDENT))], (INCIDENT, 0.0)),
    Case("no-0", put(INCIDENT, 0), [("cell.yesno-normalised", at(INCIDENT))], (INCIDENT, 0.0)),
    Case("yesno-canonical", put(INCIDENT, "否"), [], (INCIDENT, 0.0)),
    Case("count-as-float", put(DAYS, 3.0), [], (DAYS, 3.0)),
    # refused: the cell and a code saying why
    Case("about", put(A1, "约85"), [("cell.not-a-number", at(A1))]),
    Case("range", put(A1, "85-90"), [("cell.not-a-number", at(A1))]),
    Case("words", put(A1, "达标"), [("cell.not-a-number", at(A1))]),
    Case("decimal-comma", put(A1, "85,3"), [("cell.not-a-number", at(A1))]),
    Case("date", put(A1, datetime(2025, 3, 4)), [("cell.not-a-number", at(A1))]),
    Case("boolean", put(A1, True), [("cell.not-a-number", at(A1))]),
    Case("other-unit", put(PM, "35 mg/m³"), [("cell.wrong-unit", at(PM))]),
    Case("percent-on-concentration", put(PM, "35%"), [("cell.wrong-unit", at(PM))]),
    Case("percent-format-on-concentration", put(PM, 0.35, "0%"), [("cell.wrong-unit", at(PM))]),
    Case("div0", put(A1, "#DIV/0!"), [("cell.excel-error", at(A1))]),
    Case("na", put(A1, "#N/A"), [("cell.excel-error", at(A1))]),
    Case("above-max", put(A1, 120), [("cell.out-of-range", at(A1))]),
    Case("below-min", put(PM, -1), [("cell.out-of-range", at(PM))]),
    Case("thousands-out-of-range", put(DAYS, "1,234"), [("cell.out-of-range", at(DAYS))]),
    Case("required-blank", put(A1, None), [("cell.missing-value", at(A1))]),
    Case("required-no-data", put(A1, "—"), [("cell.missing-value", at(A1))]),
    Case("formula-no-value", put(A1, "=1/0"), [("cell.formula-no-value", at(A1))]),
    Case("count-not-whole", put(DAYS, 2.5), [("cell.not-whole", at(DAYS))]),
    Case("yesno-maybe", put(INCIDENT, "也许"), [("cell.not-yesno", at(INCIDENT))]),
    Case("adjustment-not-whole", put(HONOURS, 1.5), [("cell.not-whole", at(HONOURS))]),
    Case("adjustment-blank", put(HONOURS, None), [("cell.missing-value", at(HONOURS))]),
    Case(
        "note-too-long",
        lambda p, lay: set_cell(INPUT, item(lay, A1).ref("note"), "注" * 256)(p, lay),
        [("cell.text-too-long", at(A1, "note"))],
    ),
    Case(
        "note-at-limit",
        lambda p, lay: set_cell(INPUT, item(lay, A1).ref("note"), "注" * 255)(p, lay),
        [],
    ),
    Case(
        "no-contact",
        set_cell(COVER, cover_ref("person"), None),
        [("cell.missing-contact", fixed(f"{COVER}!{cover_ref('person')}"))],
    ),
    # structure and metadata
    Case(
        "code-edited",
        lambda p, lay: set_cell(INPUT, item(lay, PM).ref("code"), "B9")(p, lay),
        [("structure.row-missing", at(PM, "code"))],
    ),
    Case(
        "unit-edited",
        lambda p, lay: set_cell(INPUT, item(lay, PM).ref("unit"), "mg/m³")(p, lay),
        [("structure.changed", at(PM, "unit"))],
    ),
    Case(
        "cover-unit-edited",
        set_cell(COVER, "C4", "吉林市 / Jilin City"),
        [("structure.changed", fixed(f"{COVER}!C4"))],
    ),
    Case(
        "meta-city-swapped",
        set_meta("city", "liaoyuan"),
        [("structure.checksum", fixed(f"{META}!B8"))],  # one problem, not one per cell
        unit="siping",
    ),
    Case(
        "meta-checksum-edited",
        set_meta("checksum", "0" * 64),
        [("structure.checksum", fixed(f"{META}!B8"))],
    ),
    Case(
        "other-scheme-version",
        set_meta("scheme_version", "0.9"),
        [("structure.other-scheme", fixed(f"{META}!B4"))],
    ),
    Case(
        "scheme-hash-edited",
        set_meta("scheme_hash", "0" * 64),
        [("structure.scheme-edited", fixed(f"{META}!B5"))],
    ),
    Case(
        "template-version",
        set_meta("template_version", "0"),
        [("structure.template-version", fixed(f"{META}!B2"))],
    ),
    Case(
        "meta-year-garbled",
        set_meta("year", "二〇二五"),
        [("structure.meta-invalid", fixed(f"{META}!B7"))],
    ),
    Case(
        "meta-unknown-city",
        set_meta("city", "atlantis"),
        [("structure.unknown-city", fixed(f"{META}!B6"))],
    ),
    Case(
        "meta-year-outside",
        set_meta("year", "2040"),
        [("structure.year-outside", fixed(f"{META}!B7"))],
    ),
    Case("meta-removed", sheet_op(lambda wb: wb.remove(wb[META])), [("structure.no-meta", FILE)]),
    Case("meta-mark-edited", set_meta("mark", "something"), [("structure.no-meta", FILE)]),
    Case(
        "input-sheet-renamed",
        sheet_op(lambda wb: setattr(wb[INPUT], "title", "Sheet1")),
        [("structure.missing-sheet", FILE)],
    ),
    Case(
        "expected-other-city",
        lambda p, lay: p,
        [("structure.wrong-city", FILE)],
        expect={"expect_city": "jilin"},
    ),
    Case(
        "expected-other-year",
        lambda p, lay: p,
        [("structure.wrong-year", FILE)],
        expect={"expect_year": YEAR + 1},
    ),
    # files that are not what they should be
    Case("xls-suffix", replace_file(".xls", OLE), [("file.wrong-format", FILE)]),
    Case("xls-content", replace_file(".xlsx", OLE), [("file.wrong-format", FILE)]),
    Case(
        "csv", replace_file(".csv", "编码,填报值\nA1,85\n".encode()), [("file.wrong-format", FILE)]
    ),
    Case("ods-suffix", replace_file(".ods", b"PK\x03\x04"), [("file.wrong-format", FILE)]),
    Case(
        "ods-content",
        replace_file(
            ".xlsx",
            zipped(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                },
                zipfile.ZIP_STORED,
            ),
        ),
        [("file.wrong-format", FILE)],
    ),
    Case(
        "xlsm-suffix",
        replace_file(".xlsm", lambda p: p.read_bytes()),
        [("file.wrong-format", FILE)],
    ),
    Case(
        "macros-inside", with_entry("xl/vbaProject.bin", b"\0" * 64), [("file.wrong-format", FILE)]
    ),
    Case(
        "text-file", replace_file(".xlsx", "这不是工作簿".encode()), [("file.not-workbook", FILE)]
    ),
    Case("empty-file", replace_file(".xlsx", b""), [("file.not-workbook", FILE)]),
    Case(
        "truncated",
        replace_file(".xlsx", lambda p: p.read_bytes()[:3000]),
        [("file.not-workbook", FILE)],
    ),
    Case(
        "zip-not-workbook",
        replace_file(".xlsx", zipped({"word/document.xml": b"<w/>"})),
        [("file.not-workbook", FILE)],
    ),
    Case(
        "implausible-ratio",  # 30 MB of zeros: under every size limit, but a bomb's ratio
        replace_file(
            ".xlsx", zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": bytes(30 * 2**20)})
        ),
        [("file.too-large", FILE)],
    ),
    Case(
        "too-many-entries",
        replace_file(".xlsx", zipped({f"x/{n}": b"" for n in range(1500)})),
        [("file.too-large", FILE)],
    ),
    Case("corrupt-xml", poison_sheet(b"<worksheet><sheetData><row"), [("file.unreadable", FILE)]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus(case: Case, filled, tmp_path):
    layout = layout_for(case.unit)
    path = case.mutate(filled(case.unit, tmp_path / f"{case.unit}.xlsx"), layout)
    result = read_submission(path, scheme(), roster(), **case.expect)
    assert located(result.problems) == [(code, loc(layout)) for code, loc in case.expected]
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert result.valid == (not errors)
    assert (result.submission is not None) == (not errors)
    if case.value is not None:
        item_id, value = case.value
        assert result.submission is not None
        assert result.submission.value(item_id) == value
        assert list(result.submission.normalisations) == list(result.problems)
    for problem in result.problems:
        assert problem.location.file == str(path)
        assert "{" not in problem.zh + problem.en  # every placeholder was filled


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def _paste(sheet, rows: int) -> None:
    # What an officer pastes: five columns of numbers and text, every row different.
    for n in range(rows):
        sheet.append([n, f"街道{n}", n * 1.5, f"备注 {n}", "85%"])


@pytest.mark.parametrize("rows", [2_000, pytest.param(50_000, marks=pytest.mark.slow)])
def test_extra_sheet_of_pasted_rows_is_ignored_with_a_note(filled, tmp_path, rows):
    path = edit(
        filled("changchun", tmp_path / "x.xlsx"),
        lambda wb: _paste(wb.create_sheet("粘贴数据"), rows),
    )
    start = time.perf_counter()
    result = read_submission(path, scheme(), roster())
    assert time.perf_counter() - start < 5
    assert result.submission is not None
    assert located(result.problems) == [("structure.extra-sheet", "粘贴数据")]
    assert result.problems[0].severity is Severity.NOTE


def test_rows_pasted_below_the_table_are_ignored_with_a_note(filled, tmp_path):
    layout = layout_for("changchun")
    path = edit(filled("changchun", tmp_path / "x.xlsx"), lambda wb: _paste(wb[INPUT], 5_000))
    result = read_submission(path, scheme(), roster())
    assert result.submission is not None
    below = f"{INPUT}!A{layout.last_row + 1}"
    assert located(result.problems) == [("structure.rows-below", below)]
    assert result.problems[0].severity is Severity.NOTE


def test_too_many_sheets_are_refused(filled, tmp_path):
    def add(wb):
        for n in range(READ_SHEETS):
            wb.create_sheet(f"s{n}")

    path = edit(filled("changchun", tmp_path / "x.xlsx"), add)
    result = read_submission(path, scheme(), roster())
    assert located(result.problems) == [("file.too-large", "")]
