"""Uncertainty records: stats_arrays ids, validation naming the field, pedigree."""

import math

import pytest

from lca.errors import UncertaintyError
from lca.model.pedigree import pedigree_sigma
from lca.model.uncertainty import Uncertainty


def test_pedigree_worked_example():
    # design.md 7: scores (2,3,1,2,4), basic variance 0.0006:
    # 0.0006 + 0.0006 + 0.0006 + 0 + 0.000025 + 0.04 = 0.041825; sigma = 0.20451; GSD = 1.2269
    sigma = pedigree_sigma((2, 3, 1, 2, 4), 0.0006)
    assert sigma**2 == pytest.approx(0.041825)
    assert sigma == pytest.approx(0.20451, abs=1e-5)
    assert math.exp(sigma) == pytest.approx(1.2269, abs=1e-4)
    assert math.exp(sigma) ** 2 == pytest.approx(1.5053, abs=1e-4)


def test_lognormal_from_gsd_is_centred_on_the_amount():
    u = Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.5}, 150.0, "gpu")
    assert (u.kind, u.median(), u.scale) == (2, pytest.approx(150.0), pytest.approx(math.log(1.5)))


def test_negative_lognormal():
    u = Uncertainty.from_spec({"distribution": 2, "sigma": 0.1}, -3.0, "credit")
    assert u.negative and u.median() == pytest.approx(-3.0)


@pytest.mark.parametrize(
    ("spec", "amount", "message"),
    [
        ({"distribution": "triangular", "min": 4, "max": 7, "mode": 8}, 6, "mode \\(8\\) is outside min-max"),
        ({"distribution": "uniform", "min": 7, "max": 4}, 6, "min \\(7\\) is above max \\(4\\)"),
        ({"distribution": "lognormal", "gsd": 1.2}, 0, "non-zero amount"),
        (
            {"distribution": "lognormal", "gsd": 0.5},
            1,
            "gsd: 0.5; expected a geometric standard deviation >= 1",
        ),
        ({"distribution": "normal"}, 1, "normal needs sd"),
        ({"distribution": "weibull"}, 1, "'weibull' is not supported"),
        ({"distribution": 8}, 1, "id 8 \\(Weibull\\) is not supported"),
        ({"distribution": "lognormal", "pedigree": [1, 2, 6, 1, 1]}, 1, "temporal correlation score is 6"),
        ({"distribution": "uniform", "min": "a", "max": 3}, 1, "min: 'a' is not a number"),
        ({"distribution": "uniform", "minimum": 1, "max": 3}, 1, "unknown uncertainty field"),
    ],
)
def test_invalid_distributions_name_the_field(spec, amount, message):
    with pytest.raises(UncertaintyError, match=f"^parameter 'lifetime' .*{message}"):
        Uncertainty.from_spec(spec, amount, "parameter 'lifetime'")


def test_scaled_keeps_the_distribution_in_the_new_unit():
    # 6 year triangular 4-7 in hours: 52,560 h, 35,040-61,320 h
    u = Uncertainty.from_spec({"distribution": "triangular", "min": 4, "max": 7}, 6.0, "x").scaled(8760)
    assert (u.minimum, u.loc, u.maximum) == (35_040.0, 52_560.0, 61_320.0)
    logn = Uncertainty.from_spec({"gsd": 2.0}, 1.0, "x").scaled(1000)
    assert logn.median() == pytest.approx(1000.0) and logn.gsd == pytest.approx(2.0)


@pytest.mark.parametrize("pedigree", [5, "23124"])
def test_pedigree_that_is_not_a_list_is_named(pedigree):
    # 5 raised a TypeError (not iterable); "23124" gave "reliability score is '2'" (a character)
    spec = {"distribution": "lognormal", "pedigree": pedigree}
    with pytest.raises(UncertaintyError) as info:
        Uncertainty.from_spec(spec, 57.0, "parameters.grid")
    expected = f"parameters.grid pedigree: {pedigree!r} is not a list of 5 scores, e.g. [2, 3, 1, 2, 4]"
    assert str(info.value) == expected


@pytest.mark.parametrize("distribution", [13, 10**20, "13"])
def test_an_unknown_distribution_id_is_named(distribution):
    # an int that is not a stats_arrays id recursed forever (RecursionError); ids are 0-12
    with pytest.raises(UncertaintyError) as info:
        Uncertainty.from_spec({"distribution": distribution}, 57.0, "parameters.grid")
    assert str(info.value).startswith(
        f"parameters.grid distribution: distribution '{distribution}' is not supported"
    )
