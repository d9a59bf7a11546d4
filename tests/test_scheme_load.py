"""Loading schemes: a valid one loads; each broken one reports the exact code, line and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from beautycity.problems import BeautycityError
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme

from .minischeme import MINI_SCHEME


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scheme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(BeautycityError) as info:
        load_scheme(write(tmp_path, text))
    return [(p.code, p.location.line, p.location.path) for p in info.value.problems]


def test_mini_scheme_loads(tmp_path):
    scheme = load_scheme(write(tmp_path, MINI_SCHEME))
    assert [i.id for i in scheme.indicators] == ["pm25", "water_good", "incident"]
    eff = effective_scheme(scheme, "showcase")
    assert eff.indicator["pm25"].targets == {2027: 22, 2035: 25}
    assert eff.indicator["pm25"].tightened == {2027}
    # air 60 %, water 40 % split between water_good (100) and incident (10)
    assert eff.indicator["pm25"].weight == pytest.approx(0.6)
    assert eff.indicator["water_good"].weight == pytest.approx(0.4 * 100 / 110)
    assert sum(e.weight for e in eff.indicators) == pytest.approx(1.0)
    hub = effective_scheme(scheme, "hub")
    assert "incident" not in hub.indicator
    assert hub.indicator["water_good"].weight == pytest.approx(0.4)


# (description, text replacement (old, new, count), expected problems as (code, line, path))
BROKEN = [
    (
        "dimension weights do not sum to 100",
        ("    weight: 40\n", "    weight: 30\n", 1),
        [("scheme.weights-sum", 8, "dimensions")],
    ),
    (
        "a string where a number belongs",
        ("    weight: 60\n", "    weight: sixty\n", 1),
        [("data.invalid-value", 13, "dimensions[0].weight")],
    ),
    (
        "duplicate indicator code",
        ("    code: B1\n", "    code: A1\n", 1),
        [
            ("data.duplicate-code", 31, "indicators[0].code"),
            ("data.duplicate-code", 48, "indicators[1].code"),
        ],
    ),
    (
        "duplicate indicator id",
        ("  - id: water_good\n", "  - id: pm25\n", 1),
        [
            ("data.duplicate-id", 30, "indicators[0].id"),
            ("data.duplicate-id", 47, "indicators[1].id"),
        ],
    ),
    (
        "unknown positioning on a characteristic indicator",
        ("    positionings: [showcase]\n", "    positionings: [capital]\n", 1),
        [("scheme.unknown-positioning", 78, "indicators[2].positionings[0]")],
    ),
    (
        "advice for an unknown positioning",
        (
            "    department: {zh: 生态环境局, en: Ecology bureau}\n  - id: water_good\n",
            "    department: {zh: 生态环境局, en: Ecology bureau}\n"
            "    positioning_advice:\n      capital: {zh: 建议, en: Advice}\n  - id: water_good\n",
            1,
        ),
        [("scheme.unknown-positioning", 48, "indicators[0].positioning_advice.capital")],
    ),
    (
        "unknown dimension",
        (
            "    dimension: water\n    direction: higher\n",
            "    dimension: soil\n    direction: higher\n",
            1,
        ),
        [
            ("scheme.unknown-dimension", 54, "indicators[1].dimension"),
            # with water_good gone from it, the hub has nothing left in "water"
            ("scheme.empty-dimension", 20, "positionings[0]"),
        ],
    ),
    (
        "target year outside the scheme's years",
        ("      2035: 25\n", "      2040: 25\n", 1),
        [("scheme.year-outside", 42, "indicators[0].targets.2040")],
    ),
    (
        "target outside the allowed input range",
        ("    targets:\n      2027: 85\n", "    targets:\n      2027: 185\n", 1),
        [("scheme.target-out-of-range", 58, "indicators[1].targets.2027")],
    ),
    (
        "a positioning that loosens a target",
        ("        2027: 22\n", "        2027: 30\n", 1),
        [("scheme.target-not-stricter", 28, "positionings[1].targets.pm25.2027")],
    ),
    (
        "a positioning with an empty dimension",
        (
            "    dimension: water\n    direction: higher\n",
            "    dimension: air\n    direction: higher\n",
            1,
        ),
        [
            ("scheme.weights-sum", 9, "dimensions[0]"),
            ("scheme.empty-dimension", 20, "positionings[0]"),
        ],
    ),
    (
        "a missing required key",
        (
            "    department: {zh: 生态环境局, en: Ecology bureau}\n  - id: water_good",
            "  - id: water_good",
            1,
        ),
        [("data.missing-field", 30, "indicators[0].department")],
    ),
    (
        "an unrecognised key",
        ("target_year: 2027\n", "target_year: 2027\ntarget_yaer: 2027\n", 1),
        [("data.unknown-field", 7, "target_yaer")],
    ),
    (
        "an unknown scoring method",
        ("scoring: {method: yesno}", "scoring: {method: coinflip}", 1),
        [("data.invalid-value", 74, "indicators[2].scoring")],
    ),
    (
        "a scoring method missing its parameter",  # drops pm25's ", floor: 50"
        (
            ", floor: 50}\n    weight: 100\n    input: {type: number",
            "}\n    weight: 100\n    input: {type: number",
            1,
        ),
        [("data.missing-field", 43, "indicators[0].scoring.floor")],
    ),
    (
        "a veto capping at an unknown grade",
        ("      cap_grade: good\n", "      cap_grade: superb\n", 1),
        [("scheme.unknown-grade", 83, "indicators[2].veto.cap_grade")],
    ),
    (
        "grades out of order",
        ("min: 90}", "min: 70}", 1),
        [("scheme.grade-order", 85, "grades")],
    ),
    (
        "a target year given as text",
        ("      2027: 27\n", "      '2027a': 27\n", 1),
        [("data.invalid-value", 41, "indicators[0].targets.2027a")],
    ),
    (
        "a YAML syntax error",
        (
            "    kind: binding\n    targets:\n      2027: 27",
            "    kind: binding\n    targets: [\n      2027: 27",
            1,
        ),
        [("data.yaml-syntax", 42, None)],
    ),
]


@pytest.mark.parametrize(
    ("replace", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_scheme(tmp_path, replace, expected):
    old, new, count = replace
    assert MINI_SCHEME.count(old) == count, "the test's replacement must match exactly"
    assert problems_of(tmp_path, MINI_SCHEME.replace(old, new)) == expected


def test_every_problem_is_reported_at_once(tmp_path):
    text = MINI_SCHEME.replace("    weight: 60\n", "    weight: sixty\n").replace(
        "    kind: expected\n", "    kind: optional\n"
    )
    codes = problems_of(tmp_path, text)
    assert [c[2] for c in codes] == ["dimensions[0].weight", "indicators[1].kind"]


def test_problem_messages_are_bilingual_with_a_fix(tmp_path):
    with pytest.raises(BeautycityError) as info:
        load_scheme(write(tmp_path, MINI_SCHEME.replace("    weight: 40\n", "    weight: 30\n")))
    (problem,) = info.value.problems
    # One language each, with the weights the sum is made of
    assert problem.zh == "各维度的权重合计为 90（A 60 + B 30），与声明的 100 不符"
    assert (
        problem.en
        == "the weights of the dimensions add up to 90 (A 60 + B 30), not the declared 100"
    )
    assert problem.fix_en == "adjust the weights so they add up to 100"
    assert problem.location.file == str(tmp_path / "scheme.yaml")


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(BeautycityError) as info:
        load_scheme(tmp_path / "nope.yaml")
    assert info.value.problems[0].code == "data.unreadable"


def test_non_utf8_file(tmp_path):
    path = tmp_path / "scheme.yaml"
    path.write_bytes(MINI_SCHEME.encode("utf-16"))
    with pytest.raises(BeautycityError) as info:
        load_scheme(path)
    assert info.value.problems[0].code == "data.not-utf8"
