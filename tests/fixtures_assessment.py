"""A plausible assessment of all 11 Jilin units for report tests, with last year's for trends.

Values are synthetic (near each indicator's target); every value has a source cell, some have
notes and normalisations, one unit fires a veto, one value is missing, and one unit's notes
hold markup that must stay inert text in a report.
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np

from beautycity.assessment.build import build_doc
from beautycity.assessment.document import AssessmentDoc, CellRef, ValueSource
from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import load_roster
from beautycity.resources import default_scheme_path
from beautycity.scheme.load import load_scheme

from .builders import jilin_values

HOSTILE_NOTE = '<img src="file:///etc/passwd">'
HOSTILE_SOURCE = '<a href="http://127.0.0.1:9/">公报 bulletin</a>'
HOSTILE_URLS = ("file:///etc/passwd", "http://127.0.0.1:9/")
NORMALISED = "“85%” 读作 85 / “85%” read as 85"
VETO_UNIT = "siping"
MISSING = ("yanbian", "rail_freight_share")


def _sources(scheme, roster, year: int) -> dict[str, dict[str, ValueSource]]:
    out = {}
    for u in roster:
        row = {}
        for k, ind in enumerate(scheme.indicators):
            note = ""
            normalised: tuple[str, ...] = ()
            data_source = f"{year}年{u.short.zh}生态环境状况公报"
            if u.id == "changchun" and ind.id == "pm25_annual_mean":
                note = HOSTILE_NOTE
            if u.id == "changchun" and ind.id == "good_air_days_ratio":
                data_source = HOSTILE_SOURCE
            if ind.input.type == "percent" and k % 7 == 0:
                normalised = (NORMALISED,)
            if k % 11 == 3:
                note = note or "环境监测站年报核定数 / figure confirmed by the monitoring station"
            row[ind.id] = ValueSource(
                cell=CellRef(file=f"{u.id}-{year}.xlsx", sheet="填报表", cell=f"E{6 + k}"),
                data_source=data_source,
                note=note,
                normalised=normalised,
            )
        out[u.id] = row
    return out


def _moved(scheme, values: dict, seed: int) -> dict:
    """Last year's values moved a random share of the way towards the target (some past it,
    closing last year's gap) or away from it."""
    rng = np.random.default_rng(seed)
    out = {}
    for uid, row in values.items():
        new = {}
        for ind in scheme.indicators:
            x = row[ind.id]
            if ind.input.type == "yesno":
                new[ind.id] = x
                continue
            target = next(iter(ind.targets.values()))
            step = (target - x) * rng.uniform(-0.3, 1.4)
            lo = ind.input.min if ind.input.min is not None else -np.inf
            hi = ind.input.max if ind.input.max is not None else np.inf
            new[ind.id] = round(float(np.clip(x + step, lo, hi)), ind.input.decimals)
        out[uid] = new
    return out


@cache  # frozen documents: every test module of a process shares one build
def fixture_docs() -> tuple[AssessmentDoc, AssessmentDoc]:
    """(2024 assessment with trends, 2023 assessment it compares against)."""
    scheme = load_scheme()
    roster = load_roster(scheme=scheme)
    sha = hashlib.sha256(default_scheme_path().read_bytes()).hexdigest()
    before = {
        uid: {k: round(v, 1) for k, v in row.items()}
        for uid, row in jilin_values(scheme, roster, seed=7).items()
    }
    now = _moved(scheme, before, seed=11)
    now[VETO_UNIT]["major_env_incident"] = 1.0
    now[MISSING[0]][MISSING[1]] = None
    counts = {"changchun": {"national_honours": 2}, "baicheng": {"inspection_typical_cases": 1}}
    units = list(roster)
    prev_doc = build_doc(
        assess(scheme, Inputs.build(scheme, 2023, units, before)),
        sha,
        _sources(scheme, roster, 2023),
    )
    doc = build_doc(
        assess(scheme, Inputs.build(scheme, 2024, units, now, counts)),
        sha,
        _sources(scheme, roster, 2024),
        previous=prev_doc,
    )
    return doc, prev_doc
