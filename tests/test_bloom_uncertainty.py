"""Issue 16: the bands qualify the value they are printed beside.

With every multiplicative range a lognormal whose median is the central value, the
deterministic BLOOM total sits inside the middle half of its Monte Carlo draws on every
indicator. 20,000 iterations here (seconds); ``python benchmarks/uncertainty_centring.py``
prints the 100,000-iteration figures quoted in docs/methodology.md.
"""

from __future__ import annotations

import numpy as np
import pytest

import lca

INDICATORS = ("GWP", "ADP", "PE", "WATER")


@pytest.fixture(scope="module", params=["bloom", "bloom-full"])
def case(request):
    model = lca.load(lca.datasets_dir() / "cases" / f"{request.param}.yaml")
    return request.param, lca.solve(model), lca.monte_carlo(model, 20_000, seed=16)


@pytest.mark.parametrize("indicator", INDICATORS)
def test_deterministic_total_lies_between_the_quartiles(case, indicator):
    name, result, mc = case
    draws = mc.samples(indicator)
    p25, p75 = np.percentile(draws, [25, 75])
    assert p25 < result.total(indicator).magnitude < p75, name


def test_bloom_gwp_mean_is_no_longer_30_percent_above_the_value():
    # issue 16: 50,000 iterations gave a mean GWP of 65.9 t against 50.9 t (+30%), the value at
    # the 9.5th percentile, from triangular ranges around mis-placed modes (mean 300 kg for a
    # 150 kg GPU, 69 g for the 57 g grid). Lognormals with the paper's value as median leave the
    # skew of the inputs: mean +3.6%, median +0.6% for bloom.yaml
    model = lca.bloom()
    mc = lca.monte_carlo(model, 20_000, seed=16)
    det = lca.solve(model).total("GWP").magnitude
    draws = mc.samples("GWP")
    assert abs(np.median(draws) / det - 1) < 0.03
    assert 1.0 < draws.mean() / det < 1.06
