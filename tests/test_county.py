"""The shipped county-level scheme (美丽县城), its units in cities/county/ and its sample: checked,
complete, and scored end to end from templates filled in with the sample."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from click.testing import CliRunner

from beautycity.cities import Level, load_roster
from beautycity.cli import main
from beautycity.pipeline import score_submissions
from beautycity.resources import (
    county_cities_dir,
    county_scheme_path,
    default_cities_dir,
    default_scheme_path,
)
from beautycity.sample_data import load_sample
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.workbook.build import template_name, write_template
from beautycity.workbook.fill import fill_workbook
from beautycity.workbook.layout import plan

YEARS = (2023, 2024)
# The five types of county town of the national 意见 (2022), in its order.
TYPES = ("metro_periphery", "specialised", "agricultural", "eco_function", "shrinking")


@pytest.fixture(scope="module")
def scheme():
    return load_scheme(county_scheme_path())


@pytest.fixture(scope="module")
def roster(scheme):
    return load_roster(county_cities_dir(), scheme)


@pytest.fixture(scope="module")
def sample():
    return load_sample(level="county")


def test_the_scheme_checks_with_its_units():
    args = ["scheme", "check", str(county_scheme_path()), "--cities", str(county_cities_dir())]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "30" in result.output and "11" in result.output


def test_the_scheme_frames_county_towns_like_the_cities(scheme):
    cities = load_scheme(default_scheme_path())
    assert scheme.id != cities.id
    assert [d.id for d in scheme.dimensions] == [d.id for d in cities.dimensions]
    assert [p.id for p in scheme.positionings] == list(TYPES)
    assert 20 <= len(scheme.indicators) <= 30
    assert {i.dimension for i in scheme.indicators} == set(scheme.dimension)
    assert all(i.targets and set(i.targets) <= set(range(2023, 2036)) for i in scheme.indicators)
    assert all(i.provenance.ref.zh and i.provenance.ref.en for i in scheme.indicators)
    assert all(i.advice is not None for i in scheme.indicators)
    assert {i.veto.effect for i in scheme.indicators if i.veto} == {"cap", "fail"}
    # The positionings' wording is the 意见's; each type has characteristic indicators or
    # tightened targets of its own.
    for pos in scheme.positionings:
        own = [i for i in scheme.indicators if i.characteristic and pos.id in i.positionings]
        assert own or pos.targets, pos.id


def test_every_positioning_and_level_weighs_one(scheme):
    for pos in scheme.positionings:
        for level in (None, Level.COUNTY):
            eff = effective_scheme(scheme, pos.id, level)
            assert math.isclose(sum(e.weight for e in eff.indicators), 1.0), pos.id
            assert math.isclose(sum(d.weight for d in eff.dimensions), 1.0), pos.id
            assert 20 <= len(eff.indicators) <= 30, pos.id


def test_the_units_are_real_counties_of_every_type(roster):
    assert 8 <= len(roster) <= 12
    assert all(u.level is Level.COUNTY for u in roster)
    codes = [u.code for u in roster]
    assert all(c is not None and c.startswith("22") for c in codes)
    assert len(set(codes)) == len(codes)
    assert Counter(u.positioning for u in roster).keys() == set(TYPES)
    assert all(u.point is not None for u in roster)


def test_the_prefecture_roster_is_unchanged_by_the_subfolder(roster):
    prefectures = load_roster()
    assert len(prefectures) == 11
    assert county_cities_dir().parent == default_cities_dir()
    assert not {u.id for u in prefectures} & {u.id for u in roster}
    assert not {u.code for u in prefectures} & {u.code for u in roster}


def test_every_unit_reports_exactly_what_applies_to_it(scheme, roster, sample):
    assert set(sample.units) == {u.id for u in roster}
    assert sample.years == list(YEARS)
    counted = {a.id: a for a in scheme.adjustments if a.basis == "count"}
    for u in roster:
        applicable = {e.id for e in effective_scheme(scheme, u.positioning, u.level).indicators}
        for year in YEARS:
            entry = sample.units[u.id].years[year]
            assert set(entry.values) == applicable, (u.id, year)
            assert set(entry.adjustments) == set(counted), (u.id, year)
            for ind, fig in entry.values.items():
                spec = scheme.indicator[ind].input
                assert spec.contains(fig.value), (u.id, year, ind)
                assert round(fig.value, spec.decimals) == fig.value, (u.id, year, ind)
                assert fig.source is None  # every county value is illustrative
            assert set(entry.notes) <= set(entry.values)
    assert sample.sources == () and sample.province == {}


@pytest.fixture(scope="module")
def scored(tmp_path_factory, scheme, roster, sample):
    """Both sample years as an evaluator runs them: templates, filled, validated, scored."""
    out = tmp_path_factory.mktemp("county")
    outcomes = {}
    previous = None
    for year in YEARS:
        for u in roster:
            last = sample.submitted(u.id, year - 1) if year > YEARS[0] else None
            blank = out / "templates" / str(year) / template_name(u, year)
            path = write_template(blank, scheme, u, year, previous=last)
            contact = {**sample.units[u.id].contact.model_dump(), "filled_on": f"{year + 1}-02-15"}
            fill_workbook(
                path,
                out / "workbooks" / str(year) / path.name,
                plan(scheme, u, year),
                sample.submitted(u.id, year),
                notes=sample.units[u.id].years[year].notes,
                contact=contact,
            )
        outcomes[year] = score_submissions(
            [out / "workbooks" / str(year)],
            out / "results" / str(year),
            scheme_path=county_scheme_path(),
            cities_dir=county_cities_dir(),
            previous=previous,
            year=year,
        )
        previous = out / "results" / str(year)
    return outcomes


def test_template_fill_validate_score_on_the_sample(scored, sample, roster):
    for year, outcome in scored.items():
        assert outcome.validation.valid
        doc = outcome.doc
        assert doc.scheme.id == "jilin_county_2027" and doc.year == year
        assert {u.id for u in doc.units} == {u.id for u in roster} and not doc.missing
        assert not any(u.vetoes for u in doc.units)
        for u in doc.units:
            shown = {r.id: r.value for r in u.indicators}
            assert shown == {k: f.value for k, f in sample.units[u.id].years[year].values.items()}
        totals = [u.total for u in doc.units]
        assert len(set(totals)) == len(totals) and max(totals) - min(totals) > 10
        assert len({u.grade for u in doc.units}) >= 2
    later = scored[YEARS[1]].doc
    assert all(u.previous is not None and u.previous.year == YEARS[0] for u in later.units)
    groups = {g.positioning for g in later.groups}
    assert groups == set(TYPES)
