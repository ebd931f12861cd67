"""What makes two alternatives comparable: the same functional unit.

ISO 14044 (4.2.3.7) compares systems only on the same function and functional unit.
Two inventories are compared here only when their functional units have the same unit
and the same amount once converted (``1 MWh`` and ``1000 kWh`` are the same; ``1 run``
and ``1 request`` are not). Counts (``item``, ``request``, ``run``, ``unit``) are all
dimensionless in pint, so for counts the unit names themselves must agree.

Examples
--------
>>> from lca.model.records import FunctionalUnit, Model
>>> a, b = Model("A"), Model("B")
>>> a.functional_unit = FunctionalUnit("serve", 1, "MWh")
>>> b.functional_unit = FunctionalUnit("serve", 1000, "kWh")
>>> check_same_functional_unit(a, b)
>>> b.functional_unit = FunctionalUnit("train", 1, "run", "one fine-tuning run")
>>> check_same_functional_unit(a, b)
Traceback (most recent call last):
lca.errors.InputFileError: A, functional_unit: 1 MWh differs from B, functional_unit: 1 run \
(one fine-tuning run); alternatives are compared only on the same functional unit \
(same unit and amount)
"""

from __future__ import annotations

import math

from lca.errors import InputFileError, LcaError, Problem
from lca.model.records import FunctionalUnit, Model
from lca.units import Q_, parse_unit

#: Relative difference below which two converted amounts are the same.
RTOL = 1e-9


def check_same_functional_unit(a: Model, b: Model, labels: tuple[str, str] | None = None) -> None:
    """Refuse to compare ``a`` and ``b`` unless they answer the same functional unit.

    Parameters
    ----------
    a, b : Model
        The two alternatives.
    labels : (str, str), optional
        How to name them in the error (their files); default: the models' names.

    Raises
    ------
    InputFileError
        One problem located at ``a``'s functional unit that names both.
    """
    label_a, label_b = labels or (a.name, b.name)
    fu_a, fu_b = a.functional_unit, b.functional_unit
    for label, fu in ((label_a, fu_a), (label_b, fu_b)):
        if fu is None:
            raise InputFileError(
                [Problem(f"{label}, functional_unit", "missing; alternatives are compared on it")]
            )
    if not same_functional_unit(fu_a, fu_b, (label_a, label_b)):
        message = (
            f"{_describe(fu_a)} differs from {label_b}, functional_unit: {_describe(fu_b)}; "
            "alternatives are compared only on the same functional unit (same unit and amount)"
        )
        expected = f"the functional unit of {label_b} ({_describe(fu_b)})"
        where = f"{label_a}, functional_unit"
        raise InputFileError([Problem(where, message, value=_describe(fu_a), expected=expected)])


def same_functional_unit(
    a: FunctionalUnit, b: FunctionalUnit, labels: tuple[str, str] = ("first", "second")
) -> bool:
    """True when ``a`` and ``b`` have the same unit and amount after conversion.

    Examples
    --------
    >>> same_functional_unit(FunctionalUnit("x", 2, "h"), FunctionalUnit("y", 120, "min"))
    True
    >>> same_functional_unit(FunctionalUnit("x", 1, "request"), FunctionalUnit("y", 1, "requests"))
    True
    >>> same_functional_unit(FunctionalUnit("x", 1, "unit"), FunctionalUnit("y", 1, "run"))
    False
    """
    unit_a = parse_unit(a.unit, f"{labels[0]}, functional_unit")
    unit_b = parse_unit(b.unit, f"{labels[1]}, functional_unit")
    if Q_(1, unit_a).dimensionality != Q_(1, unit_b).dimensionality:
        return False
    if Q_(1, unit_a).dimensionless and _count_names(unit_a) != _count_names(unit_b):
        return False
    try:
        amount_a = float(Q_(float(a.amount), unit_a).to(unit_b).magnitude)
    except (TypeError, ValueError) as exc:  # an amount that is not a number
        raise LcaError(f"{labels[0]}, functional_unit: amount {a.amount!r} is not a number ({exc})") from None
    return math.isclose(amount_a, float(b.amount), rel_tol=RTOL)


def _count_names(unit) -> dict[str, float]:
    """The named units of a dimensionless unit (``{'run': 1}``), so counts are told apart."""
    return dict(unit._units)


def _describe(fu: FunctionalUnit) -> str:
    text = f"{fu.amount:g} {fu.unit}".strip() if isinstance(fu.amount, int | float) else f"{fu.amount}"
    return f"{text} ({fu.description})" if fu.description else text


__all__ = ["check_same_functional_unit", "same_functional_unit"]
