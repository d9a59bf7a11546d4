"""The method registry: everything that names a method derives from it, and nothing is missing."""

from __future__ import annotations

import typing

import numpy as np
import pytest
from click.testing import CliRunner

from beautycity.assessment.params import Params
from beautycity.cli import main
from beautycity.methods import efficacy, registry
from beautycity.problems import catalogue
from beautycity.scheme.model import Aggregation, RobustnessSpec, Scoring, Weighting
from beautycity.texts import texts

EVERY = [(m.kind, m.name) for kind in registry.KINDS for m in registry.methods(kind)]


def literal_values(annotation) -> set[str]:
    return set(typing.get_args(annotation))


def test_the_scheme_union_is_exactly_the_registered_normalisations() -> None:
    union = typing.get_args(Scoring)[0]
    models = set(typing.get_args(union))
    assert models == {m.params for m in registry.methods("normalisation")}
    names = {typing.get_args(m.model_fields["method"].annotation)[0] for m in models}
    assert names == set(registry.names("normalisation"))


def test_scheme_params_and_robustness_literals_come_from_the_registry() -> None:
    assert literal_values(Weighting) == set(registry.names("weighting"))
    assert literal_values(Aggregation) == set(registry.names("aggregation"))
    overrides = set(registry.names("normalisation", override=True))
    assert overrides == {"minmax", "efficacy", "zscore"}
    assert literal_values(Params.model_fields["normalisation"].annotation.__args__[0]) == overrides
    field = RobustnessSpec.model_fields["normalisations"].annotation
    assert literal_values(typing.get_args(field)[0]) == {"scheme", *overrides}
    field = RobustnessSpec.model_fields["aggregations"].annotation
    assert literal_values(typing.get_args(field)[0]) == set(
        registry.names("aggregation", batch=True)
    )


@pytest.mark.parametrize(("kind", "name"), EVERY)
def test_every_method_has_its_formula_text(kind: str, name: str) -> None:
    formula = texts("report")["formulas"][name]
    for key in ("name", "formula"):
        assert formula[key]["zh"].strip() and formula[key]["en"].strip()


@pytest.mark.parametrize(("kind", "name"), EVERY)
def test_every_code_a_method_raises_is_in_the_catalogue(kind: str, name: str) -> None:
    assert set(registry.method(kind, name).codes) <= set(catalogue())


def test_the_command_line_offers_exactly_the_registered_methods() -> None:
    result = CliRunner().invoke(main, ["score", "--help"], terminal_width=200)
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    for option, kind, flags in (
        ("--weighting", "weighting", {}),
        ("--aggregation", "aggregation", {}),
        ("--normalisation", "normalisation", {"override": True}),
    ):
        assert f"{option} [{'|'.join(registry.names(kind, **flags))}]" in flat


def test_a_new_method_reaches_the_command_line_by_registering_alone(monkeypatch) -> None:
    fake = registry.Method("aggregation", "harmonic", registry.NoParams, lambda *a: None, ())
    monkeypatch.setitem(registry._loaded()["aggregation"], "harmonic", fake)
    result = CliRunner().invoke(main, ["score", "--help"], terminal_width=200)
    assert "topsis|harmonic]" in result.output


def test_the_engine_calls_the_public_function() -> None:
    x = np.array([10.0, 20.0, np.nan, 40.0])
    method = registry.method("normalisation", "efficacy")
    p = method.params(method="efficacy", unacceptable=15.0)
    got = method.apply(p, x, x, x, registry.Direction.HIGHER)
    np.testing.assert_array_equal(got, efficacy(x, "higher", unacceptable=15.0))


def test_a_method_is_registered_once() -> None:
    with pytest.raises(RuntimeError, match="registered twice"):
        registry.register("aggregation", "arithmetic", registry.NoParams)(lambda *a: None)
