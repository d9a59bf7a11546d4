"""What every method module shares: directions, float arrays and located refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..problems import BeautycityError
from .registry import Direction

Array = NDArray[np.float64]


def floats(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


def direction_of(direction: Direction | str, method: str, allow_range: bool = False) -> Direction:
    try:
        d = Direction(direction)
    except ValueError:
        allowed = ", ".join(m.value for m in Direction)
        raise BeautycityError.single("method.direction", value=direction, allowed=allowed) from None
    if d is Direction.RANGE and not allow_range:
        raise BeautycityError.single("method.range-unsupported", method=method)
    return d


def sign(d: Direction) -> float:
    return 1.0 if d is Direction.HIGHER else -1.0


def nan_range(y: Array, axis: int) -> tuple[Array, Array]:
    # `initial` makes an all-missing (or empty) slice give (inf, -inf) instead of raising.
    present = ~np.isnan(y)
    lo = np.min(y, axis=axis, keepdims=True, initial=np.inf, where=present)
    hi = np.max(y, axis=axis, keepdims=True, initial=-np.inf, where=present)
    return lo, hi


def keep_missing(x: Array, score: Array) -> Array:
    return np.where(np.isnan(x), np.nan, score)


def check(bad: ArrayLike, code: str, **params: Any) -> None:
    """Raise `code` for the first element where `bad` holds.

    Array-valued params are read at that element so the message names the offending numbers.
    """
    bad = np.asarray(bad)
    if not bad.any():
        return
    at = np.unravel_index(np.argmax(bad), bad.shape)
    shown = {
        k: float(np.broadcast_to(v, bad.shape)[at]) if isinstance(v, np.ndarray) else v
        for k, v in params.items()
    }
    raise BeautycityError.single(code, **shown)
