"""Sensitivity: rank correlation, contribution to variance, Sobol indices, paired comparison."""

import builtins
import copy

import numpy as np
import pytest

import lca
from lca.errors import UncertaintyError
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import Uncertainty
from lca.uncertainty import compare, rank_sensitivity, sobol_indices
from lca.uncertainty.propagation import monte_carlo

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"


def additive(width_a: float = 2.0, width_b: float = 1.0, scale: float = 1.0) -> Model:
    """GWP = scale * (a + b) kg with a ~ U(10 +- width_a/2) and b ~ U(10 +- width_b/2)."""
    model = Model("additive")
    for name, width in (("a", width_a), ("b", width_b)):
        spec = {"distribution": "uniform", "min": 10 - width / 2, "max": 10 + width / 2}
        model.add_parameter(Parameter(name, 10.0, "kg CO2 eq", Uncertainty.from_spec(spec, 10.0, name)))
    model.add_parameter(Parameter("scale", scale))
    model.add_activity(
        Activity("job", "job", "training", "run", [Exchange("GWP", "scale * (a + b)", "kg CO2 eq")])
    )
    model.functional_unit = FunctionalUnit("job", 1, "run")
    return model


def test_rank_correlation_and_contribution_to_variance_rank_the_inputs():
    # Var(a) = 2^2 / 12 = 0.333, Var(b) = 1 / 12 = 0.083: a drives 80% of the variance
    result = monte_carlo(additive(), 20_000, seed=1)
    table = rank_sensitivity(result, "GWP")
    assert list(table["input"]) == ["a", "b"]
    assert table["contribution"].sum() == pytest.approx(1.0)
    assert table["spearman"].iloc[0] > table["spearman"].iloc[1] > 0
    # for a sum of independent inputs, corr(a, a + b) = sd(a) / sd(a + b) = sqrt(0.333 / 0.417)
    # = sqrt(0.8) = 0.894 and corr(b, a + b) = sqrt(0.2) = 0.447 (Pearson; the rank version is close)
    assert table["spearman"].iloc[0] == pytest.approx(0.8**0.5, abs=0.05)
    assert table["spearman"].iloc[1] == pytest.approx(0.2**0.5, abs=0.05)
    # for a sum of uniforms the squared rank correlations are close to the variance shares
    assert table["contribution"].iloc[0] == pytest.approx(0.8, abs=0.05)
    assert result.sensitivity("GWP").equals(table)


def test_rank_sensitivity_of_the_bloom_example_puts_the_grid_factor_first():
    result = monte_carlo(lca.load(EXAMPLE), 5000, seed=2)
    table = result.sensitivity("GWP")
    assert table["input"].iloc[0] == "grid"
    assert table.loc[table["input"] == "lifetime", "spearman"].iloc[0] < 0  # longer life, less embodied


def test_sobol_indices_of_an_additive_model_are_its_variance_shares():
    pytest.importorskip("SALib")
    # additive: S1 = ST = variance share: a 0.8, b 0.2
    full = sobol_indices(additive(), n=1024, seed=3)
    assert full.loc[full["indicator"] == "PE", "S1"].isna().all()  # PE does not vary
    table = full[full["indicator"] == "GWP"].set_index("input")
    assert table.loc["a", "S1"] == pytest.approx(0.8, abs=0.05)
    assert table.loc["b", "S1"] == pytest.approx(0.2, abs=0.05)
    assert table.loc["a", "ST"] == pytest.approx(0.8, abs=0.05)
    assert set(table.columns) >= {"phase", "indicator", "S1", "S1_conf", "ST", "ST_conf"}


def test_sobol_without_salib_is_a_clear_error(monkeypatch):
    real_import = builtins.__import__

    def fail_salib(name, *args, **kwargs):
        if name.startswith("SALib"):
            raise ImportError("no SALib")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fail_salib)
    with pytest.raises(UncertaintyError, match="pip install lca\\[sensitivity\\]"):
        sobol_indices(additive(), n=64)


def test_an_inventory_compared_with_itself_gives_one_half():
    model = lca.load(EXAMPLE)
    comparison = compare(model, copy.deepcopy(model), 2000, seed=4)
    assert comparison.probability_lower("GWP") == pytest.approx(0.5, abs=0.03)
    assert set(comparison.shared) == set(comparison.a.input_names)
    # paired: the same parameters, so the same totals every iteration
    assert np.array_equal(comparison.a.samples("GWP"), comparison.b.samples("GWP"))


def test_independent_draws_of_the_same_inventory_also_give_one_half():
    a, b = additive(), additive()
    b.parameters["a"].name = "a_b"
    b.parameters = {("a_b" if k == "a" else k): v for k, v in b.parameters.items()}
    b.activities["job"].exchanges[0].amount = "scale * (a_b + b)"
    comparison = compare(a, b, 20_000, seed=5)
    assert comparison.shared == ("b",)
    # a and a_b independent and identically distributed: P(A < B) = 0.5 within 4 standard errors
    assert comparison.probability_lower("GWP") == pytest.approx(0.5, abs=4 * 0.5 / np.sqrt(20_000))


def test_paired_draws_decide_a_comparison_that_independent_ones_would_blur():
    # B = 1.05 x A on the same parameters: with paired draws A is lower in every iteration
    comparison = compare(additive(), additive(scale=1.05), 1000, seed=6)
    table = comparison.table()
    assert table.loc[0, "p_a_lower"] == 1.0
    assert table.loc[0, "mean_b"] == pytest.approx(1.05 * table.loc[0, "mean_a"], rel=1e-12)


def test_shared_background_exchanges_are_paired():
    # BLOOM's grid and hardware entries carry their own (dataset) distributions on ADP, PE
    # and WATER: the same inventory compared with itself must draw them together, so every
    # iteration of A equals B on every indicator (a tie counts half: probability 0.5 exactly).
    model = lca.bloom()
    comparison = compare(model, copy.deepcopy(model), 500, seed=7)
    for indicator in ("GWP", "ADP", "PE", "WATER"):
        assert np.array_equal(comparison.a.samples(indicator), comparison.b.samples(indicator))
        assert comparison.probability_lower(indicator) == 0.5
    assert any("exchange" in name for name in comparison.shared)
