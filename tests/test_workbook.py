"""Templates: what each unit sees, what is locked, validated and printed, and the metadata."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils.protection import hash_password

from beautycity.cities import Unit
from beautycity.problems import BeautycityError
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import InputType
from beautycity.workbook.build import build_template, write_templates
from beautycity.workbook.layout import (
    CHECKSUM_KEY,
    COVER_INPUTS,
    MARK,
    TEMPLATE_VERSION,
    canon,
    cover_ref,
    plan,
    scheme_hash,
    structure_checksum,
)

from .fixtures_workbook import COVER, INPUT, META, YEAR, item, roster, scheme
from .minischeme import MINI_SCHEME


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    previous = {"changchun": {"pm25_annual_mean": 31.4, "major_env_incident": 0.0}}
    paths = write_templates(
        folder, scheme(), roster(), YEAR, deadline="2026-03-31", previous=previous
    )
    return {p.stem.split("-")[0]: load_workbook(p) for p in paths}


def input_rows(ws):
    """(code, row) of every indicator or adjustment row, read from the sheet."""
    rows = [(ws[f"A{r}"].value, r) for r in range(1, ws.max_row + 1)]
    return [(v, r) for v, r in rows if isinstance(v, str) and re.fullmatch(r"[A-Z][0-9]{1,2}", v)]


@pytest.mark.parametrize("unit_id", [u.id for u in roster()])
def test_only_the_units_indicators_in_scheme_order(unit_id, templates):
    ws = templates[unit_id][INPUT]
    eff = effective_scheme(scheme(), roster()[unit_id].positioning)
    counted = [a.code for a in scheme().adjustments if a.basis == "count"]
    codes = [code for code, _ in input_rows(ws)]
    assert [c for c in codes if c not in counted] == [e.indicator.code for e in eff.indicators]
    assert [c for c in codes if c in counted] == counted


def test_sheets_meta_and_checksum(templates):
    wb = templates["meihekou"]
    assert wb.sheetnames == [COVER, INPUT, META]
    assert wb[META].sheet_state == "veryHidden"
    meta = {canon(a): canon(b) for a, b in wb[META].iter_rows(values_only=True)}
    layout = plan(scheme(), roster()["meihekou"], YEAR)
    assert meta == {**layout.meta(), CHECKSUM_KEY: layout.checksum()}
    assert meta["mark"] == MARK and meta["template_version"] == TEMPLATE_VERSION
    assert meta["city"] == "meihekou" and meta["year"] == str(YEAR)
    assert all(isinstance(v, str) for _, v in wb[META].iter_rows(values_only=True))


def test_scheme_hash_changes_with_what_a_workbook_depends_on():
    s = scheme()
    layout = plan(s, roster()["changchun"], YEAR)
    assert layout.meta()["scheme_hash"] == scheme_hash(s)
    assert len(scheme_hash(s)) == 64
    assert scheme_hash(s.model_copy(update={"name": s.description})) != scheme_hash(s)
    assert scheme_hash(s.model_copy(update={"version": "9"})) != scheme_hash(s)
    first = s.indicators[0]
    moved = first.model_copy(update={"targets": {2030: 21.0}})
    edited = s.model_copy(update={"indicators": (moved, *s.indicators[1:])})
    assert scheme_hash(edited) != scheme_hash(s)
    # How totals are graded, tied or explained does not change what a city fills in.
    regraded = s.model_copy(
        update={
            "grades": tuple(reversed(s.grades)),
            "ties": s.ties.model_copy(update={"points": 1.0}),
            "description": s.name,
        }
    )
    assert scheme_hash(regraded) == scheme_hash(s)


def test_checksum_covers_meta_cells_and_ids():
    layout = plan(scheme(), roster()["changchun"], YEAR)
    meta, cells, ids = layout.meta(), layout.structural_cells(), [i.id for i in layout.items]
    base = structure_checksum(meta, cells, ids)
    assert base == layout.checksum()
    assert structure_checksum({**meta, "year": "2026"}, cells, ids) != base
    assert structure_checksum(meta, [*cells[:-1], (*cells[-1][:2], "x")], ids) != base
    assert structure_checksum(meta, cells, ids[::-1]) != base
    # what a spreadsheet program may do to the same strings does not matter
    resaved = {**meta, "year": float(YEAR)}
    assert structure_checksum(resaved, cells, ids) == base  # type: ignore[arg-type]


def test_only_input_cells_are_unlocked(templates):
    wb = templates["changchun"]
    ws = wb[INPUT]
    assert ws.protection.sheet and wb[COVER].protection.sheet and wb[META].protection.sheet
    assert wb.security is not None and wb.security.lockStructure
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    layout = plan(scheme(), roster()["changchun"], YEAR)
    expected = {i.ref(col) for i in layout.items for col in ("value", "source", "note")}
    assert unlocked == expected
    cover_unlocked = {
        c.coordinate for row in wb[COVER].iter_rows() for c in row if not c.protection.locked
    }
    assert cover_unlocked == {cover_ref(f) for f in COVER_INPUTS}


def test_protection_has_the_password_the_cover_prints(templates):
    # No secret: it makes lifting the protection a deliberate step, and the office reads it
    # on the cover like everyone else.
    wb = templates["changchun"]
    password = scheme().id
    for name in (COVER, INPUT, META):
        assert wb[name].protection.password == hash_password(password)
    assert wb.security.workbookPassword == hash_password(password)
    cover = " ".join(str(c.value) for row in wb[COVER].iter_rows() for c in row if c.value)
    assert f"保护密码为 {password}" in cover and f"the assessment team, is {password}" in cover


def test_every_input_cell_is_validated(templates):
    ws = templates["changbaishan"][INPUT]
    layout = plan(scheme(), roster()["changbaishan"], YEAR)
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            rules[ref] = dv
    for it in layout.items:
        for column in ("source", "note"):
            assert rules[it.ref(column)].type == "textLength"
        dv = rules[it.ref("value")]
        assert dv.showInputMessage and dv.showErrorMessage and dv.allow_blank
        assert dv.prompt and dv.error and "\n" in dv.prompt  # Chinese, then English
        assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255 and len(dv.error) <= 225
        if it.spec.type is InputType.YESNO:
            assert (dv.type, dv.formula1) == ("list", '"是,否"')
        else:
            assert dv.type == ("whole" if it.spec.type is InputType.COUNT else "decimal")
            assert (float(dv.formula1), float(dv.formula2)) == (it.spec.min, it.spec.max)


def test_targets_previous_values_and_labels(templates):
    layout = plan(scheme(), roster()["changchun"], YEAR)
    ws = templates["changchun"][INPUT]
    pm25 = item(layout, "pm25_annual_mean")
    assert ws[pm25.ref("target")].value.startswith("≤ ")
    assert ws[pm25.ref("previous")].value == "31.4"
    assert ws[item(layout, "major_env_incident").ref("previous")].value == "否"
    assert ws[pm25.ref("unit")].value == "μg/m³"
    assert "PM2.5" in ws[pm25.ref("name")].value
    # a positioning's tightened target is the one shown, marked with *
    for unit_id in ("meihekou", "changbaishan"):
        lay = plan(scheme(), roster()[unit_id], YEAR)
        eff = effective_scheme(scheme(), roster()[unit_id].positioning)
        sheet = templates[unit_id][INPUT]
        for e in eff.indicators:
            year, _ = e.milestone(YEAR)
            text = sheet[item(lay, e.id).ref("target")].value
            assert text.endswith(f"({year})")
            assert ("*" in text) == (year in e.tightened)


def test_cover(templates):
    ws = templates["yanbian"][COVER]
    assert ws[cover_ref("unit")].value == "延边朝鲜族自治州 / Yanbian Korean Autonomous Prefecture"
    assert ws[cover_ref("year")].value == str(YEAR)
    assert ws[cover_ref("deadline")].value == "2026-03-31"
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "填报说明" in texts and "How to fill in" in texts
    assert "μg/m³：微克/立方米" in texts and "%: per cent" in texts


def test_layout_and_print_setup(templates):
    ws = templates["siping"][INPUT]
    assert ws.freeze_panes == "C5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.print_area == f"'{INPUT}'!$A$1:$I${ws.max_row}"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    last = input_rows(ws)[-1][1]
    assert ws.row_dimensions[last].height and ws.row_dimensions[last].height > 15


def test_year_outside_the_scheme_is_refused():
    with pytest.raises(BeautycityError) as info:
        build_template(scheme(), roster()["changchun"], 2050)
    assert info.value.problems[0].code == "scheme.year-outside"


def test_a_changed_scheme_gives_a_changed_template(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_SCHEME, encoding="utf-8")
    mini = load_scheme(path)
    unit: Unit = roster()["meihekou"]  # showcase, a positioning the mini scheme also has
    wb = build_template(mini, unit, 2025)
    assert [c for c, _ in input_rows(wb[INPUT])] == ["A1", "B1", "B2"]
    assert "≤ 22* (2027)" in [c.value for c in wb[INPUT]["E"]]


def test_the_same_template_twice_gives_the_same_bytes(tmp_path, elsewhere):
    """Once here and once in another interpreter, with another string-hash seed."""
    from beautycity.workbook.build import write_template

    from .fixtures_workbook import roster, scheme

    unit = roster()["meihekou"]
    a = write_template(tmp_path / "a.xlsx", scheme(), unit, 2025, deadline="2026-03-31")
    b = tmp_path / "b.xlsx"
    elsewhere(
        "from pathlib import Path\n"
        "from beautycity.workbook.build import write_template\n"
        "from tests.fixtures_workbook import roster, scheme\n"
        f"write_template(Path({str(b)!r}), scheme(), roster()['meihekou'], 2025,"
        " deadline='2026-03-31')\n"
    )
    assert a.read_bytes() == b.read_bytes()
