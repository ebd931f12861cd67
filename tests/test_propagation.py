"""Monte Carlo propagation: exact at zero variance, reproducible, correlated, attributed like solve."""

import copy
import math

import numpy as np
import pytest

import lca
from lca.errors import InputFileError, UncertaintyError
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import Uncertainty
from lca.uncertainty.propagation import Propagator, monte_carlo

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"
PHASE_ACTIVITIES = ("embodied", "dynamic", "idle")


def without_uncertainty(model: Model) -> Model:
    fixed = copy.deepcopy(model)
    for par in fixed.parameters.values():
        par.uncertainty = None
    for act in fixed.activities.values():
        for exc in act.exchanges:
            exc.uncertainty = None
    return fixed


def unc(spec: dict, amount: float) -> Uncertainty:
    return Uncertainty.from_spec(spec, amount, "test")


def test_bloom_parametric_at_zero_variance_gives_the_published_figures():
    # issue 8: total 50,718.928 kg; embodied 11,211.4, dynamic 24,692.2, idle 14,815.3.
    # embodied = 1,082,990 / (6 x 8,760 x 0.85) x (150 + 2,500 / 8) = 24.2408 x 462.5 = 11,211.453
    # dynamic  = 1,082,990 x 0.4 x 0.057 = 24,692.172; idle = 24,692.172 x 0.5 x 1.2 = 14,815.3032
    model = without_uncertainty(lca.load(EXAMPLE))
    result = monte_carlo(model, 50, seed=1, activities=PHASE_ACTIVITIES)
    embodied = 1_082_990 / (6 * 8760 * 0.85) * (150 + 2500 / 8)
    dynamic = 1_082_990 * 0.4 * 0.057
    idle = dynamic * 0.5 * 1.2
    expected = {"total": embodied + dynamic + idle, "embodied": embodied, "dynamic": dynamic, "idle": idle}
    published = {"total": (50_718.928, 0.001), "embodied": (11_211.4, 0.1), "dynamic": (24_692.2, 0.1)}
    published["idle"] = (14_815.3, 0.1)
    for row, value in expected.items():
        draws = result.samples("GWP", row)
        assert draws.min() == draws.max()
        assert draws[0] == pytest.approx(value, rel=1e-9)
        assert abs(draws[0] - published[row][0]) < published[row][1]
    assert result.mean("GWP").to("t CO2 eq").magnitude == pytest.approx(50.7189282, rel=1e-9)


def test_zero_variance_monte_carlo_equals_the_deterministic_result_exactly():
    model = without_uncertainty(lca.bloom())
    deterministic = lca.solve(model).phase_table(units_in_header=False)
    result = monte_carlo(model, 20, seed=3)
    summary = result.summary()
    for _, line in summary.iterrows():
        assert line["mean"] == deterministic.loc[line["phase"], line["indicator"]]
        assert line["p2.5"] == line["p97.5"] == line["deterministic"]


def test_each_iteration_equals_a_deterministic_solve_at_its_draws():
    # the shipped BLOOM case: background grid mixes attributed to the phases that pull them
    model = lca.bloom()
    for act in model.activities.values():  # parameters only: their draws are kept and substituted
        for exc in act.exchanges:
            exc.uncertainty = None
    tracked = ("training_dynamic", "electricity_jean_zay", "a100_manufacturing", "bloom_life_cycle")
    result = monte_carlo(model, 6, seed=5, activities=tracked)
    draws = result.input_draws()
    for k in range(len(draws)):
        fixed = without_uncertainty(model)
        for name in draws.columns:
            fixed.parameters[name].amount = float(draws.loc[k, name])
        solved = lca.solve(fixed)
        table = solved.phase_table(units_in_header=False)
        for indicator in table.columns:
            for row in table.index:
                assert result.samples(indicator, row)[k] == pytest.approx(
                    table.loc[row, indicator], rel=1e-10
                )
            for code in tracked:  # an activity's attributed contribution, as Result reports it
                expected = solved.activity_total(code, indicator).magnitude
                assert result.samples(indicator, code)[k] == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_same_seed_gives_identical_results_whatever_the_chunk_size():
    model = lca.load(EXAMPLE)
    matrices = lca.build_matrices(model)
    runs = [monte_carlo(matrices, 3000, seed=9, chunk_size=c) for c in (None, 1000, 333, 7000)]
    for other in runs[1:]:
        assert np.array_equal(other.values, runs[0].values)
    lhs = [monte_carlo(matrices, 3000, seed=9, chunk_size=c, sampling="lhs").values for c in (512, 3000)]
    assert np.array_equal(lhs[0], lhs[1])
    assert not np.array_equal(lhs[0], runs[0].values)


def test_percentiles_are_ordered_and_phases_add_up_to_the_total():
    result = monte_carlo(lca.load(EXAMPLE), 4000, seed=2, percentiles=(2.5, 25, 75, 97.5))
    summary = result.summary()
    for _, line in summary.iterrows():
        assert line["p2.5"] <= line["p25"] <= line["median"] <= line["p75"] <= line["p97.5"]
        assert line["p2.5"] <= line["mean"] <= line["p97.5"]
    phases = [i for i, kind in enumerate(result.row_kinds) if kind == "phase"]
    np.testing.assert_allclose(result.values[phases].sum(axis=0), result.values[-1], rtol=1e-12)


def test_monte_carlo_mean_of_dynamic_matches_its_analytic_mean():
    # dynamic = gpu_hours x tdp x grid with independent tdp ~ U(0.35, 0.45) kW and
    # grid ~ Tri(0.04, 0.057, 0.08) kg/kWh: E = 1,082,990 x 0.4 x (0.04 + 0.057 + 0.08) / 3
    # = 1,082,990 x 0.4 x 0.059 = 25,558.564 kg
    result = monte_carlo(lca.load(EXAMPLE), 20_000, seed=4, activities=PHASE_ACTIVITIES)
    line = result.summary().set_index("phase").loc["dynamic"]
    assert line["mean"] == pytest.approx(1_082_990 * 0.4 * 0.059, abs=4 * line["sem"])
    assert line["deterministic"] == pytest.approx(24_692.172, rel=1e-12)


def test_a_shared_parameter_stays_perfectly_correlated_across_exchanges():
    model = Model("shared")
    model.add_parameter(Parameter("kwh", 100.0, "kWh", unc({"distribution": "lognormal", "gsd": 1.5}, 100.0)))
    model.add_activity(Activity("grid", "grid", None, "kWh", [Exchange("GWP", 0.1, "kg CO2 eq")]))
    model.add_activity(Activity("train", "train", "training", "run", [Exchange("grid", "kwh", "kWh")]))
    model.add_activity(Activity("serve", "serve", "deployment", "run", [Exchange("grid", "2 * kwh", "kWh")]))
    model.add_activity(
        Activity("all", "all", None, "run", [Exchange("train", 1, "run"), Exchange("serve", 1, "run")])
    )
    model.functional_unit = FunctionalUnit("all", 1, "run")
    result = monte_carlo(model, 2000, seed=1)
    training, deployment = result.samples("GWP", "training"), result.samples("GWP", "deployment")
    # one draw of kwh per iteration, used by both: deployment = 2 x training, every time
    np.testing.assert_allclose(deployment, 2 * training, rtol=1e-12)
    assert np.std(training) > 0
    # lognormal with GSD 1.5: sd of ln(draws) = ln 1.5 = 0.405, standard error 0.405 / sqrt(2 x 2,000)
    assert np.std(np.log(training)) == pytest.approx(math.log(1.5), abs=4 * math.log(1.5) / math.sqrt(4000))
    assert np.median(training) == pytest.approx(10.0, rel=0.05)  # 100 kWh x 0.1 kg/kWh


def loop_model() -> Model:
    """Two activities that use each other's products (a loop), lognormal everywhere."""
    model = Model("loop")
    ln = {"distribution": "lognormal", "sigma": 0.2}
    model.add_activity(
        Activity(
            "steel",
            "steel",
            "manufacturing",
            "kg",
            [Exchange("power", 2.0, "kWh", unc(ln, 2.0)), Exchange("GWP", 1.5, "kg CO2 eq", unc(ln, 1.5))],
        )
    )
    model.add_activity(
        Activity(
            "power",
            "power",
            None,
            "kWh",
            [Exchange("steel", 0.1, "kg", unc(ln, 0.1)), Exchange("GWP", 0.3, "kg CO2 eq", unc(ln, 0.3))],
        )
    )
    model.add_activity(Activity("server", "server", "manufacturing", "item", [Exchange("steel", 20.0, "kg")]))
    model.functional_unit = FunctionalUnit("server", 1, "item")
    return model


def test_a_loop_under_monte_carlo_matches_per_iteration_dense_solves():
    model = loop_model()
    matrices = lca.build_matrices(model)
    assert Propagator(matrices).supply_system.has_loops
    result = monte_carlo(matrices, 200, seed=8, chunk_size=64, keep_inputs=True)
    order = [
        "activity 'steel', exchange 1 (input 'power') amount",
        "activity 'steel', exchange 2 (input 'GWP') amount",
        "activity 'power', exchange 1 (input 'steel') amount",
        "activity 'power', exchange 2 (input 'GWP') amount",
    ]
    assert sorted(result.input_names) == sorted(order)
    x = result.input_draws()[order].to_numpy()
    for k in range(len(x)):
        p_in_s, g_s, s_in_p, g_p = x[k]
        a = np.array([[1.0, -s_in_p, -20.0], [-p_in_s, 1.0, 0.0], [0.0, 0.0, 1.0]])  # steel, power, server
        supply = np.linalg.solve(a, [0.0, 0.0, 1.0])
        assert result.samples("GWP")[k] == pytest.approx(g_s * supply[0] + g_p * supply[1], rel=1e-10)


def test_a_utilisation_drawn_above_one_is_an_error_naming_the_parameter():
    model = lca.bloom()
    model.parameters["utilisation"].uncertainty = unc(
        {"distribution": "uniform", "min": 0.8, "max": 1.2}, 0.85
    )
    with pytest.raises(
        UncertaintyError, match="utilisation.*parameter\\(s\\) utilisation.*outside \\(0, 1\\]"
    ):
        monte_carlo(model, 1000, seed=1)


def test_invalid_distributions_in_the_example_name_the_parameter(tmp_path):
    text = EXAMPLE.read_text()
    bad = text.replace("distribution: triangular, min: 4, max: 7", "distribution: triangular, min: 7, max: 9")
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    with pytest.raises(InputFileError, match="parameters.lifetime.*mode \\(6\\) is outside min-max"):
        lca.load(path)
    bad = text.replace("min: 1500, max: 3500", "min: 3500, max: 1500")
    path.write_text(bad)
    with pytest.raises(
        InputFileError, match="parameters.node_embodied.*min \\(3500\\) is above max \\(1500\\)"
    ):
        lca.load(path)


def test_bad_iteration_counts_and_percentiles_are_refused():
    model = lca.load(EXAMPLE)
    with pytest.raises(UncertaintyError, match="iterations is 0"):
        monte_carlo(model, 0, seed=1)
    with pytest.raises(UncertaintyError, match="percentiles \\[101\\]"):
        monte_carlo(model, 10, seed=1, percentiles=(2.5, 101))


def test_convergence_standard_error_shrinks_like_one_over_root_n():
    result = monte_carlo(lca.load(EXAMPLE), 10_000, seed=6)
    conv = result.convergence("GWP")
    first, last = conv.iloc[0], conv.iloc[-1]
    assert last["iterations"] == 10_000
    assert last["sem"] == pytest.approx(result.summary().iloc[-1]["sem"], rel=1e-6)
    # sem ~ sd / sqrt(n): from 10 to 10,000 iterations it shrinks about sqrt(1000) = 31.6 times
    assert first["sem"] / last["sem"] == pytest.approx(math.sqrt(1000), rel=0.5)


def test_draws_dataframe_has_one_column_per_row_and_indicator():
    result = monte_carlo(lca.load(EXAMPLE), 100, seed=1, activities=PHASE_ACTIVITIES)
    frame = result.draws()
    assert frame.shape == (100, len(result.rows))
    assert np.array_equal(frame[("dynamic", "GWP")].to_numpy(), result.samples("GWP", "dynamic"))
    assert result.seed == 1 and result.iterations == 100 and result.version == lca.__version__


def test_a_lognormal_parameter_is_drawn_around_its_default_as_median():
    # issue 8: a peer's lognormal does not centre on the default; ours has median = default
    model = lca.load(EXAMPLE)
    model.parameters["grid"].uncertainty = unc({"distribution": "lognormal", "gsd": 1.3}, 0.057)
    result = monte_carlo(model, 20_000, seed=11)
    grid = result.input_draws()["grid"]
    assert result.input_units[list(result.input_names).index("grid")] == "kg CO2 eq/kWh"
    # standard error of the median of ln x: 1.2533 x ln(1.3) / sqrt(20,000) = 0.0023
    assert math.log(grid.median() / 0.057) == pytest.approx(0.0, abs=4 * 0.0023)


def test_table_of_a_statistic_is_a_phase_by_indicator_frame():
    result = monte_carlo(lca.load(EXAMPLE), 1000, seed=3)
    table = result.table("p97.5")
    assert list(table.index) == ["manufacturing", "training", "total"]
    assert list(table.columns) == ["GWP [kg CO2 eq]"]
    assert table.loc["total"].iloc[0] == pytest.approx(np.percentile(result.samples("GWP"), 97.5))
    # the example's total by hand: test_bloom_parametric_at_zero_variance_gives_the_published_figures
    assert result.table("deterministic", units_in_header=False).loc["total", "GWP"] == pytest.approx(
        50_718.928217
    )
    with pytest.raises(lca.DataNotFound, match="no statistic 'p95'"):
        result.table("p95")


def test_a_draw_that_gives_a_non_finite_amount_is_named():
    # sqrt(x) with x normal (mean 1, sd 1): about 16% of the draws are negative -> NaN amount
    model = Model("nan")
    model.add_parameter(Parameter("energy", 10.0, "kWh"))
    model.add_parameter(
        Parameter("x", 1.0, "", Uncertainty.from_spec({"distribution": "normal", "sd": 1}, 1.0, "x"))
    )
    model.add_activity(Activity("grid", "grid", None, "kWh", [Exchange("GWP", 0.1, "kg CO2 eq")]))
    model.add_activity(
        Activity("job", "job", "training", "run", [Exchange("grid", "sqrt(x) * energy", "kWh")])
    )
    model.functional_unit = FunctionalUnit("job", 1, "run")
    with pytest.raises(
        UncertaintyError,
        match=r"activity 'job', exchange 1 \(input 'grid'\): a Monte Carlo draw gives a non-finite amount",
    ):
        lca.monte_carlo(model, 1000, seed=1)


def test_iterations_whose_results_cannot_fit_in_memory_are_refused_before_any_draw():
    # the example: 3 rows (manufacturing, training, total) x 1 indicator (GWP) x 8 bytes = 24 bytes
    # per iteration; 10**14 iterations need 2.4e15 bytes / 2**30 = 2.24e6 GiB, more than any computer
    with pytest.raises(UncertaintyError, match=r"iterations is 100,000,000,000,000: .* 2\.24e\+06 GiB"):
        monte_carlo(lca.load(EXAMPLE), 10**14, seed=1)


def test_iterations_beyond_this_computers_memory_are_refused(monkeypatch):
    # 1,000 iterations x 24 bytes = 24,000 bytes = 2.24e-5 GiB > a pretend 10 kB computer
    monkeypatch.setattr("lca.uncertainty.propagation._physical_memory", lambda: 10_000.0)
    with pytest.raises(UncertaintyError, match=r"iterations is 1,000: the results alone need 2\.24e-05 GiB"):
        monte_carlo(lca.load(EXAMPLE), 1000, seed=1)


def test_a_run_makes_its_arrays_with_small_pages_and_restores_numpy_setting(monkeypatch):
    from numpy._core import multiarray

    def advised() -> bool:  # NumPy's huge-page advice, read without changing it
        state = multiarray._set_madvise_hugepage(False)
        multiarray._set_madvise_hugepage(state)
        return state

    seen = []
    original = Propagator.impacts

    def impacts(self, *args, **kwargs):
        seen.append(advised())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Propagator, "impacts", impacts)
    before = multiarray._set_madvise_hugepage(True)
    try:
        Propagator(lca.build_matrices(lca.bloom())).run(40, 1, chunk_size=16)
        assert seen == [False, False, False]  # each chunk's arrays without huge pages
        assert advised() is True  # the process's setting as it was
    finally:
        multiarray._set_madvise_hugepage(before)
