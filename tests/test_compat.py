"""Keys that moved: a file written the older way loads, with a located note per old key; both
spellings at once is a located error. The tables are the tests' own, in `texts/moved.yaml`'s
shape; the shipped schemes and units load with the shipped table and note nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beautycity.cities import load_roster, load_roster_with_notes
from beautycity.io.compat import moves
from beautycity.problems import BeautycityError, Problem, Severity
from beautycity.resources import default_cities_dir, default_scheme_path
from beautycity.scheme.load import load_scheme, load_scheme_with_notes

from .minischeme import MINI_SCHEME

INDICATORS = Path(default_scheme_path()).parent
SHIPPED = ["jilin-2027.yaml", "history/jilin-2027-1.0.0.yaml", "jilin-county-2027.yaml"]

WEIGHT = {"indicators[].weight_pct": {"to": "indicators[].weight", "since": "0.2.0"}}
FLOOR = {"indicators[].floor": {"to": "indicators[].scoring.floor", "since": "0.2.0"}}
ISSUER = {"issuer": {"to": "report.issuer", "since": "0.3.0"}}
TIER = {"tier": {"to": "level", "since": "0.2.0"}}


def write(folder: Path, text: str, name: str = "scheme.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line(text: str, wanted: str, nth: int = 0) -> int:
    """The 1-based line of the `nth` line of `text` that is `wanted`."""
    return [i for i, row in enumerate(text.splitlines(), 1) if row == wanted][nth]


def seen(problems: list[Problem] | tuple[Problem, ...]) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.location.line, p.location.path) for p in problems]


def refused(load, *args) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(BeautycityError) as info:
        load(*args)
    return seen(info.value.problems)


def test_an_old_scheme_key_loads_with_a_located_note(tmp_path):
    text = MINI_SCHEME.replace("    weight: 100\n", "    weight_pct: 100\n")
    path = write(tmp_path, text)
    scheme, notes = load_scheme_with_notes(path, WEIGHT)
    assert [i.weight for i in scheme.indicators] == [100, 100, 10]
    at = [line(text, "    weight_pct: 100", n) for n in (0, 1)]
    assert seen(notes) == [
        ("compat.moved-key", at[0], "indicators[0].weight_pct"),
        ("compat.moved-key", at[1], "indicators[1].weight_pct"),
    ]
    assert {(p.severity, p.location.file) for p in notes} == {(Severity.NOTE, str(path))}
    assert "'indicators[0].weight'" in notes[0].en and "0.2.0" in notes[0].en
    assert "indicators[0].weight" in notes[0].zh and "0.2.0" in notes[0].zh


def test_both_the_old_and_the_new_key_is_a_located_error_with_the_others(tmp_path):
    text = MINI_SCHEME.replace(
        "    weight: 100\n", "    weight: 100\n    weight_pct: 100\n", 1
    ).replace("    weight: 60\n", "    weight: sixty\n")
    found = refused(load_scheme_with_notes, write(tmp_path, text), WEIGHT)
    assert found == [
        ("compat.both-keys", line(text, "    weight_pct: 100"), "indicators[0].weight_pct"),
        ("data.invalid-value", line(text, "    weight: sixty"), "dimensions[0].weight"),
    ]


def test_a_key_moved_into_a_mapping_keeps_its_line_for_later_problems(tmp_path):
    old = "    scoring: {method: distance_to_target, floor: 50}\n"
    new = "    scoring: {method: distance_to_target}\n    floor: 50\n"
    text = MINI_SCHEME.replace(old, new)
    scheme, notes = load_scheme_with_notes(write(tmp_path, text), FLOOR)
    assert [i.scoring.floor for i in scheme.indicators[:2]] == [50, 50]
    assert [p.location.line for p in notes] == [line(text, "    floor: 50", n) for n in (0, 1)]
    broken = text.replace("    floor: 50\n", "    floor: fifty\n", 1)
    assert refused(load_scheme_with_notes, write(tmp_path, broken), FLOOR) == [
        ("compat.moved-key", line(broken, "    floor: fifty"), "indicators[0].floor"),
        ("compat.moved-key", line(broken, "    floor: 50"), "indicators[1].floor"),
        ("data.invalid-value", line(broken, "    floor: fifty"), "indicators[0].scoring.floor"),
    ]


def test_a_key_that_cannot_move_stays_noted_and_validation_says_why(tmp_path):
    old = "    scoring: {method: distance_to_target, floor: 50}\n"
    new = "    scoring: distance_to_target\n    floor: 50\n"
    text = MINI_SCHEME.replace(old, new, 1)
    found = refused(load_scheme_with_notes, write(tmp_path, text), FLOOR)
    assert found[0] == ("compat.moved-key", line(text, "    floor: 50"), "indicators[0].floor")
    assert ("data.unknown-field", line(text, "    floor: 50"), "indicators[0].floor") in found


def test_the_new_path_is_made_where_missing(tmp_path):
    text = MINI_SCHEME + "issuer: {zh: 生态环境厅, en: Ecology department}\n"
    scheme, notes = load_scheme_with_notes(write(tmp_path, text), ISSUER)
    assert scheme.report.issuer is not None and scheme.report.issuer.en == "Ecology department"
    assert seen(notes) == [("compat.moved-key", text.count("\n"), "issuer")]
    broken = MINI_SCHEME + "issuer: {zh: 生态环境厅}\n"
    assert refused(load_scheme_with_notes, write(tmp_path, broken), ISSUER) == [
        ("compat.moved-key", broken.count("\n"), "issuer"),
        ("data.missing-field", broken.count("\n"), "report.issuer.en"),
    ]


@pytest.fixture
def units(tmp_path) -> Path:
    target = tmp_path / "cities"
    shutil.copytree(default_cities_dir(), target)
    return target


def test_an_old_unit_key_loads_with_a_located_note(units):
    file = units / "changchun.yaml"
    text = file.read_text(encoding="utf-8").replace("level: prefecture\n", "tier: prefecture\n")
    write(units, text, file.name)
    roster, notes = load_roster_with_notes(units, load_scheme(), TIER)
    assert roster["changchun"].level.value == "prefecture"
    assert seen(notes) == [("compat.moved-key", line(text, "tier: prefecture"), "tier")]
    assert notes[0].location.file == str(file)


def test_a_unit_with_both_keys_is_a_located_error(units):
    file = units / "changchun.yaml"
    text = file.read_text(encoding="utf-8").replace(
        "level: prefecture\n", "level: prefecture\ntier: county\n"
    )
    write(units, text, file.name)
    assert refused(load_roster_with_notes, units, None, TIER) == [
        ("compat.both-keys", line(text, "tier: county"), "tier")
    ]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_schemes_load_with_no_notes(name):
    scheme, notes = load_scheme_with_notes(INDICATORS / name)
    assert notes == ()
    assert load_scheme(INDICATORS / name) is scheme  # one read per file and content


def test_the_shipped_units_load_with_no_notes():
    roster, notes = load_roster_with_notes(scheme=load_scheme())
    assert notes == []
    assert len(roster) == len(load_roster())


def test_the_shipped_table_is_well_formed():
    assert [moves(kind) for kind in ("scheme", "unit")] == [[], []]


@pytest.mark.parametrize(
    "table",
    [
        {"indicators[].weight_pct": {"to": "dimensions[].weight", "since": "0.2.0"}},  # other list
        {"indicators[].weight_pct": {"to": "weight", "since": "0.2.0"}},  # out of its item
        {"indicators[]": {"to": "measures[]", "since": "0.2.0"}},  # a list item, not a key
        {"report": {"to": "report.title", "since": "0.2.0"}},  # into itself
        {"a": {"to": "b", "since": "0.2.0"}, "b": {"to": "c", "since": "0.3.0"}},  # a chain
        {"indicators..weight": {"to": "weight", "since": "0.2.0"}},  # an empty key
        {"weight_pct": {"to": "weight"}},  # no version
    ],
)
def test_a_malformed_table_is_refused(table):
    with pytest.raises(ValueError):
        moves("scheme", table)
