"""`beautycity scheme`, `cities` and `--version` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from beautycity import __version__
from beautycity.cities import load_roster, roster_rows
from beautycity.cli import main
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.scheme.views import scheme_rows

from .minischeme import MINI_SCHEME


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help():
    for name, command in main.commands.items():
        assert command.help, name
        assert invoke(name, "--help").exit_code == 0, name


def test_scheme_check_passes_on_the_bundled_scheme():
    result = invoke("scheme", "check")
    assert result.exit_code == 0, result.output
    assert "40 indicators" in result.output
    assert "11 units" in result.output


def test_scheme_check_lists_problems_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_SCHEME.replace("    weight: 40\n", "    weight: 30\n"), encoding="utf-8")
    result = invoke("scheme", "check", str(bad), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert [(p["code"], p["location"]["line"]) for p in problems] == [("scheme.weights-sum", 8)]
    text = invoke("scheme", "check", str(bad))
    assert text.exit_code == 1
    assert "scheme.weights-sum" in text.output
    assert "与声明的 100 不符" in text.output
    assert "Traceback" not in text.output


def test_scheme_show_json_equals_the_library():
    scheme = load_scheme()
    result = invoke("scheme", "show", "--positioning", "clean_energy", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == scheme_rows(effective_scheme(scheme, "clean_energy"))


def test_clean_energy_and_showcase_differ_visibly():
    energy = invoke("scheme", "show", "--positioning", "clean_energy").output
    showcase = invoke("scheme", "show", "--positioning", "showcase").output
    # the clean-energy base is scored on its installed new-energy capacity; a showcase is not
    assert "新能源发电装机占电力总装机比重" in energy
    assert "新能源发电装机占电力总装机比重" not in showcase
    # a showcase's PM2.5 target for 2027 is tightened from 27 to 22 and marked
    assert "22*" in showcase
    assert "22*" not in energy


def test_scheme_show_by_unit_uses_its_positioning():
    by_unit = invoke("scheme", "show", "--unit", "songyuan", "--format", "json")
    by_pos = invoke("scheme", "show", "--positioning", "clean_energy", "--format", "json")
    assert by_unit.output == by_pos.output


def test_scheme_show_usage_errors_exit_2():
    assert invoke("scheme", "show", "--positioning", "capital").exit_code == 2
    assert invoke("scheme", "show", "--positioning", "hub", "--unit", "jilin").exit_code == 2


def test_unknown_unit_is_a_problem():
    result = invoke("scheme", "show", "--unit", "harbin")
    assert result.exit_code == 1
    assert "cities.unknown-unit" in result.output


def test_cities_json_equals_the_library():
    scheme = load_scheme()
    result = invoke("cities", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows == roster_rows(load_roster(scheme=scheme), scheme)
    assert len(rows) == 11
    assert {r["positioning"] for r in rows} == {
        "hub",
        "industrial",
        "clean_energy",
        "eco_economy",
        "showcase",
    }
