"""Fuzzing the two readers of outside input: submitted workbooks and scheme files.

Whatever the bytes, the only outcomes are a result or the project's own located problems:
`read_submission` returns a report whose every problem has a catalogued code and names the
file, and `load_scheme` returns a `Scheme` or raises `BeautycityError` whose problems name
the file. Any other exception fails the test. Runs are derandomised, with no example
database, so every run tries the same inputs.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from beautycity.problems import BeautycityError, Severity, catalogue
from beautycity.resources import default_scheme_path
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Scheme
from beautycity.submission.read import FileReport, read_submission

from .builders import ADJUSTMENTS
from .fixtures_workbook import INPUT, Filled, layout_for, rewrite_zip, roster, scheme
from .hostile_formats import as_excel_saves
from .minischeme import MINI_SCHEME

pytestmark = pytest.mark.slow  # hundreds of generated workbooks and schemes

UNIT = "changchun"


def fuzz(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A filled workbook as Excel would save it, with a shared-strings table."""
    folder = tmp_path_factory.mktemp("fuzz")
    path = as_excel_saves(Filled(folder).source(UNIT), folder / "shared.xlsx")
    assert read_submission(path, scheme(), roster()).problems == ()
    return path


def read(path: Path) -> FileReport:
    report = read_submission(path, scheme(), roster())
    known = catalogue()
    for problem in report.problems:
        assert problem.code in known
        assert problem.location.file == str(path)
    if not report.valid:
        assert report.submission is None
    event(
        report.problems[0].code if report.problems else "valid"
    )  # for --hypothesis-show-statistics
    return report


# ---------------------------------------------------------------------------- workbook bytes

byte_edits = st.lists(
    st.tuples(
        st.sampled_from(("flip", "insert", "delete", "truncate")),
        st.integers(min_value=0),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=5,
)


def apply_bytes(data: bytes, edits) -> bytes:
    for op, at, blob in edits:
        i = at % (len(data) + 1)
        if op == "flip" and i < len(data):
            data = data[:i] + bytes([data[i] ^ (blob[0] or 0xFF)]) + data[i + 1 :]
        elif op == "insert":
            data = data[:i] + blob + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + len(blob) :]
        elif op == "truncate":
            data = data[:i]
    return data


@fuzz(200)
@given(edits=byte_edits)
def test_any_damage_to_the_file_is_a_located_problem(source, edits):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.xlsx"
        path.write_bytes(apply_bytes(source.read_bytes(), edits))
        read(path)


# ---------------------------------------------------------------------------- workbook XML

PARTS = (
    "xl/worksheets/sheet1.xml",  # cover
    "xl/worksheets/sheet2.xml",  # input
    "xl/worksheets/sheet3.xml",  # metadata
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
)
XML_TOKENS = (
    "<",
    ">",
    "&",
    '"',
    "=",
    "/>",
    "</row>",
    "<row>",
    "</sheetData>",
    '<c r="G6"><v>1</v></c>',
    '<c r="G6" t="s"><v>7</v></c>',
    '<c r="G6" t="e"><v>#DIV/0!</v></c>',
    '<c r="G6" t="b"><v>2</v></c>',
    '<c r="G6" t="d"><v>2025-13-45</v></c>',
    '<c r="XFD1048576"><v>1</v></c>',
    "<f>SUM(A1:A9)</f>",
    '<f t="shared" si="0" ref="A1:B2">A1</f>',
    "<v>1e999</v>",
    "<v>NaN</v>",
    "<v>-0</v>",
    's="9999"',
    't="inlineStr"',
    '<mergeCell ref="A1:B2"/>',
    '<hyperlink ref="A1" r:id="rId9"/>',
    "&amp;",
    "&#0;",
    "&#x10FFFF;",
    "&lol;",
    "<!DOCTYPE x>",
    "<![CDATA[x]]>",
    "beautycity-template",
    "2025",
    "changchun",
    "_meta",
    "填报表",
    '<sheet name="_meta" sheetId="9" r:id="rId3"/>',
    "<si><t>85.3</t></si>",
    "<si><r><t>8</t></r><r><t>5</t></r></si>",
    'Target="/xl/worksheets/sheet9.xml"',
)
xml_edits = st.lists(
    st.tuples(
        st.sampled_from(PARTS),
        st.integers(min_value=0),
        st.integers(min_value=0, max_value=40),
        st.lists(st.one_of(st.sampled_from(XML_TOKENS), st.text(max_size=4)), max_size=4).map(
            "".join
        ),
    ),
    min_size=1,
    max_size=4,
)


@fuzz(120)
@given(edits=xml_edits)
def test_any_edit_to_the_xml_inside_is_a_located_problem(source, edits):
    def change(name: str, data: bytes) -> bytes:
        for part, at, cut, text in edits:
            if part == name:
                i = at % (len(data) + 1)
                data = data[:i] + text.encode() + data[i + cut :]
        return data

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.xlsx"
        path.write_bytes(source.read_bytes())
        read(rewrite_zip(path, change))


# ---------------------------------------------------------------------------- cell values

TEXTS = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=300)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    TEXTS,
    st.sampled_from(["=1/0", "=A1", "@SUM(A1)", "+1+1", "-2+3", "85%", "是", "—", "#N/A", "1,234"]),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
    st.dates(),
    st.times(),
    st.timedeltas(),
)
cell_writes = st.lists(
    st.tuples(st.integers(min_value=0), st.sampled_from(("value", "source", "note")), VALUES),
    min_size=1,
    max_size=6,
)


@fuzz(60)
@given(writes=cell_writes)
def test_any_value_typed_into_an_input_cell_is_read_or_located(source, writes):
    items = layout_for(UNIT).items
    wb = load_workbook(source)
    written = set()
    for index, column, value in writes:
        ref = items[index % len(items)].ref(column)
        try:
            wb[INPUT][ref] = value
        except (ValueError, TypeError):
            reject()  # openpyxl cannot put it into a workbook
        written.add(ref)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "typed.xlsx"
        try:
            wb.save(path)
        except (ValueError, TypeError, OverflowError):
            reject()
        report = read(path)
    # The layout is untouched, so every problem is about a cell that was typed into.
    for problem in report.problems:
        assert problem.code.startswith("cell.")
        assert (problem.location.sheet, problem.location.cell) in {(INPUT, r) for r in written}
    if report.valid:
        for it in items:
            value = report.submission.values.get(it.id) or report.submission.adjustments[it.id]
            assert value.value is None or isinstance(value.value, float)


# ---------------------------------------------------------------------------- scheme files

YAML_TOKENS = (
    "\n",
    "  ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "!!python/object:os.system ",
    "!!binary ",
    "|\n",
    ">-\n",
    "# ",
    "'",
    '"',
    "\t",
    "~",
    ".nan",
    ".inf",
    "1e999",
    "-0",
    "2027",
    "yes",
    "0x1F",
    "2025-01-01",
    "id",
    "zh",
    "en",
    "weight",
    "weights",
    "dimensions",
    "indicators",
    "positionings",
    "targets",
    "method",
    "unit",
    "input",
    "min",
    "max",
    "air",
    "hub",
    "pm25",
)
SCALARS = (
    "",
    "0",
    "-1",
    "100",
    "1e999",
    ".nan",
    "-.inf",
    "null",
    "[]",
    "{}",
    "[1, 2]",
    "{zh: 甲}",
    "true",
    "'x'",
    "air",
    "hub",
    "pm25",
    "unknown_id",
    "2027",
    "2099",
    "higher",
    "range",
    "percent",
    "yesno",
    "count",
    "*a",
    "&a 1",
)
yaml_soup = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=3)), max_size=60)
line_edits = st.lists(
    st.tuples(
        st.sampled_from(("delete", "duplicate", "swap", "indent", "dedent", "value", "soup")),
        st.integers(min_value=0),
        st.integers(min_value=0),
        st.sampled_from(SCALARS),
        yaml_soup.map("".join),
    ),
    min_size=1,
    max_size=5,
)


def edit_lines(text: str, edits) -> str:
    """Edits a person might make (lines moved, values changed) and some no one would."""
    lines = text.split("\n")
    for op, at, other, scalar, soup in edits:
        i, j = at % len(lines), other % len(lines)
        line = lines[i]
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            lines[i], lines[j] = lines[j], line
        elif op == "indent":
            lines[i] = "  " + line
        elif op == "dedent":
            lines[i] = line[2:]
        elif op == "value" and ": " in line:
            lines[i] = line.split(": ", 1)[0] + ": " + scalar
        elif op == "soup":
            k = j % (len(line) + 1)
            lines[i] = line[:k] + soup + line[k + len(soup) :]
    return "\n".join(lines)


def load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scheme.yaml"
        path.write_bytes(data)
        try:
            loaded = load_scheme(path)
        except BeautycityError as exc:
            assert exc.problems
            event(exc.problems[0].code)
            for problem in exc.problems:
                assert problem.code in catalogue()
                assert problem.location.file == str(path)
                assert problem.severity in (Severity.ERROR, Severity.NOTE)
        else:
            assert isinstance(loaded, Scheme)
            event("valid")


@fuzz(150)
@given(
    soup=yaml_soup, prefix=st.sampled_from((b"", b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"))
)
def test_any_yaml_is_a_scheme_or_located_problems(soup, prefix):
    load(prefix + "".join(soup).encode())


@fuzz(150)
@given(edits=line_edits)
def test_any_edit_to_a_small_scheme_is_a_scheme_or_located_problems(edits):
    load(edit_lines(MINI_SCHEME + ADJUSTMENTS, edits).encode())


@fuzz(25)
@given(edits=line_edits)
def test_any_edit_to_the_jilin_scheme_is_a_scheme_or_located_problems(edits):
    text = default_scheme_path().read_text(encoding="utf-8")
    load(edit_lines(text, edits).encode())
