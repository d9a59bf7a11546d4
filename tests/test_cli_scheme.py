"""`beautycity scheme`, `cities`, `--version`, and what every command shares (usage errors,
problems on stdout, progress) through click's CliRunner."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from beautycity import __version__
from beautycity.cities import load_roster, roster_rows
from beautycity.cli import COMMANDS, main
from beautycity.cli.output import progress
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
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in main.list_commands(ctx):
        assert main.get_command(ctx, name).help, name
        assert invoke(name, "--help").exit_code == 0, name


def test_a_command_loads_only_its_own_module():
    # Lazy commands: what `validate` starts with is its module, not every command's.
    script = (
        "import sys; from beautycity.cli import main; "
        "main(['validate', '--help'], standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m.startswith('beautycity.cli.')))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    loaded = run.stdout.strip().splitlines()[-1]
    assert "beautycity.cli.workbook_cmds" in loaded
    assert "report_cmds" not in loaded and "score_cmds" not in loaded


def test_scheme_check_passes_on_the_bundled_scheme():
    result = invoke("scheme", "check")
    assert result.exit_code == 0, result.output
    assert "46 indicators" in result.output
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


def test_scheme_show_json_equals_the_library_with_weights_rounded():
    scheme = load_scheme()
    result = invoke("scheme", "show", "--positioning", "clean_energy", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    rows = scheme_rows(effective_scheme(scheme, "clean_energy"))
    assert [{**r, "weight": 0, "dimension_weight": 0} for r in shown] == [
        {**r, "weight": 0, "dimension_weight": 0} for r in rows
    ]
    for ours, exact in zip(shown, rows, strict=True):
        assert ours["weight"] == pytest.approx(exact["weight"], abs=1e-4)
        assert ours["dimension_weight"] == pytest.approx(exact["dimension_weight"], abs=1e-4)
    # effective weights are products of shares: 3.6, not 3.5999999999999996
    assert not re.search(r"\d\.\d{5,}", result.output)


def test_clean_energy_and_showcase_differ_visibly():
    energy = invoke("scheme", "show", "--positioning", "clean_energy").output
    showcase = invoke("scheme", "show", "--positioning", "showcase").output

    def ids(positioning: str) -> set[str]:
        shown = invoke("scheme", "show", "--positioning", positioning, "--format", "json")
        return {row["id"] for row in json.loads(shown.output)}

    # the clean-energy base is scored on its installed new-energy capacity; a showcase is not
    assert "new_energy_capacity_share" in ids("clean_energy") - ids("showcase")
    # a showcase's PM2.5 target for 2027 is tightened from 27 to 22 and marked
    assert "22*" in showcase
    assert "22*" not in energy


def test_scheme_show_by_unit_uses_its_positioning():
    by_pos = invoke("scheme", "show", "--positioning", "clean_energy", "--format", "json")
    for unit in ("songyuan", "松原市", "松原", "Songyuan", " songyuan "):
        by_unit = invoke("scheme", "show", "--unit", unit, "--format", "json")
        assert by_unit.output == by_pos.output, unit


def test_scheme_show_usage_errors_exit_2():
    assert invoke("scheme", "show", "--positioning", "capital").exit_code == 2
    assert invoke("scheme", "show", "--positioning", "hub", "--unit", "jilin").exit_code == 2


def test_unknown_unit_is_a_problem_listing_the_ids():
    result = invoke("scheme", "show", "--unit", "harbin")
    assert result.exit_code == 1
    assert "cities.unknown-unit" in result.stdout
    assert "--unit" in result.stdout and "changchun, jilin" in result.stdout


@pytest.mark.parametrize(
    ("command", "detail"),
    [
        ("scheme show {lang} --bogus", "No such option"),
        ("scheme show {lang} --unit", "requires an argument"),  # an option without its value
        ("scheme show {lang} --format xml", "Invalid value for '--format'"),
        ("cities {lang} extra", "unexpected extra argument"),
        ("--bogus cities {lang}", "No such option"),  # an option of the main group
        ("nonsense {lang}", "No such command"),
    ],
)
def test_usage_errors_are_told_in_the_chosen_language(command, detail):
    for lang, said, unsaid in (
        ("zh", "命令用法有误", "wrong usage"),
        ("en", "wrong usage", "用法"),
    ):
        result = invoke(*command.format(lang=f"--lang {lang}").split())
        assert result.exit_code == 2, result.output
        assert said in result.output and unsaid not in result.output, result.output
        assert detail in result.output  # click's own words, in English
    both = invoke(*command.format(lang="").split())
    assert both.exit_code == 2
    assert "命令用法有误 / wrong usage" in both.output and "--help" in both.output


def test_a_group_without_a_command_shows_its_help():
    result = invoke("scheme")
    assert result.exit_code == 2
    assert "Commands:" in result.output and "wrong usage" not in result.output


def test_problems_and_their_count_go_to_stdout(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_SCHEME.replace("    weight: 40\n", "    weight: 30\n"), encoding="utf-8")
    result = invoke("scheme", "check", str(bad))
    assert result.exit_code == 1
    assert "scheme.weights-sum" in result.stdout and "1 problem(s) found" in result.stdout
    assert result.stderr == ""


def test_progress_off_a_terminal_is_a_plain_line_every_tenth(capsys):
    with progress({"a": "Stage A", "b": "Stage B"}) as tell:
        for done in range(4):
            tell("a", done, 3, note=f"file {done}")
        for done in range(21):
            tell("b", done, 20)
        tell("b", 20, 20)  # told twice: shown once
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "Stage A: 1/3",
        "Stage A: 2/3",
        "Stage A: 3/3",
        *(f"Stage B: {n}/20" for n in range(2, 21, 2)),
    ]
    assert captured.out == ""


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
