"""Unit profiles: the bundled roster, and broken profiles reported with file and line."""

from __future__ import annotations

import shutil

import pytest

from beautycity.cities import load_roster
from beautycity.problems import BeautycityError, Location
from beautycity.resources import default_cities_dir
from beautycity.scheme.load import load_scheme


def test_bundled_roster_matches_the_domain_brief():
    roster = load_roster(scheme=load_scheme())
    # DOMAIN.md, "The assessed units and their positioning" (GB/T 2260 codes)
    expected = {
        "changchun": ("220100", "hub"),
        "jilin": ("220200", "industrial"),
        "siping": ("220300", "industrial"),
        "liaoyuan": ("220400", "industrial"),
        "tonghua": ("220500", "eco_economy"),
        "baishan": ("220600", "eco_economy"),
        "songyuan": ("220700", "clean_energy"),
        "baicheng": ("220800", "clean_energy"),
        "yanbian": ("222400", "eco_economy"),
        "changbaishan": (None, "showcase"),
        "meihekou": ("220581", "showcase"),
    }
    assert {u.id: (u.code, u.positioning) for u in roster} == expected
    assert roster["yanbian"].name.zh == "延边朝鲜族自治州"
    assert roster["changbaishan"].point is not None  # no polygon: the map marks a point
    # the seed's sentence for Songyuan and Baicheng (三(四) 建设美丽城市)
    assert "国家级清洁能源基地" in roster["songyuan"].statement.zh


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "cities"
    shutil.copytree(default_cities_dir(), target)
    return target


def test_unknown_positioning_and_duplicate_id_are_all_reported(folder):
    text = (folder / "siping.yaml").read_text(encoding="utf-8")
    (folder / "siping.yaml").write_text(
        text.replace("positioning: industrial", "positioning: capital")
    )
    (folder / "copy.yaml").write_text((folder / "jilin.yaml").read_text(encoding="utf-8"))
    with pytest.raises(BeautycityError) as info:
        load_roster(folder, load_scheme())
    found = sorted(
        (p.code, p.location.file.rsplit("/", 1)[-1], p.location.line) for p in info.value.problems
    )
    assert found == [
        ("cities.unknown-positioning", "siping.yaml", 11),
        ("data.duplicate-id", "copy.yaml", 2),
        ("data.duplicate-id", "jilin.yaml", 2),
    ]


def test_wrong_code_format(folder):
    text = (folder / "jilin.yaml").read_text(encoding="utf-8")
    (folder / "jilin.yaml").write_text(text.replace('code: "220200"', 'code: "2202"'))
    with pytest.raises(BeautycityError) as info:
        load_roster(folder)
    (p,) = info.value.problems
    assert (p.code, p.location.path, p.location.line) == ("data.invalid-value", "code", 9)


def test_empty_folder(tmp_path):
    with pytest.raises(BeautycityError) as info:
        load_roster(tmp_path)
    assert info.value.problems[0].code == "data.no-files"


def test_a_unit_is_found_by_id_or_any_of_its_names():
    roster = load_roster()
    for text in ("songyuan", "松原市", "松原", "Songyuan", "SONGYUAN", " 松原 "):
        assert roster.find(text).id == "songyuan", text
    assert roster.find("延边朝鲜族自治州").id == "yanbian"


def test_an_unknown_unit_is_a_located_problem_listing_the_ids():
    with pytest.raises(BeautycityError) as info:
        load_roster().find("哈尔滨", Location(path="--city"))
    (p,) = info.value.problems
    assert (p.code, p.location.path) == ("cities.unknown-unit", "--city")
    assert "哈尔滨" in p.en and "baicheng, baishan, changbaishan" in p.fix_en


def test_a_name_two_units_share_asks_for_the_id(folder):
    text = (folder / "siping.yaml").read_text(encoding="utf-8")
    (folder / "siping.yaml").write_text(text.replace("zh: 四平\n", "zh: 吉林\n"), encoding="utf-8")
    roster = load_roster(folder)
    with pytest.raises(BeautycityError) as info:
        roster.find("吉林")
    (p,) = info.value.problems
    assert p.code == "cities.ambiguous-unit" and "jilin, siping" in p.fix_en
    assert roster.find("jilin").id == "jilin"  # the id still names one unit


def test_an_unquoted_code_is_told_to_be_quoted(folder):
    text = (folder / "jilin.yaml").read_text(encoding="utf-8")
    (folder / "jilin.yaml").write_text(text.replace('code: "220200"', "code: 220200"))
    with pytest.raises(BeautycityError) as info:
        load_roster(folder)
    (p,) = info.value.problems  # and not pydantic's "Input should be a valid string" too
    assert (p.code, p.location.path, p.location.line) == ("cities.code-not-quoted", "code", 9)
    assert p.location.file.endswith("jilin.yaml")
    assert 'code: "220184"' in p.fix_en and "220200" in p.en


def test_an_unknown_parent_is_reported(folder):
    text = (folder / "meihekou.yaml").read_text(encoding="utf-8")
    (folder / "meihekou.yaml").write_text(text.replace("parent: tonghua", "parent: tonghwa"))
    with pytest.raises(BeautycityError) as info:
        load_roster(folder)
    (p,) = info.value.problems
    assert (p.code, p.location.path, p.location.line) == ("cities.unknown-parent", "parent", 11)
    assert "tonghwa" in p.en and "tonghua" in p.fix_en
