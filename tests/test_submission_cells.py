"""Reading one cell: officers' habits accepted with a note, ambiguities refused — for any input."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beautycity.scheme.model import InputSpec, InputType, Measure
from beautycity.submission.cells import RawCell, read_cell, unit_key
from beautycity.workbook.layout import plain

PERCENT = Measure(zh="%", en="%", symbol="%", aliases=("％",))
CONC = Measure(zh="微克/立方米", en="μg/m³", symbol="μg/m³", aliases=("ug/m3", "微克/立方米"))
TONNES = Measure(zh="吨", en="tonnes", symbol="t", aliases=("吨",))
YESNO = Measure(zh="是/否", en="yes/no")
PCT = InputSpec(type=InputType.PERCENT, min=0, max=100, decimals=1)
NUM = InputSpec(type=InputType.NUMBER, min=0, max=1_000_000, decimals=2)
COUNT = InputSpec(type=InputType.COUNT, min=0, max=50, decimals=0)
YN = InputSpec(type=InputType.YESNO, min=0, max=1, decimals=0)
OTHERS = frozenset({unit_key(u) for u in ("mg/m³", "天", "t", "%")})


def read(value, spec=NUM, unit=TONNES, *, required=True, fmt="General", formula=None, error=False):
    return read_cell(
        RawCell(value, fmt, error, formula), spec, unit, required=required, other_units=OTHERS
    )


def codes(reading) -> list[str]:
    return [n.code for n in reading.notes] + ([reading.error.code] if reading.error else [])


@pytest.mark.parametrize(
    ("raw", "spec", "unit", "value", "notes"),
    [
        (1234, NUM, TONNES, 1234.0, []),
        ("1,234", NUM, TONNES, 1234.0, ["cell.thousands"]),
        ("1,234,567.5", NUM, TONNES, None, ["cell.out-of-range"]),
        ("１，２３４", NUM, TONNES, 1234.0, ["cell.fullwidth", "cell.thousands"]),
        ("12 吨", NUM, TONNES, 12.0, ["cell.unit-stripped"]),
        ("12t", NUM, TONNES, 12.0, ["cell.unit-stripped"]),
        ("12 T", NUM, TONNES, 12.0, ["cell.unit-stripped"]),
        ("1e3", NUM, TONNES, 1000.0, ["cell.text-number"]),
        (".5", NUM, TONNES, 0.5, ["cell.text-number"]),
        ("35 µg/m³", PCT, CONC, 35.0, ["cell.unit-stripped"]),  # micro sign, not mu
        ("85 %", PCT, PERCENT, 85.0, ["cell.percent-text"]),
        ("85％", PCT, PERCENT, 85.0, ["cell.fullwidth", "cell.percent-text"]),
        (0.5, PCT, PERCENT, 0.5, []),  # no percent format: 0.5 %, as typed
        (1, YN, YESNO, 1.0, ["cell.yesno-normalised"]),
        (True, YN, YESNO, 1.0, ["cell.yesno-normalised"]),
        ("是", YN, YESNO, 1.0, []),
        (" 否 ", YN, YESNO, 0.0, []),
        ("Yes", YN, YESNO, 1.0, ["cell.yesno-normalised"]),
        ("FALSE", YN, YESNO, 0.0, ["cell.yesno-normalised"]),
        (2, YN, YESNO, None, ["cell.not-yesno"]),
        ("1/2", NUM, TONNES, None, ["cell.not-a-number"]),
        ("12 吨左右", NUM, TONNES, None, ["cell.not-a-number"]),
        ("12 天", NUM, TONNES, None, ["cell.wrong-unit"]),
        ("12 kg/d", NUM, TONNES, None, ["cell.wrong-unit"]),
        ("nan", NUM, TONNES, None, ["cell.not-a-number"]),
        ("inf", NUM, TONNES, None, ["cell.not-a-number"]),
        (float("nan"), NUM, TONNES, None, ["cell.not-a-number"]),
        ("1e999", NUM, TONNES, None, ["cell.number-too-large"]),
        ("1e1000000", NUM, TONNES, None, ["cell.number-too-large"]),
        (float("inf"), NUM, TONNES, None, ["cell.number-too-large"]),
        (date(2025, 1, 1), NUM, TONNES, None, ["cell.not-a-number"]),
        (3.5, COUNT, TONNES, None, ["cell.not-whole"]),
        ("#REF!", NUM, TONNES, None, ["cell.excel-error"]),
    ],
)
def test_examples(raw, spec, unit, value, notes):
    reading = read(raw, spec, unit)
    assert codes(reading) == notes
    assert reading.value == value


def test_percent_format_scales_exactly():
    reading = read(0.853, PCT, PERCENT, fmt="0.0%")
    assert reading.value == 85.3 and codes(reading) == ["cell.percent-format"]
    assert reading.notes[0].params == {"raw": "85.3%", "value": "85.3"}
    assert codes(read(0.5, NUM, TONNES, fmt='0.0"%"')) == []  # a quoted % is only decoration


def test_error_flag_and_formulas():
    assert codes(read("#DIV/0!", error=True)) == ["cell.excel-error"]
    assert codes(read(None, formula="=A1/B1")) == ["cell.formula-no-value"]
    cached = read(42.0, formula="=40+2")
    assert cached.value == 42.0 and codes(cached) == ["cell.formula-cached"]
    assert cached.notes[0].params == {"formula": "=40+2", "value": "42"}
    assert codes(read("#N/A", formula="=VLOOKUP(1,A:A,2)")) == ["cell.excel-error"]


def test_blank_and_no_data():
    assert codes(read(None)) == ["cell.missing-value"]
    assert read(None, required=False) == read("   ", required=False)
    assert read(None, required=False).value is None and codes(read(None, required=False)) == []
    assert codes(read("暂无", required=False)) == ["cell.no-data-mark"]
    assert codes(read("暂无")) == ["cell.missing-value"]
    assert codes(read("无", YN, YESNO, required=False)) == ["cell.yesno-normalised"]  # 无 = no


def test_raw_text_is_clipped_in_messages():
    reading = read("很长的说明" * 40)
    assert reading.error is not None and len(reading.error.params["raw"]) <= 40


FULLWIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")
finite = st.floats(min_value=0, max_value=1_000_000, allow_nan=False).map(lambda x: round(x, 2))


@given(finite)
def test_numbers_read_back_in_every_spelling(x):
    text = plain(x)
    grouped = f"{x:,.2f}".rstrip("0").rstrip(".")
    for spelling in (x, text, f"  {text} ", text.translate(FULLWIDTH), grouped, f"{text}吨"):
        reading = read(spelling)
        assert reading.ok and reading.value == pytest.approx(x, rel=1e-12, abs=1e-12), spelling


@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1)))
def test_percentages_in_every_spelling(x):
    for spelling, fmt in ((x, "General"), (f"{plain(x)}%", "General"), (x / 100, "0.0%")):
        reading = read(spelling, PCT, PERCENT, fmt=fmt)
        assert reading.ok and reading.value == pytest.approx(x, abs=1e-9), spelling


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v < 0 or v > 1_000_000))
def test_outside_the_range_is_refused(x):
    assert codes(read(x)) == ["cell.out-of-range"]


cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)


@given(
    cell_values,
    st.sampled_from([NUM, PCT, COUNT, YN]),
    st.booleans(),
    st.sampled_from(["General", "0%", "@", "0.00"]),
    st.none() | st.just("=A1"),
)
def test_any_cell_gives_a_value_or_one_error_never_an_exception(
    value, spec, required, fmt, formula
):
    reading = read(
        value, spec, PERCENT if spec is PCT else TONNES, required=required, fmt=fmt, formula=formula
    )
    if reading.ok:
        assert reading.value is None or spec.contains(reading.value)
        assert reading.value is not None or not required
    else:
        assert reading.value is None and reading.notes == ()


@given(st.text(alphabet="0123456789.,%- 约左右达标/", max_size=12))
def test_text_with_stray_characters_is_never_silently_misread(text):
    reading = read(text)
    if reading.ok and reading.value is not None:
        # The significant digits typed are those read ("1.0" is 1, "0.050" is 0.05).
        digits = "".join(c for c in text if c.isdigit()).strip("0")
        assert digits in plain(reading.value).replace(".", "").strip("0")
