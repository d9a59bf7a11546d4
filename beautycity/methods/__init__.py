"""Scoring methods as pure numpy functions: normalisation to 0–100, weights, aggregation.

Each function documents its formula, works on float64 arrays with optional leading batch
axes, and reports bad input as a `BeautycityError` with a `method.*` code. Each method the
scheme can name is registered once beside its function (`registry`).
"""

from .aggregate import MISSING_RULES, topsis, weighted_arithmetic, weighted_geometric
from .normalise import (
    bands,
    distance_to_target,
    efficacy,
    efficacy_coefficient,
    minmax,
    yesno,
    zscore,
)
from .weights import (
    CR_LIMIT,
    ENTROPY_VARIANTS,
    RANDOM_INDEX,
    RECIPROCAL_TOLERANCE,
    AhpResult,
    ahp,
    ahp_weights,
    entropy_weights,
    equal_weights,
)

__all__ = [
    "CR_LIMIT",
    "ENTROPY_VARIANTS",
    "MISSING_RULES",
    "RANDOM_INDEX",
    "RECIPROCAL_TOLERANCE",
    "AhpResult",
    "ahp",
    "ahp_weights",
    "bands",
    "distance_to_target",
    "efficacy",
    "efficacy_coefficient",
    "entropy_weights",
    "equal_weights",
    "minmax",
    "topsis",
    "weighted_arithmetic",
    "weighted_geometric",
    "yesno",
    "zscore",
]
