"""The one registry of scoring methods: every normalisation, weighting and aggregation.

A method is registered once, in its own module, with the function the engine calls, a
pydantic model of the parameters a scheme may give it, and the problem codes it can raise.
Everything else derives from here: the scheme's `scoring` union and method literals, the
engine's dispatch, the robustness analysis' alternatives, the command line's choices and the
formula texts of reports (`texts/report.yaml`, `formulas.<name>`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import import_module
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

KINDS = ("normalisation", "weighting", "aggregation")
# The modules that register the methods of each kind; a new method of a kind goes in its module.
_MODULES = {"normalisation": "normalise", "weighting": "weights", "aggregation": "aggregate"}


class Direction(StrEnum):
    HIGHER = "higher"  # 正向: higher is better
    LOWER = "lower"  # 负向: lower is better
    RANGE = "range"  # best inside a target range


class MethodParams(BaseModel):
    """Parameters a scheme gives a method; a normalisation's carry its `method` name."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


@dataclass(frozen=True)
class Method:
    kind: str
    name: str
    params: type[MethodParams]
    apply: Callable[..., Any]  # what the engine calls; its signature is fixed per kind
    codes: tuple[str, ...]  # problem codes it can raise, each in the catalogue
    # normalisation: a scale the run may swap for this one (data-driven, needs no parameter)
    override: bool = False
    # normalisation: scores a scale at all (yes/no does not and is never overridden)
    scale: bool = True
    # aggregation: vectorised over replications, so the robustness analysis may draw it
    batch: bool = False
    # aggregation: the result ranks units among themselves (TOPSIS closeness) rather than
    # scoring each on the 0–100 scale the grade bands are set on
    relative: bool = False


class NoParams(MethodParams):
    """A method the scheme gives no parameters."""


@dataclass(frozen=True)
class WeightInputs:
    """What a weighting method sees (arrays: units × indicators unless said otherwise).

    It returns new (within, dimension) arrays of the same shapes; it never changes these.
    """

    raw: Any  # reported values, NaN where not reported or not applicable
    within: Any  # the scheme's share of each indicator within its dimension
    dimension: Any  # the scheme's dimension shares, units × dimensions
    applicable: Any  # bool
    member: Any  # bool, indicators × dimensions
    common: Any  # bool per indicator: applies to every positioning (not characteristic)
    benefit: Any  # bool per indicator: not lower-is-better
    ahp_dimensions: Any  # the scheme's pairwise comparisons of the dimensions, or None


_REGISTRY: dict[str, dict[str, Method]] = {k: {} for k in KINDS}


def register(
    kind: str, name: str, params: type[MethodParams], codes: tuple[str, ...] = (), **flags: bool
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as method `name` of `kind`."""

    def decorate(apply: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REGISTRY[kind]:
            raise RuntimeError(f"{kind} method {name!r} is registered twice")
        _REGISTRY[kind][name] = Method(kind, name, params, apply, codes, **flags)
        return apply

    return decorate


@cache
def _loaded() -> dict[str, dict[str, Method]]:
    for module in _MODULES.values():
        import_module(f"{__package__}.{module}")
    return _REGISTRY


def methods(kind: str) -> tuple[Method, ...]:
    """The methods of `kind`, in registration order."""
    return tuple(_loaded()[kind].values())


def method(kind: str, name: str) -> Method:
    return _loaded()[kind][name]


def names(kind: str, **flags: bool) -> tuple[str, ...]:
    """The names of the methods of `kind` whose flags have the given values."""
    return tuple(m.name for m in methods(kind) if all(getattr(m, f) == v for f, v in flags.items()))


def literal(*values: str) -> Any:
    """A `Literal` type of `values`, for pydantic fields that take a method name."""
    return Literal[values]  # type: ignore[valid-type]


def scoring_union() -> Any:
    """The scheme's `scoring` field type: one parameter model per normalisation, by `method`."""
    models = tuple(m.params for m in methods("normalisation"))
    return Annotated[Union[models], Field(discriminator="method")]  # noqa: UP007
