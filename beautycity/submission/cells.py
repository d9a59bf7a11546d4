"""One input cell, as a spreadsheet stored it, read into a number — or into the reason it can't be.

Pure: no workbook, no locations. Officers' habits that are unambiguous are accepted and each
leaves a note (full-width digits, `85%`, `1,234`, the indicator's own unit typed after the
number, a formula with a computed value, a "no data" mark on an optional indicator). Anything
that could mean two things is refused with a stable problem code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, DecimalException
from functools import cache

from ..io.names import BIDI_CONTROLS
from ..scheme.model import InputSpec, InputType, Measure
from ..workbook.layout import is_percent, plain, range_text, texts

EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_SHOWN = 40  # characters of a raw value repeated in a message
CELL_MAX = 32_767  # characters Excel lets a cell hold
# Characters of a number typed as text, with its unit and spaces: checked before normalising,
# since NFKC turns one character into up to 18 (U+FDFA).
NUMBER_TEXT_MAX = 100
_EXPONENT_MAX = 4  # digits of a typed exponent: 1e9999 is already beyond any float

_NUMBER = re.compile(
    r"(?P<num>[+-]?(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+))"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?\s*(?P<rest>.*)",
    re.DOTALL,
)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class RawCell:
    """What the reader found in a cell; `value` is the computed value when there is a formula."""

    value: object
    number_format: str = "General"
    is_error: bool = False
    formula: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """The outcome: a value (None: no data) with notes, or an error."""

    value: float | None = None
    notes: tuple[Finding, ...] = ()
    error: Finding | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def read_cell(
    raw: RawCell,
    spec: InputSpec,
    unit: Measure,
    *,
    required: bool,
    other_units: frozenset[str] = frozenset(),
) -> Reading:
    """Read `raw` as a value of an indicator measured in `unit` with input rules `spec`.

    `other_units` are spellings of the scheme's other units (folded with `unit_key`), so that
    `35 mg/m³` is reported as a wrong unit rather than as text.
    """
    if isinstance(raw.value, str) and len(raw.value) > CELL_MAX:
        # More than Excel can save: never normalised, nor compared (one shared string may
        # stand in every cell).
        return _fail("cell.text-too-long", length=str(len(raw.value)), max=str(CELL_MAX))
    shown = _show(raw.value)
    if raw.formula is not None and raw.value is None:
        return _fail("cell.formula-no-value", formula=_clip(raw.formula))
    if raw.is_error or (isinstance(raw.value, str) and raw.value.strip() in EXCEL_ERRORS):
        return _fail("cell.excel-error", raw=shown)
    if spec.type is InputType.YESNO:
        reading = _yesno(raw.value, required)
    else:
        reading = _number(raw, spec, unit, required, other_units)
    if reading.ok and reading.value is not None:
        reading = _check_range(reading, spec)
    if reading.ok and raw.formula is not None and reading.value is not None:
        note = Finding(
            "cell.formula-cached", {"formula": _clip(raw.formula), "value": plain(reading.value)}
        )
        reading = Reading(reading.value, (note, *reading.notes))
    return reading


def unit_key(text: str) -> str:
    """A unit spelling folded for comparison: NFKC (so m³ = m3, µ = μ), no case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def measure_keys(measure: Measure) -> frozenset[str]:
    spellings = (measure.symbol, measure.zh, measure.en, *measure.aliases)
    return frozenset(unit_key(s) for s in spellings if s.strip())


@cache
def _words() -> dict[str, frozenset[str]]:
    accepted = texts()["accepted"]
    return {k: frozenset(unit_key(w) for w in v) for k, v in accepted.items()}


def _yesno(value: object, required: bool) -> Reading:
    canonical = texts()["yesno"]
    if _blank(value):
        return _missing(required)
    if isinstance(value, bool) or (isinstance(value, int | float) and value in (0, 1)):
        answer = bool(value)
    elif isinstance(value, str):
        key = unit_key(value)
        if key in _words()["yes"] or key == "1":
            answer = True
        elif key in _words()["no"] or key == "0":
            answer = False
        elif key in _words()["no_data"]:
            return _no_data(value, required)
        else:
            return _fail("cell.not-yesno", raw=_show(value))
        if value.strip() == canonical["yes" if answer else "no"]:
            return Reading(1.0 if answer else 0.0)
    else:
        return _fail("cell.not-yesno", raw=_show(value))
    note = Finding(
        "cell.yesno-normalised",
        {
            "raw": _show(value),
            "value": canonical["yes" if answer else "no"],
            "value_en": "yes" if answer else "no",
        },
    )
    return Reading(1.0 if answer else 0.0, (note,))


def _number(
    raw: RawCell, spec: InputSpec, unit: Measure, required: bool, other_units: frozenset[str]
) -> Reading:
    value = raw.value
    if _blank(value):
        return _missing(required)
    if isinstance(value, str):
        return _text_number(value, unit, spec, required, other_units)
    # Excel's TRUE, or a date Excel made of what was typed (3/4 becomes 4 March), is no number.
    if isinstance(value, bool | datetime | date | time | timedelta):
        return _fail("cell.not-a-number", raw=_show(value))
    if isinstance(value, float) and math.isinf(value):
        return _fail("cell.number-too-large", raw=_show(value))
    if not isinstance(value, int | float) or not math.isfinite(value):
        return _fail("cell.not-a-number", raw=_show(value))
    if _percent_format(raw.number_format):
        if not is_percent(unit, spec):
            return _fail(
                "cell.wrong-unit", raw=_show_percent(value), found="%", expected=_unit_label(unit)
            )
        scaled = float(Decimal(repr(float(value))) * 100)
        note = Finding("cell.percent-format", {"raw": _show_percent(value), "value": plain(scaled)})
        return Reading(scaled, (note,))
    return Reading(float(value))


def _text_number(
    text: str, unit: Measure, spec: InputSpec, required: bool, other_units: frozenset[str]
) -> Reading:
    shown = _show(text)
    if len(text) > NUMBER_TEXT_MAX:
        return _fail("cell.not-a-number", raw=shown)
    folded = unicodedata.normalize("NFKC", text).strip()
    if unit_key(folded) in _words()["no_data"]:
        return _no_data(text, required)
    match = _NUMBER.fullmatch(folded)
    if not match:
        return _fail("cell.not-a-number", raw=shown)
    notes: list[str] = []
    if any(_fullwidth(c) for c in text):
        notes.append("cell.fullwidth")
    number = match["num"]
    if "," in number:
        if not _GROUPED.fullmatch(number):
            return _fail("cell.not-a-number", raw=shown)  # 1,23 may be a decimal comma
        notes.append("cell.thousands")
    rest = match["rest"].strip()
    if rest == "%":
        if not is_percent(unit, spec):
            return _fail("cell.wrong-unit", raw=shown, found="%", expected=_unit_label(unit))
        notes.append("cell.percent-text")
    elif rest:
        if unit_key(rest) in measure_keys(unit):
            notes.append("cell.unit-stripped")
        elif _unit_like(rest, other_units):
            return _fail(
                "cell.wrong-unit", raw=shown, found=_clip(rest), expected=_unit_label(unit)
            )
        else:
            return _fail("cell.not-a-number", raw=shown)
    exponent = (match["exp"] or "0").lstrip("+-").lstrip("0")
    if len(exponent) > _EXPONENT_MAX:
        return _fail("cell.number-too-large", raw=shown)
    try:
        parsed = Decimal(number.replace(",", "")) * (Decimal(10) ** int(match["exp"] or 0))
        result = float(parsed)
    except (DecimalException, OverflowError, ValueError):
        return _fail("cell.number-too-large", raw=shown)
    if not math.isfinite(result):
        return _fail("cell.number-too-large", raw=shown)
    codes = notes or ["cell.text-number"]
    return Reading(result, tuple(Finding(c, {"raw": shown, "value": plain(result)}) for c in codes))


def _check_range(reading: Reading, spec: InputSpec) -> Reading:
    value = reading.value
    assert value is not None
    if not spec.contains(value):
        return _fail("cell.out-of-range", value=plain(value), range=range_text(spec))
    if spec.type is InputType.COUNT and not float(value).is_integer():
        return _fail("cell.not-whole", value=plain(value))
    return reading


def _unit_like(rest: str, other_units: frozenset[str]) -> bool:
    # A unit has no digits of its own (m2 and m3 are m² and m³ folded) and is either known to
    # the scheme or built like one (a slash, a percent or per-mille sign).
    key = unit_key(rest)
    if re.search(r"[0-9]", re.sub(r"(?<=m)[23]", "", key)):
        return False
    return key in other_units or any(c in key for c in "/%‰")


def _missing(required: bool) -> Reading:
    return _fail("cell.missing-value") if required else Reading(None)


def _no_data(text: str, required: bool) -> Reading:
    if required:
        return _fail("cell.missing-value")
    return Reading(None, (Finding("cell.no-data-mark", {"raw": _show(text)}),))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fullwidth(char: str) -> bool:
    return "\uff01" <= char <= "\uff5e" or char == "\u3000"


def _percent_format(number_format: str) -> bool:
    # Quoted literals ("%" as text) and escaped characters do not make a percentage.
    bare = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in bare


def _unit_label(unit: Measure) -> str:
    return unit.symbol or unit.zh


def _show(value: object) -> str:
    if isinstance(value, float):
        return _clip(plain(value) if math.isfinite(value) else str(value))
    return _clip("" if value is None else str(value))


def _show_percent(value: float) -> str:
    return plain(float(Decimal(repr(float(value))) * 100)) + "%"


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _fail(code: str, **params: str) -> Reading:
    return Reading(error=Finding(code, params))


def bounded(value: object) -> object:
    """`value`, a text cut one character past what a cell can hold: whatever is compared,
    normalised or quoted of it then costs no more than a cell Excel could save, and its length
    still shows it is too long. (One shared string may stand in every cell of a sheet.)"""
    if isinstance(value, str) and len(value) > CELL_MAX:
        return value[: CELL_MAX + 1]
    return value


def without_bidi(text: str) -> tuple[str, int]:
    """`text` without bidirectional controls, and how many there were."""
    return BIDI_CONTROLS.subn("", text)


@cache
def _live() -> tuple[re.Pattern[str], ...]:
    functions = "|".join(re.escape(f) for f in texts()["live_formulas"]["network_functions"])
    return (
        re.compile(r"\|"),  # DDE: application|topic!item, as in =cmd|' /C calc'!A0
        re.compile(r"\[[^\]]*\][^!]*!|\\\\|^'?[A-Za-z]:\\|(?:file|https?)://", re.I),
        re.compile(rf"(?<![\w.])(?:_xlfn\.)?(?:{functions})\s*\(", re.I),
    )


def live_formula(formula: str) -> Finding | None:
    """The refusal of a formula that reaches outside the workbook when recalculated: a DDE
    call, a reference to another workbook (by index, path or UNC share), or a function that
    calls the network or other programs (`texts/workbook.yaml`, `live_formulas`)."""
    # Text in double quotes is data: ="a|b" calls no one.
    bare = re.sub(r'"[^"]*"', '""', formula.lstrip("="))
    kinds = texts()["live_formulas"]["kinds"]
    for kind, pattern in zip(("dde", "external", "network"), _live(), strict=True):
        if pattern.search(bare):
            text = kinds[kind]
            return Finding(
                "cell.live-formula",
                {"formula": _clip(formula), "kind_zh": text["zh"], "kind_en": text["en"]},
            )
    return None
