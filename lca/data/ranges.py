"""How the range of a dataset value becomes a distribution.

Every value of ``datasets/*.csv`` with a range says, in its ``F_distribution`` column, how
to read the range (docs/methodology.md, "Ranges to distributions"):

* ``lognormal 95%``: a multiplicative spread ("a factor 2 either way", a model's spread,
  sources that disagree by more than 1.5x). The median is the central value and the range
  is the stated central percentile interval (95%: the 2.5th to 97.5th percentiles). When
  the range is not symmetric in log space, sigma is taken from the wider side, so both
  bounds lie within the interval: ``sigma = max(ln(c / low), ln(high / c)) / z``, with z
  the standard normal quantile of the interval (1.96 for 95%).
* ``triangular``: an additive or bounded range: minimum ``low``, mode the central value,
  maximum ``high`` (the range is the whole support, 100%).
* ``uniform``: bounds without a preferred value inside them (the whole support).

A user file that leaves the column empty gets the default rule: a range spanning more
than 1.5x with positive bounds is read as ``lognormal 95%``, any other as ``triangular``.

Examples
--------
A factor 2 either way around 0.0378 kg Sb eq, read as a 95% interval:

>>> u = lognormal_from_range(0.0378, 0.0189, 0.0756, 95.0, "server ADP")
>>> round(u.median(), 6), round(u.scale, 6), round(u.gsd, 4)
(0.0378, 0.353653, 1.4243)

(sigma = ln 2 / 1.959964 = 0.353653, GSD = exp(sigma) = 1.4243.)

>>> parse_distribution("lognormal 90%", "gwp_distribution")
('lognormal', 90.0)
>>> resolved_distribution("", 1.0, 0.5, 3.0)
('lognormal', 95.0)
"""

from __future__ import annotations

import math
from statistics import NormalDist

from lca.model.uncertainty import LOGNORMAL, Uncertainty

#: Distribution names a dataset value may state.
DISTRIBUTIONS = ("lognormal", "triangular", "uniform", "fixed")
#: Coverage of a lognormal range when the column names no percentage.
DEFAULT_COVERAGE = 95.0
#: A range wider than this ratio (high / low) is multiplicative under the default rule.
MULTIPLICATIVE_SPAN = 1.5


def parse_distribution(text: str | None, column: str) -> tuple[str, float]:
    """``(name, coverage)`` from a ``F_distribution`` cell; ``("", nan)`` when empty.

    ``lognormal`` takes an optional coverage in percent (``lognormal 95%``, default 95);
    the other names take none.

    Raises
    ------
    ValueError
        Naming ``column`` and the accepted forms.
    """
    text = (text or "").strip().lower()
    if not text:
        return "", math.nan
    name, _, rest = text.partition(" ")
    rest = rest.strip()
    if name not in DISTRIBUTIONS:
        raise ValueError(
            f"column {column}: '{text}' is not a distribution; expected one of "
            "'lognormal 95%' (or another coverage), 'triangular', 'uniform', 'fixed'"
        )
    if name != "lognormal":
        if rest:
            raise ValueError(f"column {column}: '{text}': only a lognormal takes a coverage")
        return name, math.nan
    if not rest:
        return name, DEFAULT_COVERAGE
    try:
        coverage = float(rest.removesuffix("%").strip())
    except ValueError:
        raise ValueError(f"column {column}: '{text}': expected a coverage such as '95%'") from None
    if not 50 <= coverage < 100:
        raise ValueError(f"column {column}: coverage {coverage:g}% must lie in [50, 100)")
    return name, coverage


def resolved_distribution(name: str, amount: float, low: float, high: float) -> tuple[str, float]:
    """The stated distribution, or the default rule's when ``name`` is empty."""
    if name:
        return name, DEFAULT_COVERAGE if name == "lognormal" else math.nan
    if low > 0 and amount > 0 and high / low > MULTIPLICATIVE_SPAN:
        return "lognormal", DEFAULT_COVERAGE
    return "triangular", math.nan


def z_of(coverage: float) -> float:
    """Standard normal quantile bounding a central ``coverage`` % interval (95 -> 1.959964)."""
    return NormalDist().inv_cdf(0.5 + coverage / 200.0)


def lognormal_sigma(amount: float, low: float, high: float, coverage: float) -> float:
    """Sigma of ln(x) for a median ``amount`` whose wider side reaches its bound at ``coverage``.

    Rounded to 12 significant digits, so that a workbook (15 digits) keeps it exactly.
    """
    sigma = max(math.log(amount / low), math.log(high / amount)) / z_of(coverage)
    return float(f"{sigma:.12g}")


def lognormal_from_range(amount: float, low: float, high: float, coverage: float, where: str) -> Uncertainty:
    """``Uncertainty(LOGNORMAL, loc=ln(amount), scale=sigma)`` for a range read as an interval.

    Raises
    ------
    ValueError
        Naming ``where`` when the bounds are not positive around a positive amount.
    """
    if not 0 < low <= amount <= high:
        raise ValueError(
            f"{where}: a lognormal needs 0 < low <= central <= high, got {low:g}, {amount:g}, {high:g}"
        )
    result = Uncertainty(LOGNORMAL, loc=math.log(amount), scale=lognormal_sigma(amount, low, high, coverage))
    result.validate(where)
    return result


def lognormal_interval(uncertainty: Uncertainty, coverage: float) -> tuple[float, float]:
    """The central ``coverage`` % interval of a lognormal (the bounds Monte Carlo draws within)."""
    half = z_of(coverage) * uncertainty.scale
    median = uncertainty.median()
    return median * math.exp(-half), median * math.exp(half)
