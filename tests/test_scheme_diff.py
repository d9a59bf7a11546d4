"""`scheme diff`: every change between two schemes and nothing else; unbumped versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from beautycity.cli import main
from beautycity.resources import default_scheme_path
from beautycity.scheme.diff import (
    diff_lines,
    diff_schemes,
    same_meaning,
    version_unchanged_but_edited,
)
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Scheme

from .builders import ADJUSTMENTS
from .minischeme import MINI_SCHEME

# The 1.0.0 release, kept unchanged, so that these edits stay what they say.
RELEASED = default_scheme_path().parent / "history" / "jilin-2027-1.0.0.yaml"
SHIPPED = RELEASED.read_text(encoding="utf-8")
COLLECTIONS = {"dimensions", "positionings", "indicators", "adjustments", "grades"}


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def block(text: str, start: str, end: str) -> str:
    """The text from the line `start` up to (not including) the line `end`."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def edited_shipped() -> str:
    """The shipped scheme with six edits: each must show in the diff, and nothing else."""
    text = edit(SHIPPED, 'version: "1.0.0"', 'version: "1.1.0"')
    # a target: A1's 2030 target 20 → 22
    text = edit(
        text,
        "    targets:\n      2030: 20\n    scoring:\n      method: distance_to_target\n"
        "      floor: 5\n",
        "    targets:\n      2030: 22\n    scoring:\n      method: distance_to_target\n"
        "      floor: 5\n",
    )
    # a weight: A10 (characteristic, on top of its dimension's 100) 25 → 30
    text = edit(text, "      floor: 20\n    weight: 25\n", "      floor: 20\n    weight: 30\n")
    # a positioning's target: showcase PM2.5 2027 22 → 21
    text = edit(
        text,
        "      pm25_annual_mean:\n        2027: 22\n",
        "      pm25_annual_mean:\n        2027: 21\n",
    )
    # remove A9, a characteristic indicator nothing else refers to
    text = edit(text, block(text, "  - code: A9\n", "  # The clean-energy bases"), "")
    # add A11: a copy of A10 for the hub
    b_line = "  # ------------------------------------------------------------- B 环境优美"
    added = block(text, "  - code: A10\n", b_line)
    added = edit(added, "code: A10", "code: A11")
    added = edit(added, "id: new_energy_capacity_share", "id: public_charging_share")
    added = edit(added, "      - clean_energy\n", "      - hub\n")
    return edit(text, b_line, added + b_line)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    new = folder / "edited.yaml"
    new.write_text(edited_shipped(), encoding="utf-8")
    return RELEASED, new


def mini(tmp_path: Path, text: str, name: str = "mini.yaml") -> Scheme:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scheme(path)


def changes(item) -> list[tuple[str, str, object, object]]:
    return [(c.path, c.kind, c.old, c.new) for c in item.changes]


def test_every_edit_of_the_shipped_scheme_and_nothing_else(files):
    found = diff_schemes(load_scheme(files[0]), load_scheme(files[1]))
    assert [(c.path, c.old, c.new) for c in found.section("scheme").fields] == [
        ("version", "1.0.0", "1.1.0")
    ]
    indicators = found.section("indicators")
    assert [(r.id, r.code) for r in indicators.added] == [("public_charging_share", "A11")]
    assert [(r.id, r.code) for r in indicators.removed] == [("park_circular_retrofit", "A9")]
    assert {c.id: changes(c) for c in indicators.changed} == {
        "non_fossil_energy_share": [("targets.2030", "changed", 20, 22)],
        "new_energy_capacity_share": [("weight", "changed", 25, 30)],
    }
    assert not indicators.reordered
    positionings = found.section("positionings")
    assert {c.id: changes(c) for c in positionings.changed} == {
        "showcase": [("targets.pm25_annual_mean.2027", "changed", 22, 21)]
    }
    assert not (positionings.added or positionings.removed)
    untouched = [
        s.section
        for s in found.sections
        if s.section not in {"scheme", "indicators", "positionings"}
    ]
    assert all(found.section(s).empty for s in untouched), untouched
    assert found.count == 6
    assert not version_unchanged_but_edited(load_scheme(files[0]), load_scheme(files[1]))


def test_a_scheme_against_itself_is_unchanged():
    scheme = load_scheme()
    found = diff_schemes(scheme, scheme)
    assert not found.changed and found.count == 0
    assert not version_unchanged_but_edited(scheme, scheme)
    assert len(diff_lines(found)) == 2  # the title, and "the same content"


def test_every_top_level_field_is_in_a_section():
    found = diff_schemes(load_scheme(), load_scheme())
    sections = [s.section for s in found.sections]
    assert sections[0] == "scheme"
    assert set(sections) >= COLLECTIONS
    assert {"years", "weights", "method", "robustness", "ties"} <= set(sections)
    assert len(sections) == len(set(sections))


def test_fields_deep_in_the_models_are_found(tmp_path):
    old = mini(tmp_path, MINI_SCHEME + ADJUSTMENTS, "old.yaml")
    text = MINI_SCHEME + ADJUSTMENTS
    text = edit(text, "    weight: 60\n", "    weight: 55\n")  # a dimension
    text = edit(text, "    weight: 40\n", "    weight: 45\n")
    # another scoring method: the method changes, its parameter goes
    text = edit(
        text,
        "      2027: 85\n    scoring: {method: distance_to_target, floor: 50}",
        "      2027: 85\n    scoring: {method: minmax}",
    )
    text = edit(
        text,
        "{id: good, name: {zh: 良好, en: Good}, min: 80}",
        "{id: good, name: {zh: 良好, en: Good}, min: 75}",
    )
    text = edit(
        text, "    points: 1\n    cap: 3\n    unit:", "    points: 2\n    cap: 3\n    unit:"
    )
    text = edit(
        text,
        "weights: {dimensions: 100, indicators: 100}\n",
        "weights: {dimensions: 100, indicators: 100}\n"
        "method: {aggregation: geometric}\nties: {points: 1.0}\n",
    )
    text = edit(
        text,
        "    department: {zh: 生态环境局, en: Ecology bureau}\n    positionings: [showcase]\n",
        "    department: {zh: 生态环境局, en: Ecology bureau}\n    positionings: [showcase, hub]\n",
    )
    new = mini(tmp_path, text, "new.yaml")
    found = diff_schemes(old, new)
    assert {c.id: changes(c) for c in found.section("dimensions").changed} == {
        "air": [("weight", "changed", 60, 55)],
        "water": [("weight", "changed", 40, 45)],
    }
    assert {c.id: changes(c) for c in found.section("indicators").changed} == {
        "water_good": [
            ("scoring.method", "changed", "distance_to_target", "minmax"),
            ("scoring.floor", "removed", 50, None),
        ],
        "incident": [("positionings", "changed", ["showcase"], ["showcase", "hub"])],
    }
    assert {c.id: changes(c) for c in found.section("grades").changed} == {
        "good": [("min", "changed", 80, 75)]
    }
    assert {c.id: changes(c) for c in found.section("adjustments").changed} == {
        "honours": [("points", "changed", 1, 2)]
    }
    assert [(c.path, c.old, c.new) for c in found.section("method").fields] == [
        ("aggregation", "arithmetic", "geometric")
    ]
    assert [(c.path, c.old, c.new) for c in found.section("ties").fields] == [("points", 0.5, 1.0)]
    # the version was not bumped: that is what `scheme check` warns about
    assert version_unchanged_but_edited(old, new)
    assert found.as_json()["unbumped"] is True


def test_a_veto_and_a_positioning_override_added(tmp_path):
    old = mini(tmp_path, MINI_SCHEME, "old.yaml")
    text = edit(
        MINI_SCHEME,
        "    description: {zh: 核心城市, en: Hub city}\n",
        "    description: {zh: 核心城市, en: Hub city}\n    indicator_weights: {pm25: 30}\n",
    )
    text = edit(
        text,
        "    input: {type: percent, min: 0, max: 100}\n",
        "    input: {type: percent, min: 0, max: 100}\n"
        "    veto: {op: '<', value: 50, effect: fail, reason: {zh: 太差, en: Too bad}}\n",
    )
    found = diff_schemes(old, mini(tmp_path, text, "new.yaml"))
    hub = found.section("positionings").changed[0]
    assert (hub.id, changes(hub)) == ("hub", [("indicator_weights.pm25", "added", None, 30)])
    water = found.section("indicators").changed[0]
    veto = {"op": "<", "value": 50, "effect": "fail", "cap_grade": None}
    veto["reason"] = {"zh": "太差", "en": "Too bad"}
    assert (water.id, changes(water)) == ("water_good", [("veto", "added", None, veto)])


def test_comments_are_not_content(tmp_path):
    base = mini(tmp_path, MINI_SCHEME, "a.yaml")
    commented = mini(tmp_path, "# a comment\n" + MINI_SCHEME, "b.yaml")
    assert not diff_schemes(base, commented).changed


def test_same_meaning_is_definition_unit_direction_and_input_type(tmp_path):
    base = mini(tmp_path, MINI_SCHEME, "a.yaml")
    retargeted = mini(
        tmp_path, MINI_SCHEME.replace("      2035: 25\n", "      2035: 24\n"), "b.yaml"
    )
    redefined = mini(
        tmp_path,
        MINI_SCHEME.replace("{zh: 年均浓度, en: Annual mean}", "{zh: 日均浓度, en: Daily mean}"),
        "c.yaml",
    )
    pm25 = base.indicator["pm25"]
    assert same_meaning(pm25, retargeted.indicator["pm25"])
    assert not same_meaning(pm25, redefined.indicator["pm25"])
    assert not same_meaning(pm25, base.indicator["water_good"])


def test_cli_json_is_the_library_and_exits_0(files):
    result = CliRunner().invoke(main, ["scheme", "diff", *map(str, files), "--format", "json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    expected = diff_schemes(load_scheme(files[0]), load_scheme(files[1])).as_json()
    assert parsed == json.loads(json.dumps(expected))
    assert list(parsed) == ["old", "new", "changed", "unbumped", "sections"]
    assert parsed["old"] == {"id": "jilin_2027", "version": "1.0.0"}
    assert next(iter(parsed["sections"])) == "scheme"
    for section in parsed["sections"].values():  # the same keys in every section
        assert list(section) == ["fields", "added", "removed", "changed", "reordered"]


def test_cli_text_is_bilingual_and_grouped(files):
    result = CliRunner().invoke(main, ["scheme", "diff", *map(str, files)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "指标体系差异" in out and "Scheme differences" in out
    assert "== 指标 Indicators ==" in out and "== 城市定位 Positionings ==" in out
    assert "+ A11 新能源发电装机占电力总装机比重" in out
    assert "- A9 省级以上园区循环化改造比例" in out
    assert "目标值 targets · 2030: 20 → 22" in out
    assert "目标值 targets · pm25_annual_mean.2027: 22 → 21" in out
    assert "== 维度 Dimensions ==" not in out  # sections without a change are left out
    english = CliRunner().invoke(main, ["scheme", "diff", *map(str, files), "--lang", "en"])
    assert "targets · 2030: 20 → 22" in english.output and "目标值" not in english.output


def test_cli_reports_a_broken_scheme_and_exits_1(tmp_path, files):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_SCHEME.replace("    weight: 40\n", "    weight: 30\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["scheme", "diff", str(files[0]), str(bad)])
    assert result.exit_code == 1
    assert "scheme.weights-sum" in result.output
