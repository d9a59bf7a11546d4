"""The working folder: `init` writes it, every command run in it takes its defaults from
`beautycity.toml`, and its README's commands run as written, year after year."""

from __future__ import annotations

import json
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.problems import BeautycityError
from beautycity.resources import default_cities_dir, default_scheme_path
from beautycity.sample_data import load_sample
from beautycity.scheme.load import load_scheme
from beautycity.workbook.fill import fill_workbook
from beautycity.workbook.layout import plan
from beautycity.workspace import find_workspace, load_workspace

SAMPLE_YEAR = 2023  # the sample's first year; it holds the next one too


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path) -> Path:
    work = tmp_path / "work"
    result = invoke("init", str(work), "--year", str(SAMPLE_YEAR))
    assert result.exit_code == 0, result.output
    return work


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_init_writes_the_year_and_defaults_to_this_one(tmp_path, folder):
    assert load_workspace(folder).config.year == SAMPLE_YEAR
    assert invoke("init", str(tmp_path / "now")).exit_code == 0
    assert load_workspace(tmp_path / "now").config.year == date.today().year
    assert invoke("init", str(tmp_path / "x"), "--year", "1999").exit_code == 2


def test_the_folder_is_found_from_below_it(folder, monkeypatch):
    monkeypatch.chdir(folder / "submissions")
    found = find_workspace()
    assert found is not None and found.root == folder.resolve()
    assert found.path("scheme") == (folder / "scheme" / "jilin-2027.yaml").resolve()


def test_commands_in_the_folder_use_its_scheme_and_units(folder, monkeypatch):
    edit(folder / "scheme" / "jilin-2027.yaml", 'version: "1.1.0"', 'version: "7.0.0"')
    edit(folder / "cities" / "songyuan.yaml", "positioning: clean_energy", "positioning: hub")
    monkeypatch.chdir(folder / "results")
    assert "v7.0.0" in invoke("scheme", "check").output
    by_unit = invoke("scheme", "show", "--unit", "songyuan", "--format", "json")
    hub = invoke("scheme", "show", "--positioning", "hub", "--format", "json")
    assert by_unit.exit_code == 0, by_unit.output
    assert by_unit.output == hub.output
    rows = json.loads(invoke("cities", "--format", "json").output)
    assert {r["id"]: r["positioning"] for r in rows}["songyuan"] == "hub"
    # an option given on the command line wins
    bundled = invoke("scheme", "check", str(default_scheme_path()))
    assert "v1.1.0" in bundled.output
    bundled_units = ("--cities", str(default_cities_dir()))
    explicit = invoke("scheme", "show", "--unit", "songyuan", *bundled_units, "--format", "json")
    energy = invoke("scheme", "show", "--positioning", "clean_energy", "--format", "json")
    assert explicit.output == energy.output


def test_workspace_option_names_the_folder_from_elsewhere(folder, tmp_path, monkeypatch):
    edit(folder / "scheme" / "jilin-2027.yaml", 'version: "1.1.0"', 'version: "7.0.0"')
    monkeypatch.chdir(tmp_path)
    assert "v1.1.0" in invoke("scheme", "check").output
    assert "v7.0.0" in invoke("--workspace", str(folder), "scheme", "check").output
    missing = invoke("--workspace", str(tmp_path), "scheme", "check")
    assert missing.exit_code == 1 and "workspace.bad-config" in missing.output


def test_the_folders_language_is_the_default(folder, monkeypatch):
    edit(folder / "beautycity.toml", 'lang = "bilingual"', 'lang = "en"')
    monkeypatch.chdir(folder)
    english = invoke("scheme", "check").output
    assert "46 indicators" in english and "指标" not in english
    assert "46 项指标" in invoke("scheme", "check", "--lang", "zh").output
    wrong = invoke("scheme", "show", "--bogus")
    assert wrong.exit_code == 2
    assert "wrong usage" in wrong.output and "命令用法有误" not in wrong.output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("year = 2023", 'year = "next"'),
        ("year = 2023", "year = 1900"),
        ('lang = "bilingual"', 'lang = "fr"'),
        ('lang = "bilingual"', 'language = "en"'),
        ('lang = "bilingual"', "lang = "),
    ],
)
def test_a_bad_config_is_one_located_problem(folder, monkeypatch, old, new):
    edit(folder / "beautycity.toml", old, new)
    with pytest.raises(BeautycityError) as info:
        load_workspace(folder)
    (problem,) = info.value.problems
    assert problem.code == "workspace.bad-config"
    assert problem.location.file == str((folder / "beautycity.toml").resolve())
    monkeypatch.chdir(folder)
    result = invoke("cities")
    assert result.exit_code == 1 and "workspace.bad-config" in result.stdout
    assert "Traceback" not in result.output


def test_the_deadline_reaches_the_templates(folder, monkeypatch):
    edit(folder / "beautycity.toml", "# deadline = 2024-03-31", "deadline = 2024-03-31")
    monkeypatch.chdir(folder)
    result = invoke("template", "--city", "songyuan", "-o", "templates")
    assert result.exit_code == 0, result.output
    (written,) = (folder / "templates").glob("*.xlsx")
    assert written.name == f"songyuan-{SAMPLE_YEAR}.xlsx"
    cells = [c.value for ws in load_workbook(written) for row in ws.iter_rows() for c in row]
    assert any("2024-03-31" in str(v) for v in cells)


# ------------------------------------------------------------------ the README, year by year


def readme_commands(folder: Path) -> list[list[list[str]]]:
    """The commands of each fenced block of the folder's README, split as a shell would."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "--scheme" not in readme and "--cities" not in readme
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, re.S | re.M)
    commands = [[shlex.split(line) for line in b.splitlines() if line.strip()] for b in blocks]
    assert all(c[0] == "beautycity" for block in commands for c in block)
    return commands


def fill_templates(folder: Path, year: int) -> None:
    """Fill the year's templates from the sample, as the cities would, into submissions/."""
    sample = load_sample()
    scheme = load_scheme(folder / "scheme" / "jilin-2027.yaml")
    roster = load_roster(folder / "cities", scheme)
    inbox = folder / "submissions" / str(year)
    inbox.mkdir(parents=True, exist_ok=True)
    templates = sorted((folder / "templates" / str(year)).glob("*.xlsx"))
    assert len(templates) == len(roster)
    for template in templates:
        unit = roster[template.name.rsplit("-", 1)[0]]
        entry = sample.units[unit.id].years[year]
        fill_workbook(
            template,
            inbox / template.name,
            plan(scheme, unit, year),
            {**{k: f.value for k, f in entry.values.items()}, **entry.adjustments},
            sources={k: "统计年鉴 / statistical yearbook" for k in entry.values},
            notes=entry.notes,
            contact={
                **sample.units[unit.id].contact.model_dump(),
                "filled_on": f"{year + 1}-02-15",
            },
        )


def run_year(folder: Path, commands: list[list[str]], year: int, *, report: bool) -> None:
    for argv in commands:
        if argv[1] == "report" and not report:
            continue  # PDF rendering takes long: one year of it is enough
        result = CliRunner().invoke(main, argv[1:])
        assert result.exit_code == 0, (argv, result.output)
        if argv[1] == "template":
            fill_templates(folder, year)


@pytest.mark.slow
def test_the_readme_runs_as_written_for_two_years(folder, monkeypatch):
    first, second = readme_commands(folder)
    year, next_year = SAMPLE_YEAR, SAMPLE_YEAR + 1
    assert not any("--previous" in c for c in first)
    assert ["--previous", f"results/{year}"] in [
        c[i : i + 2] for c in second for i in range(len(c))
    ]
    monkeypatch.chdir(folder)

    run_year(folder, first, year, report=False)
    assert (folder / "results" / str(year) / "assessment.json").is_file()
    # what the README says to do before the second year: the year, and an edited scheme
    # with its version bumped
    edit(folder / "beautycity.toml", f"year = {year}", f"year = {next_year}")
    scheme_file = folder / "scheme" / "jilin-2027.yaml"
    edit(scheme_file, "    targets:\n      2030: 20\n", "    targets:\n      2030: 22\n")
    edit(scheme_file, 'version: "1.1.0"', 'version: "1.2.0"')
    run_year(folder, second, next_year, report=True)

    doc = json.loads((folder / "results" / str(next_year) / "assessment.json").read_text("utf-8"))
    assert doc["year"] == next_year and doc["scheme"]["version"] == "1.2.0"
    assert doc["comparison"]["year"] == year
    assert len(list((folder / "reports" / str(next_year)).glob("*.pdf"))) >= len(doc["units"])
    # last year's workbooks are told apart from this year's scheme, not taken for tampered ones
    old = invoke("validate", f"submissions/{year}", "--year", str(year))
    assert old.exit_code == 1
    assert "structure.other-scheme" in old.stdout and "structure.checksum" not in old.stdout
    # and results are never written among the submissions
    inside = invoke("score", f"submissions/{next_year}", "-o", "submissions/out/results")
    assert inside.exit_code == 1 and "run.output-in-submissions" in inside.stdout
