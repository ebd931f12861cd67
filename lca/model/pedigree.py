"""The ecoinvent pedigree matrix: data-quality scores to a lognormal spread.

ecoinvent v3 (Weidema et al. 2013, *Overview and methodology, data quality guideline for
the ecoinvent database version 3*, table 10.5) gives each score of each indicator a
variance of ln(x); they add to the basic variance:

    sigma^2 = basic_variance + sum of the five pedigree variances,   GSD = exp(sigma)

Examples
--------
>>> round(pedigree_sigma((2, 3, 1, 2, 4), basic_variance=0.0006), 5)
0.20451
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from lca.errors import Place, Problem, UncertaintyError

#: Order of the five scores, as in ecoinvent and Brightway.
PEDIGREE_FIELDS = (
    "reliability",
    "completeness",
    "temporal correlation",
    "geographical correlation",
    "further technological correlation",
)

#: Variance of ln(x) for scores 1..5 (Weidema et al. 2013, table 10.5).
PEDIGREE_VARIANCES: dict[str, tuple[float, float, float, float, float]] = {
    "reliability": (0.0, 0.0006, 0.002, 0.008, 0.04),
    "completeness": (0.0, 0.0001, 0.0006, 0.002, 0.008),
    "temporal correlation": (0.0, 0.0002, 0.002, 0.008, 0.04),
    "geographical correlation": (0.0, 0.000025, 0.0001, 0.0006, 0.002),
    "further technological correlation": (0.0, 0.0006, 0.008, 0.04, 0.12),
}

#: Basic variances used with ecoinvent v3, converted from the basic uncertainty factors U
#: (= GSD^2) of ecoinvent v2 by (ln U / 2)^2 (Weidema et al. 2013, section 10.2, table
#: 10.4): U = 1.05 for energy, materials and combustion CO2 (0.000595), 2.0 for transport
#: services (0.1201) and 3.0 for infrastructure (0.3017).
BASIC_VARIANCES = {
    "energy": 0.0006,
    "materials": 0.0006,
    "combustion CO2": 0.0006,
    "transport": 0.12,
    "infrastructure": 0.3,
}


def check_scores(scores: Sequence[int], where: Place | str) -> tuple[int, int, int, int, int]:
    """Check five integer scores from 1 to 5; the error names ``where``.

    Examples
    --------
    >>> check_scores([2, 3, 1, 2, 4], "grid")
    (2, 3, 1, 2, 4)
    >>> check_scores("23124", "grid")
    Traceback (most recent call last):
    lca.errors.UncertaintyError: grid pedigree: '23124' is not a list of 5 scores, e.g. [2, 3, 1, 2, 4]
    """
    expected = "a list of 5 scores, e.g. [2, 3, 1, 2, 4]"
    if isinstance(scores, str | bytes) or not isinstance(scores, Iterable):
        raise UncertaintyError(_problem(where, scores, expected, f"{scores!r} is not {expected}"))
    values = tuple(scores)
    if len(values) != 5:
        message = f"{len(values)} scores given; expected 5 ({', '.join(PEDIGREE_FIELDS)})"
        raise UncertaintyError(_problem(where, list(values), expected, message))
    for field, score in zip(PEDIGREE_FIELDS, values, strict=True):
        if isinstance(score, bool) or not isinstance(score, int | float) or score not in range(1, 6):
            message = f"{field} score is {score!r}; expected 1 to 5"
            raise UncertaintyError(_problem(where, list(values), "scores from 1 to 5", message))
    return tuple(int(s) for s in values)  # type: ignore[return-value]


def _problem(where: Place | str, value: object, expected: str, message: str) -> Problem:
    return Problem(
        where, field="pedigree", value=value, expected=expected, message=message, error=UncertaintyError
    )


def pedigree_sigma(
    scores: Sequence[int], basic_variance: float = 0.0006, where: Place | str = "pedigree"
) -> float:
    """Sigma of ln(x) from five pedigree scores and a basic variance (ecoinvent v3).

    Parameters
    ----------
    scores : sequence of 5 ints
        Reliability, completeness, temporal, geographical and further technological
        correlation, each 1 (best) to 5.
    basic_variance : float
        Variance of ln(x) before data quality, dimensionless; 0.0006 for energy and
        materials, 0.04 for transport, 0.3 for infrastructure.
    """
    checked = check_scores(scores, where)
    if not basic_variance >= 0:
        raise UncertaintyError(
            Problem(
                where, field="basic_variance", value=basic_variance, expected=">= 0", error=UncertaintyError
            )
        )
    total = basic_variance + sum(
        PEDIGREE_VARIANCES[field][score - 1] for field, score in zip(PEDIGREE_FIELDS, checked, strict=True)
    )
    return math.sqrt(total)
