"""`beautycity demo` end to end, and `beautycity init`."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from beautycity.assessment.document import read_doc
from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.report.render import scheme_for
from beautycity.resources import county_cities_dir, default_cities_dir
from beautycity.sample_data import load_sample
from beautycity.submission.read import read_submissions

UNITS = sorted(p.stem for p in default_cities_dir().glob("*.yaml"))
COUNTIES = sorted(p.stem for p in county_cities_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(main, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _written(out, units):
    for year in (2023, 2024):
        for uid in units:
            assert (out / "templates" / str(year) / f"{uid}-{year}.xlsx").is_file()
            assert (out / "workbooks" / str(year) / f"{uid}-{year}.xlsx").is_file()
        for name in ("assessment.json", "assessment.xlsx", "manifest.json"):
            assert (out / "results" / str(year) / name).is_file()
    reports = out / "reports"
    assert sorted(p.name for p in reports.glob("*.pdf")) == sorted(
        [f"{uid}-2024.pdf" for uid in units] + ["overview-2024.pdf"]
    )
    assert (reports / "actions-2024.xlsx").is_file()


@pytest.mark.slow  # the whole demo, both levels, once for the module: about 30 s
def test_every_expected_file_is_written(demo):
    out, _ = demo
    _written(out, UNITS)


@pytest.mark.slow
def test_the_county_level_is_written_beside_the_prefecture_level(demo):
    out, _ = demo
    _written(out / "county", COUNTIES)
    doc = read_doc(out / "county" / "results" / "2024" / "assessment.json")
    assert doc.scheme.id == "jilin_county_2027"
    assert sorted(u.id for u in doc.units) == COUNTIES
    assert doc.robustness is not None and all(u.previous for u in doc.units)
    sample = load_sample(level="county")
    for unit in doc.units:
        values = {r.id: r.value for r in unit.indicators}
        assert values == {k: f.value for k, f in sample.units[unit.id].years[2024].values.items()}
    text = pdf_text(out / "county" / "reports" / "overview-2024.pdf")
    assert "美丽县城" in text and "illustrative" in text


@pytest.mark.slow
def test_the_summary_names_what_was_written(demo):
    _, output = demo
    assert "reports" in output and "workbooks" in output
    assert "illustrative" in output
    assert "prefecture level" in output and "county level" in output


@pytest.mark.slow
def test_the_sample_goes_through_unchanged(demo):
    out, _ = demo
    sample = load_sample()
    doc = read_doc(out / "results" / "2024" / "assessment.json")
    changchun = next(u for u in doc.units if u.id == "changchun")
    good_air = next(i for i in changchun.indicators if i.id == "good_air_days_ratio")
    # Changchun 2024: 89.6 % good-air days, a published figure (docs/sample-data.md)
    assert good_air.value == sample.figure("changchun", 2024, "good_air_days_ratio").value == 89.6
    assert good_air.source.cell.file == "changchun-2024.xlsx"
    assert doc.robustness is not None  # the later year is scored with a robustness analysis
    assert changchun.previous is not None and changchun.previous.year == 2023


@pytest.mark.slow
def test_each_city_total_in_the_results_is_the_total_in_its_pdf(demo):
    out, _ = demo
    doc = read_doc(out / "results" / "2024" / "assessment.json")
    for unit in doc.units:
        text = pdf_text(out / "reports" / f"{unit.id}-2024.pdf")
        assert f"{unit.total:.1f}" in text, unit.id
        assert unit.name.zh in text and unit.name.en in text
        assert "illustrative" in text  # the cover says the sample is largely illustrative


def test_init_scaffolds_a_working_folder(tmp_path):
    folder = tmp_path / "work"
    result = CliRunner().invoke(main, ["init", str(folder), "--year", "2031"])
    assert result.exit_code == 0, result.output
    assert (folder / "scheme" / "jilin-2027.yaml").is_file()
    assert len(list((folder / "cities").glob("*.yaml"))) == 11
    assert (folder / "submissions").is_dir()
    config = (folder / "beautycity.toml").read_text(encoding="utf-8")
    assert 'scheme = "scheme/jilin-2027.yaml"' in config and "\nyear = 2031\n" in config
    readme = (folder / "README.md").read_text(encoding="utf-8")
    # the README's steps name this year and the next (tests/test_workspace.py runs them)
    assert "beautycity validate submissions/2031" in readme
    assert "--previous results/2031" in readme and "year = 2032" in readme
    assert "{" not in readme and "version:" in readme
    check = CliRunner().invoke(
        main,
        [
            "scheme",
            "check",
            str(folder / "scheme" / "jilin-2027.yaml"),
            "--cities",
            str(folder / "cities"),
        ],
    )
    assert check.exit_code == 0, check.output
    again = CliRunner().invoke(main, ["init", str(folder)])
    assert again.exit_code == 1 and "init.not-empty" in again.output


@pytest.mark.slow
def test_the_demo_results_keep_their_promises(demo):
    """What a leader reads rests on these: grade odds on the scheme's scale, no failure
    before a target year, follow-up of last year's list only, sensitivity within bounds."""
    out, _ = demo
    doc = read_doc(out / "results" / "2024" / "assessment.json")
    before = read_doc(out / "results" / "2023" / "assessment.json")
    scheme = scheme_for(doc)
    cuts = [g.min for g in scheme.grades if g.min > 0]
    odds = {r.id: r.grade_probability for r in doc.robustness.units}
    for u in doc.units:
        if u.total >= 75:
            assert odds[u.id]["fail"] <= 0.01, u.id
        if all(abs(u.total - c) > 2 for c in cuts):
            assert max(odds[u.id], key=odds[u.id].get) == u.grade, u.id
    for d in (doc, before):
        for u in d.units:
            for r in u.indicators:
                if r.milestone_year and r.milestone_year > d.year:
                    assert r.status != "not_met", (d.year, u.id, r.id)
    listed = {(u.id, r.id) for u in before.units for r in u.indicators if r.action}
    carried = {(u.id, r.id) for u in doc.units for r in u.indicators if r.previous_action}
    assert carried == listed
    assert sum(s.first_order for s in doc.robustness.sensitivity) <= 1


@pytest.mark.slow
def test_every_next_grade_path_rescored_reaches_the_grade(demo):
    out, _ = demo
    doc = read_doc(out / "results" / "2024" / "assessment.json")
    scheme = scheme_for(doc)
    roster = load_roster(scheme=scheme)
    subs = read_submissions(sorted((out / "workbooks" / "2024").glob("*.xlsx")), scheme, roster)
    assert subs.valid
    values = {s.city: {k: r.value for k, r in s.values.items()} for s in subs.submissions}
    counts = {s.city: {k: r.value for k, r in s.adjustments.items()} for s in subs.submissions}
    units = [roster[s.city] for s in subs.submissions]
    order = [g.id for g in scheme.grades]
    below = [u for u in doc.units if u.grade != order[0]]
    assert below and all(u.next_grade is not None for u in below)
    for u in below:
        path = u.next_grade
        assert path.reachable and order.index(path.grade) == order.index(u.grade) - 1
        changed = {uid: dict(row) for uid, row in values.items()}
        changed[u.id].update({s.indicator: s.to for s in path.steps})
        a = assess(scheme, Inputs.build(scheme, doc.year, units, changed, counts))
        assert order.index(a.grade[u.id]) <= order.index(path.grade), u.id
        assert a.total[u.id] == pytest.approx(u.total + sum(s.points for s in path.steps), abs=0.02)
