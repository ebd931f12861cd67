"""The optional Monte Carlo parts: bands in the table, violins, sensitivity, paired comparison."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from report_pages import parse

import lca
from lca.report import Alternative, build_document, render
from lca.report.document import Value, fmt
from lca.report.sections import ReportInput
from lca.report.uncertain import bands_from_draws, bands_from_mc, paired_from_mc, paired_from_totals


def test_bands_are_percentiles_of_the_draws():
    # draws 1..101: 2.5th percentile = 1 + 0.025 * 100 = 3.5, median 51, 97.5th = 98.5
    draws = {"training": np.arange(1.0, 102.0)[:, None], "deployment": np.zeros((101, 1))}
    bands = bands_from_draws(draws, ["GWP"], {"GWP": "kg CO2 eq"}, seed=3)
    assert bands.phase_bands["training"]["GWP"] == (3.5, 51.0, 98.5)
    assert bands.phase_bands["total"]["GWP"] == (3.5, 51.0, 98.5)  # the sum of the phases
    assert bands.level_label == "95% interval (2.5th-97.5th percentiles)"


def test_paired_probability_counts_the_draws_where_a_is_lower():
    a = {"GWP": np.array([1.0, 2.0, 3.0, 4.0])}
    b = {"GWP": np.array([2.0, 1.0, 4.0, 5.0])}  # a lower in draws 1, 3 and 4: 3 / 4
    paired = paired_from_totals(("7B", "70B"), a, b)
    assert paired.probability == {"GWP": 0.75}
    assert paired.iterations == 4


def fake_mc(scale: float, seed: int = 11):
    """An object with the MonteCarloResult fields the report reads (lca.uncertainty.results)."""
    rng = np.random.default_rng(seed)
    training = scale * rng.uniform(0.5, 1.5, 200)
    deployment = np.full(200, scale * 0.1)
    values = np.stack([training, deployment, training + deployment])[:, None, :]  # rows x 1 x iterations
    inputs = np.column_stack([training, rng.normal(size=200)])
    spearman = pd.DataFrame({"input": ["gpu_tdp", "noise"], "spearman": [1.0, 0.02]})
    return SimpleNamespace(
        rows=("training", "deployment", "total"),
        row_kinds=("phase", "phase", "total"),
        indicators=("GWP",),
        units=("kg CO2 eq",),
        values=values,
        inputs=inputs,
        seed=seed,
        percentiles=(2.5, 97.5),
        sensitivity=lambda code: spearman,
        samples=lambda code, row="total": values[2, 0],
    )


def test_adapter_reads_the_monte_carlo_result():
    mc = fake_mc(100.0)
    bands = bands_from_mc(mc)
    low, mid, high = bands.phase_bands["total"]["GWP"]
    expected = np.percentile(mc.values[2, 0], [2.5, 50, 97.5])
    assert (low, mid, high) == tuple(expected)
    assert bands.phase_bands["deployment"]["GWP"] == pytest.approx((10.0, 10.0, 10.0))
    assert bands.sensitivity["GWP"][0] == ("gpu_tdp", 1.0)
    assert bands.seed == 11 and bands.iterations == 200
    paired = paired_from_mc(("small", "large"), fake_mc(1.0), fake_mc(100.0))
    assert paired.probability["GWP"] == 1.0  # same draws, 100 times smaller: always lower


def test_report_shows_bands_violins_and_sensitivity(bloom_model, bloom_result, fake_bands):
    data = ReportInput(bloom_model, bloom_result, bands=fake_bands, date="2026-01-01")
    page = render(build_document(data), "html").decode()
    parsed = parse(page)
    total = next(r for r in parsed.tables["table-results"] if r[0]["text"] == "total")
    gwp = total[1]
    low, high = fake_bands.phase_bands["total"]["GWP"][0::2]
    assert float(gwp["attrs"]["data-low"]) == low and float(gwp["attrs"]["data-high"]) == high
    # BLOOM total 50,892.56 kg (hand calculation in test_report_bloom.py) = 50.89 t, 4 digits
    assert gwp["text"] == f"50.89 [{fmt(low / 1000)} – {fmt(high / 1000)}]"
    assert parsed.svg >= 2  # phase bars with their intervals, the contribution chart
    assert "500 iterations, seed 7" in page
    sens = parsed.tables["table-sensitivity"]
    assert [c["text"] for c in sens[0]] == ["parameter", "GWP", "ADP", "PE", "WATER"]
    assert [c["text"] for c in sens[1]] == ["gpu_tdp", "0.81", "", "", ""]
    assert [c["text"] for c in sens[2]] == ["grid_jean_zay", "0.45", "", "", ""]
    md = render(build_document(data), "md").decode()
    assert f"| total | 50.89 \\[{fmt(low / 1000)} – {fmt(high / 1000)}\\] |" in md


def test_alternative_comparison_with_probability(bloom_model, bloom_result):
    paired = paired_from_totals(
        ("BLOOM", "smaller"), {"GWP": np.array([2.0, 2.0])}, {"GWP": np.array([1.0, 3.0])}
    )
    alternative = Alternative("smaller", bloom_model, bloom_result, paired)
    data = ReportInput(bloom_model, bloom_result, alternative=alternative, date="2026-01-01")
    parsed = parse(render(build_document(data), "html").decode())
    rows = parsed.tables["table-comparison"]
    # in the frugality section the question is whether the alternative is lower
    assert [c["text"] for c in rows[0]] == ["indicator", "A", "B", "B / A", "P(B lower)"]
    assert "A: BLOOM; B: smaller; same functional unit" in render(build_document(data), "md").decode()
    gwp = next(r for r in rows if r[0]["text"] == "GWP [t CO2 eq]")
    assert gwp[3]["text"] == "1"  # same inventory: ratio 1
    assert gwp[4]["text"] == "50%"  # draws (2 vs 1) and (2 vs 3): lower once in two


def test_value_text():
    assert Value(50892.56).text == "50,890"
    assert Value(1.0, 0.5, 2.0).text == "1 [0.5 – 2]"


def test_data_quality_shows_distribution_and_pedigree(bloom_result):
    from lca.model.records import Parameter
    from lca.model.uncertainty import Uncertainty
    from lca.report.quality import data_quality

    model = lca.bloom()
    # scores (2,3,1,2,4), basic variance 0.0006: sigma^2 = 0.041825, GSD = 1.2269 (design.md 7)
    spec = {"distribution": "lognormal", "pedigree": [2, 3, 1, 2, 4], "basic_variance": 0.0006}
    u = Uncertainty.from_spec(spec, 150.0, "gpu_embodied")
    model.parameters["gpu_embodied"] = Parameter("gpu_embodied", 150, "kg CO2 eq", u, source="luccioni2023")
    section = data_quality(ReportInput(model, bloom_result))
    row = next(r for r in section.blocks[1].rows if r[0] == "gpu_embodied")
    assert row[3:5] == ["lognormal (GSD 1.23)", "(2, 3, 1, 2, 4)"]


def test_uncertainty_plot_reads_a_monte_carlo_result_directly():
    from lca.plot import uncertainty

    mc = fake_mc(100.0)
    fig = uncertainty(mc)
    (ax,) = fig.axes
    low, mid, high = np.percentile(mc.values[2, 0], [2.5, 50, 97.5])
    marker = next(line for line in ax.lines if len(line.get_ydata()) == 1)
    assert marker.get_ydata()[0] == pytest.approx(mid)  # the median, with the 95% band around it
    caps = sorted(float(y) for line in ax.lines if line is not marker for y in line.get_ydata())
    assert caps == pytest.approx([low, high])
    assert fig.get_suptitle().startswith("200 Monte Carlo draws")


def test_a_value_outside_its_interval_is_marked_and_explained(bloom_model, bloom_result):
    # draws of manufacturing 1.2 to 1.8 times its value: the deterministic value lies below
    table = bloom_result.phase_table(units_in_header=False)
    rng = np.random.default_rng(3)
    draws = {
        p: table.loc[p].to_numpy()[None, :] * rng.uniform(0.9, 1.1, (400, 1))
        for p in ("training", "deployment")
    }
    draws["manufacturing"] = table.loc["manufacturing"].to_numpy()[None, :] * rng.uniform(1.2, 1.8, (400, 1))
    units = {c: "x" for c in table.columns}
    bands = bands_from_draws(draws, list(table.columns), units, seed=3)
    document = build_document(ReportInput(bloom_model, bloom_result, bands=bands, date="2026-01-01"))
    page = render(document, "html").decode()
    cells = {r[0]["text"]: r[1]["text"] for r in parse(page).tables["table-results"][1:]}
    assert cells["manufacturing"].endswith("]†") and not cells["training"].endswith("†")
    # the note names the inputs whose entered amount is not their median: BLOOM's triangular
    # utilisation, mode 0.85 in 0.6-1: median 0.6 + sqrt(0.4 x 0.25 / 2) = 0.8236 (the CDF at the
    # mode is 0.625 > 0.5); its symmetric lifetime (5-6-7 years) is not named
    assert "† The deterministic value lies outside its Monte Carlo interval" in page
    assert "utilisation (triangular 0.6 to 1, mode 0.85: median 0.8236)" in page
    assert "lifetime (triangular" not in page
    summary = next(s for s in document.sections if s.key == "summary")
    assert any(b.text.startswith("†") for b in summary.blocks if getattr(b, "note", False)) is (
        cells["total"].endswith("†")
    )
