"""Sampling: distributions drawn as arrays, seeded, chunk-independent, Latin hypercube."""

import math

import numpy as np
import pytest

from lca.errors import UncertaintyError
from lca.model.uncertainty import Uncertainty
from lca.uncertainty.sampling import InputSpace, UniformStream, draw


def space(*specs: tuple[str, dict, float]) -> InputSpace:
    uncs = tuple(Uncertainty.from_spec(spec, amount, name) for name, spec, amount in specs)
    names = tuple(s[0] for s in specs)
    return InputSpace(names, uncs, names)


def test_lognormal_median_and_gsd_match_the_analytic_values():
    # median = the amount (150 kg), GSD = exp(sd of ln x) = 1.5. With n = 100,000 the
    # standard error of the sample median of ln x is 1.2533 * ln(1.5) / sqrt(n) = 0.0016,
    # and of the sd of ln x is ln(1.5) / sqrt(2n) = 0.0009: tolerances are 4 of those.
    x = draw(space(("gpu", {"distribution": "lognormal", "gsd": 1.5}, 150.0)), 100_000, rng=7)[:, 0]
    assert math.log(np.median(x) / 150.0) == pytest.approx(0.0, abs=4 * 0.0016)
    assert np.std(np.log(x)) == pytest.approx(math.log(1.5), abs=4 * 0.0009)


def test_pedigree_scores_give_the_gsd_of_the_worked_example():
    # design.md 7: scores (2, 3, 1, 2, 4), basic variance 0.0006 -> sigma 0.20451, GSD 1.2269
    spec = {"distribution": "lognormal", "pedigree": [2, 3, 1, 2, 4], "basic_variance": 0.0006}
    s = space(("grid", spec, 57.0))
    assert s.uncertainties[0].gsd == pytest.approx(1.2269, abs=1e-4)
    x = draw(s, 50_000, rng=1)[:, 0]
    assert math.exp(np.std(np.log(x))) == pytest.approx(1.2269, abs=4 * 0.20451 / math.sqrt(2 * 50_000))


def test_negative_lognormal_keeps_its_sign():
    x = draw(space(("credit", {"distribution": "lognormal", "sigma": 0.1}, -3.0)), 1000, rng=1)[:, 0]
    assert (x < 0).all() and np.median(x) == pytest.approx(-3.0, rel=0.02)


def test_uniform_triangular_and_normal_moments():
    s = space(
        ("u", {"distribution": "uniform", "min": 100, "max": 250}, 150.0),
        ("t", {"distribution": "triangular", "min": 4, "max": 7}, 6.0),
        ("n", {"distribution": "normal", "sd": 2.0}, 10.0),
    )
    x = draw(s, 60_000, rng=3)
    # uniform mean (100 + 250) / 2 = 175, sd 150 / sqrt(12) = 43.3
    assert x[:, 0].min() >= 100 and x[:, 0].max() <= 250
    assert x[:, 0].mean() == pytest.approx(175, abs=4 * 43.3 / math.sqrt(60_000))
    # triangular mean (4 + 7 + 6) / 3 = 5.667; sd sqrt((16 + 49 + 36 - 28 - 24 - 42) / 18) = 0.6236
    assert x[:, 1].min() >= 4 and x[:, 1].max() <= 7
    assert x[:, 1].mean() == pytest.approx(17 / 3, abs=4 * 0.6236 / math.sqrt(60_000))
    assert x[:, 2].mean() == pytest.approx(10, abs=4 * 2 / math.sqrt(60_000))
    assert x[:, 2].std() == pytest.approx(2, rel=0.02)


def test_same_seed_same_draws_whatever_the_chunks():
    mask = np.array([True, False, True])
    whole = UniformStream(mask, seed=11).uniforms(0, 40_000)
    stream = UniformStream(mask, seed=11)
    block = stream.block_rows
    pieces = [stream.uniforms(a, min(a + 777, 40_000)) for a in range(0, 40_000, 777)]
    assert block < 40_000  # the chunks cross block boundaries
    assert np.array_equal(np.concatenate(pieces), whole)
    assert not np.array_equal(UniformStream(mask, seed=12).uniforms(0, 100), whole[:100])


def test_a_generator_or_an_int_seeds_the_stream_and_bad_seeds_are_refused():
    a = UniformStream(2, seed=np.random.default_rng(5)).uniforms(0, 10)
    b = UniformStream(2, seed=np.random.default_rng(5)).uniforms(0, 10)
    assert np.array_equal(a, b)
    fresh = UniformStream(2, seed=None)
    assert np.array_equal(fresh.uniforms(0, 10), UniformStream(2, seed=fresh.entropy).uniforms(0, 10))
    with pytest.raises(UncertaintyError, match="seed is -1"):
        UniformStream(2, seed=-1)
    with pytest.raises(UncertaintyError, match="sampling is 'sobol'"):
        UniformStream(2, seed=1, sampling="sobol")


def test_latin_hypercube_puts_one_draw_in_each_stratum():
    n = 500
    u = UniformStream(3, seed=2, sampling="lhs", iterations=n).uniforms(0, n)
    for column in u.T:
        assert sorted(np.floor(column * n).astype(int)) == list(range(n))
    # chunked, the same design
    stream = UniformStream(3, seed=2, sampling="lhs", iterations=n)
    assert np.array_equal(np.concatenate([stream.uniforms(a, min(a + 64, n)) for a in range(0, n, 64)]), u)


def test_latin_hypercube_of_a_lognormal_is_centred_on_its_median():
    s = space(("gpu", {"distribution": "lognormal", "gsd": 2.0}, 150.0))
    x = draw(s, 2001, rng=4, sampling="lhs")[:, 0]
    # stratified: the median draw is within one stratum of the true median
    assert np.median(x) == pytest.approx(150.0, rel=0.01)


def test_a_whole_block_drawn_in_place_equals_the_copied_draws():
    # uniforms() draws a chunk of exactly one block in place; any other chunk copies out of
    # the block buffer: both must give the same numbers, for normal, uniform and mixed inputs
    for mask in ([True] * 3, [False] * 3, [True, False, True]):
        stream = UniformStream(np.array(mask), seed=11, iterations=10_000)
        rows = stream.block_rows
        whole = stream.uniforms(rows, 2 * rows)  # block 1, in place
        copied = UniformStream(np.array(mask), seed=11, iterations=10_000).uniforms(rows - 1, 2 * rows + 1)
        assert np.array_equal(whole, copied[1:-1])
