"""Carrying a city's values over from a workbook made for an older scheme version."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from openpyxl import Workbook

from beautycity.cities import Roster
from beautycity.problems import BeautycityError, Severity
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Scheme
from beautycity.submission.carry import Skip, carry_over, read_carried
from beautycity.submission.read import read_submission
from beautycity.texts import tr
from beautycity.workbook.build import write_template
from beautycity.workbook.fill import fill_workbook
from beautycity.workbook.layout import plan

from .builders import ADJUSTMENTS, unit
from .minischeme import MINI_SCHEME

YEAR = 2025
ROSTER = Roster(units=(unit("north", "hub"), unit("south", "showcase")))
CONTACT = {"person": "王芳", "phone": "0431-88888888"}
VALUES = {"pm25": 25.0, "water_good": 88.0, "incident": 0.0, "honours": 2.0}
SOURCES = {"pm25": "2025年环境状况公报", "water_good": "水质月报"}
NOTES = {"pm25": "初步数据"}
NEW_INDICATOR = """\
  - id: lake_quality
    code: B3
    name: {zh: 湖库水质, en: Lake water quality}
    unit: {zh: "%", en: "%", symbol: "%"}
    definition: {zh: 达标湖库比例, en: Share of lakes meeting their standard}
    source: {zh: 公报, en: Bulletin}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: water
    direction: higher
    kind: expected
    targets: {2027: 80}
    scoring: {method: distance_to_target, floor: 40}
    weight: 5
    input: {type: percent, min: 0, max: 100}
    department: {zh: 水利局, en: Water bureau}
    positionings: [showcase]
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def scheme_file(folder: Path, name: str, text: str) -> Scheme:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_scheme(path)


V1_TEXT = MINI_SCHEME + ADJUSTMENTS
# v2: the version bumped, water_good redefined (same unit, another quantity), one indicator added
V2_TEXT = edit(
    edit(
        edit(V1_TEXT, 'version: "0.1"', 'version: "0.2"'),
        "definition: {zh: 比例, en: Ratio}",
        "definition: {zh: 达到III类的比例, en: Share at class III or better}",
    ),
    "grades:\n",
    NEW_INDICATOR + "grades:\n",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("carry")


@pytest.fixture(scope="module")
def v1(folder) -> Scheme:
    return scheme_file(folder, "v1.yaml", V1_TEXT)


@pytest.fixture(scope="module")
def v2(folder) -> Scheme:
    return scheme_file(folder, "v2.yaml", V2_TEXT)


def filled(folder: Path, scheme: Scheme, unit_id: str, name: str) -> Path:
    blank = write_template(folder / f"blank-{name}", scheme, ROSTER[unit_id], YEAR)
    layout = plan(scheme, ROSTER[unit_id], YEAR)
    out = folder / name
    fill_workbook(blank, out, layout, VALUES, sources=SOURCES, notes=NOTES, contact=CONTACT)
    return out


@pytest.fixture(scope="module")
def old_workbook(folder, v1) -> Path:
    return filled(folder, v1, "south", "south-v1.xlsx")


def test_unchanged_values_carry_over_changed_and_new_ones_do_not(old_workbook, v1, v2):
    carried = read_carried(old_workbook, v2, ROSTER, old_scheme=v1)
    assert carried.values == {"pm25": 25.0, "incident": 0.0, "honours": 2.0}
    assert carried.skipped == {"water_good": "changed", "lake_quality": "new"}
    assert carried.sources == {"pm25": SOURCES["pm25"]}  # water_good's source stays behind
    assert carried.notes == NOTES
    assert (carried.city, carried.year) == ("south", YEAR)
    assert (carried.scheme_id, carried.scheme_version) == ("mini", "0.1")
    assert carried.problems == ()
    assert carry_over(old_workbook, v2, ROSTER, v1) == carried.values


def test_the_carried_values_prefill_the_new_template(folder, old_workbook, v1, v2):
    carried = read_carried(old_workbook, v2, ROSTER, old_scheme=v1)
    blank = write_template(folder / "blank-v2.xlsx", v2, ROSTER["south"], YEAR)
    layout = plan(v2, ROSTER["south"], YEAR)
    prefilled = folder / "south-v2.xlsx"
    fill_workbook(
        blank,
        prefilled,
        layout,
        carried.values,
        sources=carried.sources,
        notes=carried.notes,
        contact=CONTACT,
    )
    report = read_submission(prefilled, v2, ROSTER)
    # the new workbook is one of v2; what it still lacks is what was not carried
    errors = [p for p in report.problems if p.severity is Severity.ERROR]
    missing = {p.location.cell for p in errors if p.code == "cell.missing-value"}
    expected = {next(i for i in layout.items if i.id == k).ref("value") for k in carried.skipped}
    assert missing == expected
    assert {p.code for p in errors} == {"cell.missing-value"}


def test_without_the_old_scheme_values_are_matched_by_code_and_unit(old_workbook, v2):
    carried = read_carried(old_workbook, v2, ROSTER)
    # water_good's code and unit are unchanged: without v1 its new meaning cannot be seen
    assert carried.values == VALUES
    assert carried.skipped == {"lake_quality": "new"}
    assert [p.code for p in carried.problems] == ["carry.by-code"]
    assert "mini 0.1" in carried.problems[0].en


def test_a_workbook_of_the_current_version_is_read_as_a_submission(folder, v1):
    same = filled(folder, v1, "north", "north-v1.xlsx")
    carried = read_carried(same, v1, ROSTER)
    assert carried.values == {k: v for k, v in VALUES.items() if k != "incident"}  # hub
    assert carried.skipped == {} and carried.problems == ()


def test_a_value_outside_the_new_range_is_not_carried(folder, old_workbook, v1):
    text = edit(V1_TEXT, 'version: "0.1"', 'version: "0.3"')
    text = edit(
        text,
        "input: {type: count, min: 0, max: 20, decimals: 0}",
        "input: {type: count, min: 0, max: 1, decimals: 0}",
    )
    tighter = scheme_file(folder, "v3.yaml", text)
    carried = read_carried(old_workbook, tighter, ROSTER, old_scheme=v1)
    assert carried.skipped == {"honours": "out_of_range"}
    assert "honours" not in carried.values


def test_the_wrong_old_scheme_is_refused(old_workbook, v2):
    with pytest.raises(BeautycityError) as caught:
        read_carried(old_workbook, v2, ROSTER, old_scheme=v2)
    assert [p.code for p in caught.value.problems] == ["carry.other-scheme"]


def test_a_workbook_not_made_by_beautycity_is_refused(folder, v2):
    other = folder / "other.xlsx"
    Workbook().save(other)
    with pytest.raises(BeautycityError) as caught:
        carry_over(other, v2, ROSTER)
    assert [p.code for p in caught.value.problems] == ["structure.no-meta"]


def test_a_file_that_is_no_workbook_is_refused(folder, v2):
    fake = folder / "fake.xlsx"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(BeautycityError) as caught:
        carry_over(fake, v2, ROSTER)
    assert [p.code for p in caught.value.problems] == ["file.not-workbook"]


def test_the_summary_and_reasons_have_texts(old_workbook, v1, v2):
    carried = read_carried(old_workbook, v2, ROSTER, old_scheme=v1)
    summary = tr("carry.summary", "en", group="scheme_tools", **carried.summary())
    assert "carried 3 value(s)" in summary and "mini 0.1, 2025" in summary
    for reason in get_args(Skip):
        assert tr(f"carry.reasons.{reason}", group="scheme_tools")
