"""How reports print numbers and texts; the fixed texts are in `texts/report.yaml`."""

from __future__ import annotations

from typing import Any

from ..scheme.effective import effective_scheme
from ..scheme.model import Indicator, InputType, Scheme, Text
from ..texts import texts as load_texts
from .charts.svg import Label
from .context import Bi, Quantity

MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash in tables


def texts() -> dict[str, Any]:
    """The fixed texts of the reports, keyed by section, each a {zh, en} pair."""
    return load_texts("report")


def tx(key: str, **params: Any) -> Bi:
    """The fixed text at dotted `key`, its {placeholders} filled in both languages."""
    node: Any = texts()
    for part in key.split("."):
        node = node[part]
    return fill(node, **params)


def fill(node: dict[str, str], **params: Any) -> Bi:
    """A {zh, en} text with its {placeholders} filled; a `Bi` parameter fills each language
    with its own text. A text counting {n} things may give the English singular as `en_one`,
    used when n is 1 (Chinese needs none)."""
    zh = {k: v.zh if isinstance(v, Bi) else v for k, v in params.items()}
    en = {k: v.en if isinstance(v, Bi) else v for k, v in params.items()}
    english = node["en_one"] if "en_one" in node and str(params.get("n")) == "1" else node["en"]
    return Bi(zh=node["zh"].format(**zh), en=english.format(**en))


def bi(text: Text | Bi) -> Bi:
    return Bi(zh=text.zh, en=text.en)


def grade_name(scheme: Scheme, grade_id: str | None) -> Bi:
    """The grade's name; a unit ranked by a relative method is not graded (None)."""
    if grade_id is None:
        return tx("summary.ungraded")
    return bi(next(g.name for g in scheme.grades if g.id == grade_id))


def grade_class(scheme: Scheme, grade_id: str | None) -> str:
    """`grade-0` for the best grade, `grade-1` for the next…: the badge colours go by place."""
    if grade_id is None:
        return "grade-none"
    ids = [g.id for g in scheme.grades]
    return f"grade-{ids.index(grade_id)}"


def stricter(scheme: Scheme, positioning: str, region: Bi) -> Bi | None:
    """The note for a positioning that tightens targets (a showcase is held to more)."""
    eff = effective_scheme(scheme, positioning)
    named = [
        _stricter_target(e.indicator, year, e.targets[year], region)
        for e in eff.indicators
        for year in sorted(e.tightened)
    ]
    if not named:
        return None
    targets = Bi(zh="；".join(t.zh for t in named), en="; ".join(t.en for t in named))
    return tx("summary.stricter", name=bi(eff.positioning.name), n=len(named), targets=targets)


def _stricter_target(ind: Indicator, year: int, target: Any, region: Bi) -> Bi:
    """ "B1 22.0 μg/m³ (2027; Jilin province 27.0 μg/m³)": a tightened target beside the
    region's."""
    province = ind.targets.get(year)

    def shown(t: Any, lang: str) -> str:
        if isinstance(t, tuple):
            return f"{num(t[0], ind.input.decimals)}–{num(t[1], ind.input.decimals)}"
        return quantity(ind, t).text(lang)

    return tx(
        "summary.stricter_target",
        code=ind.code,
        region=region,
        target=Bi(zh=shown(target, "zh"), en=shown(target, "en")),
        year=year,
        province=Bi(zh=shown(province, "zh"), en=shown(province, "en"))
        if province is not None
        else tx("words.none"),
    )


def num(x: float | None, decimals: int = 1) -> str:
    """Fixed decimals, "—" for nothing, never "-0.0", a real minus sign."""
    if x is None:
        return "—"
    text = f"{x:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def signed(x: float | None, decimals: int = 1) -> str:
    """A change or gap with its sign: +1.2, −0.8, 0.0."""
    text = num(x, decimals)
    return text if x is None or text.startswith(MINUS) or float(text) == 0 else f"+{text}"


def score(x: float | None) -> str:
    """Scores and totals as every report prints them: one decimal."""
    return num(x, 1)


def value(ind: Indicator, x: float | None) -> Bi:
    """A reported value in the indicator's own decimals; yes/no as words."""
    if x is not None and ind.input.type is InputType.YESNO:
        return tx("words.yes" if x >= 0.5 else "words.no")
    return Bi.same(num(x, ind.input.decimals))


def measure(ind: Indicator) -> Bi:
    if ind.input.type is InputType.YESNO:
        return Bi.same("")
    unit = ind.unit
    return Bi(zh=unit.symbol or unit.zh, en=unit.symbol or unit.en)


def quantity(ind: Indicator, x: float | None) -> Quantity:
    """A value with its unit; `Quantity.text` or the `q` macro print it."""
    unit = measure(ind)
    return Quantity(number=value(ind, x), unit=unit, glue="" if unit.zh == "%" else " ")


def chart_label(text: Bi, lang: str) -> Label:
    """A chart label: Chinese over English when bilingual, else the one language."""
    if lang == "zh":
        return text.zh
    if lang == "en":
        return text.en
    return text.zh if text.zh == text.en else (text.zh, text.en)


def axis_label(text: Bi, lang: str) -> tuple[str, str]:
    """A (Chinese, English) pair for charts that take both; one language leaves the other empty."""
    if lang in ("zh", "en"):
        return (text.line(lang), "")
    return (text.zh, text.en)
