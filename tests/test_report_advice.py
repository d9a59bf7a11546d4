"""Recommendations for the unit's positioning: the most specific advice the scheme holds."""

from __future__ import annotations

from beautycity.report.actions import unit_actions
from beautycity.report.render import scheme_for
from beautycity.scheme.model import Text


def _off_track(u, indicator: str):
    """The unit with `indicator` off track, whatever the fixture's numbers say."""
    results = tuple(
        r.model_copy(update={"status": "off_track", "action": ("off_track",)})
        if r.id == indicator
        else r
        for r in u.indicators
    )
    return u.model_copy(update={"indicators": results})


def _advice(doc, scheme, unit_id: str, indicator: str):
    u = _off_track(next(u for u in doc.units if u.id == unit_id), indicator)
    code = scheme.indicator[indicator].code
    return next(a.advice for a in unit_actions(u, scheme) if a.code == code)


def test_songyuan_and_tonghua_get_advice_for_their_positioning(docs):
    doc = docs[0]
    scheme = scheme_for(doc)
    for indicator in ("rail_freight_share", "non_fossil_energy_share", "eco_quality_index"):
        songyuan = _advice(doc, scheme, "songyuan", indicator)
        tonghua = _advice(doc, scheme, "tonghua", indicator)
        assert songyuan and tonghua and songyuan != tonghua
        ind = scheme.indicator[indicator]
        assert songyuan.zh == ind.positioning_advice["clean_energy"].zh
        assert tonghua.zh == ind.positioning_advice["eco_economy"].zh
    # The western wind-solar base is the clean-energy cities' advice, not the forest cities'.
    assert "风光" in _advice(doc, scheme, "songyuan", "non_fossil_energy_share").zh
    for unit in ("tonghua", "meihekou", "liaoyuan"):
        assert "风光三峡" not in _advice(doc, scheme, unit, "non_fossil_energy_share").zh


def test_the_most_specific_advice_wins(docs):
    doc = docs[0]
    scheme = scheme_for(doc)
    ind = scheme.indicator["rail_freight_share"]
    own = Text(zh="松原自己的建议", en="Songyuan's own advice")
    changed = ind.model_copy(update={"unit_advice": {"songyuan": own}})
    assert changed.advice_for("clean_energy", "songyuan") == own
    assert changed.advice_for("clean_energy", "baicheng") == ind.positioning_advice["clean_energy"]
    assert changed.advice_for("showcase", "meihekou") == ind.advice  # no showcase text: default
