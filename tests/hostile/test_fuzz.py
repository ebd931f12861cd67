"""Fuzzing the three languages an inventory is written in: formulas, unit texts, YAML scalars.

Every input either reads to the right value (computed here independently: a reference
evaluator over the expression tree, unit factors from their SI definitions, the number YAML
itself reads) or is refused with a located :class:`~lca.errors.LcaError`, and each answer
comes within the deadline: nothing hangs on a power tower or recurses out of the stack.
"""

from __future__ import annotations

import math
import operator
from datetime import timedelta

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lca.errors import FormulaError, InputFileError, UnitError
from lca.io.yaml_read import parse_yaml, read_model
from lca.model.formulas import Formula
from lca.units import conversion_factor, parse_unit

FAST = settings(
    max_examples=300,
    deadline=timedelta(seconds=2),
    derandomize=True,  # the same inputs on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow],
)
VALUES = {"a": 3.0, "b": 0.5, "c": -2.0}
#: The formula language computes min, max and abs with NumPy (so that they work on arrays of
#: draws): the reference does too, so that NaN and a division by NumPy's 0.0 behave the same.
NUMPY = {"min": np.minimum, "max": np.maximum}


# -- formulas -------------------------------------------------------------------------------------------
def trees(depth: int = 6):
    """Expression trees: (text, reference function of the values)."""
    leaf = st.one_of(
        st.sampled_from(sorted(VALUES)).map(lambda n: (n, lambda v, n=n: v[n])),
        st.floats(0, 1e6, allow_nan=False).map(lambda x: (repr(x), lambda v, x=x: x)),
        st.integers(0, 10**6).map(lambda i: (str(i), lambda v, i=i: float(i))),
    )

    def extend(inner):
        ops = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
        binary = st.tuples(inner, st.sampled_from(sorted(ops)), inner).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", lambda v, t=t: ops[t[1]](t[0][1](v), t[2][1](v)))
        )
        negative = inner.map(lambda t: (f"-{t[0]}", lambda v, t=t: -t[1](v)))
        calls = st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: (f"{t[0]}({t[1][0]}, {t[2][0]})", lambda v, t=t: NUMPY[t[0]](t[1][1](v), t[2][1](v)))
        )
        absolute = inner.map(lambda t: (f"abs({t[0]})", lambda v, t=t: np.abs(t[1](v))))
        return st.one_of(binary, negative, calls, absolute)

    return st.recursive(leaf, extend, max_leaves=40)


@FAST
@given(trees())
def test_formulas_evaluate_like_their_tree(tree):
    text, reference = tree
    try:
        formula = Formula.parse(text)
    except FormulaError as exc:  # a tree deeper than the language reads: refused, with why
        assert "nested more than 100 levels deep" in str(exc) or "too many nested parentheses" in str(exc)
        return
    results = []
    for evaluate in (reference, formula.evaluate):
        with np.errstate(all="ignore"):
            try:
                results.append(evaluate(VALUES))
            except ArithmeticError as exc:  # a division by zero: the same error from both
                results.append(type(exc))
    expected, got = results
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected  # the same operations in the same order: bit for bit


@FAST
@given(st.integers(1, 3000), st.sampled_from(["+1", "-1", "*1", "/1"]), st.integers(0, 2500))
def test_long_chains_and_signs_are_read_or_refused_with_a_reason(terms, op, signs):
    text = "-" * signs + "a" + op * terms
    try:
        formula = Formula.parse(text)
    except FormulaError as exc:
        assert len(text) > 2000 and "characters long (max 2000)" in str(exc)
        return
    signed = -3.0 if signs % 2 else 3.0  # the signs apply to a; then the chain, left to right
    expected = {"+1": signed + terms, "-1": signed - terms}.get(op, signed)
    assert formula.evaluate(VALUES) == expected


@FAST
@given(st.text(alphabet="ab()+-*/.0123456789e _[]'\"{}:;,=<>!@#%^&|~`", max_size=120))
def test_any_text_parses_or_is_refused_as_a_formula_error(text):
    try:
        formula = Formula.parse(text, "field")
    except FormulaError as exc:
        assert str(exc).startswith("field: ")
        return
    with np.errstate(all="ignore"):
        try:
            value = formula.evaluate({name: 1.5 for name in formula.names})
        except ArithmeticError:
            return  # 1/0: the compiler reports it at its place (lca.compile.evaluate_quantity)
    assert isinstance(float(value), float)


# -- unit texts -------------------------------------------------------------------------------------------
#: Units and their SI factor, from their definitions (SI brochure; 1 h = 3,600 s; 1 t = 1,000 kg).
SI = {
    "kWh": 3.6e6,  # J
    "Wh": 3.6e3,
    "MJ": 1e6,
    "J": 1.0,
    "W": 1.0,  # J/s
    "kW": 1e3,
    "h": 3600.0,  # s
    "s": 1.0,
    "day": 86400.0,
    "kg": 1.0,
    "g": 1e-3,
    "t": 1e3,
    "km": 1e3,
    "m": 1.0,
}
BASE = {
    "kWh": "J",
    "Wh": "J",
    "MJ": "J",
    "J": "J",
    "W": "W",
    "kW": "W",
    "h": "s",
    "s": "s",
    "day": "s",
    "kg": "kg",
    "g": "kg",
    "t": "kg",
    "km": "m",
    "m": "m",
}


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(sorted(SI)), st.integers(-3, 3).filter(bool)), min_size=1, max_size=5)
)
def test_unit_products_convert_by_their_definitions(powers):
    text = " * ".join(f"{u}**{e}" if e != 1 else u for u, e in powers)
    base = " * ".join(f"{BASE[u]}**{e}" if e != 1 else BASE[u] for u, e in powers)
    expected = math.prod(SI[u] ** e for u, e in powers)
    assert math.isclose(conversion_factor(parse_unit(text), parse_unit(base)), expected, rel_tol=1e-12)


@FAST
@given(st.text(alphabet="kWhgmst()*/^ .e0123456789-+_x", max_size=60))
def test_any_unit_text_parses_or_is_refused_quickly(text):
    try:
        unit = parse_unit(text, "unit")
    except UnitError as exc:
        assert exc.problems and exc.problems[0].where == "unit"
        return
    assert all(abs(float(e)) < 1000 for e in unit._units.values())


# -- YAML scalars -----------------------------------------------------------------------------------------
SCALARS = st.one_of(
    st.integers(-(10**500), 10**500).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            ".nan",
            ".inf",
            "-.inf",
            "1e3",
            "1E+400",
            "0x1F",
            "0o17",
            "1_000",
            "true",
            "no",
            "~",
            "''",
            "'57'",
            "'nan'",
            "'1e999'",
            "1.5e-320",
            "[1]",
            "{a: 1}",
            "energy",
            "energy * 2",
            "2 kg",
        ]
    ),
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,10})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
)
TEMPLATE = """format: lca-inventory/1
name: fuzz
parameters:
  energy: {{amount: 1000, unit: kWh}}
activities:
  - code: grid
    unit: kWh
    exchanges:
      - {{input: GWP, amount: {scalar}, unit: g CO2 eq}}
  - code: job
    phase: training
    unit: run
    exchanges:
      - {{input: grid, amount: 1, unit: kWh}}
functional_unit: {{activity: job, amount: 1, unit: run}}
"""


def expected_amount(scalar: str):
    """What the amount must read as (a float), or None when it must be refused."""
    value = yaml.safe_load(f"x: {scalar}")["x"]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return "text"  # a formula, checked by the formula rules
    return number if math.isfinite(number) else None


@FAST
@given(SCALARS)
def test_a_yaml_amount_reads_as_yaml_says_or_is_refused_at_its_place(scalar):
    text = TEMPLATE.format(scalar=scalar)
    expected = expected_amount(scalar)
    try:
        model = read_model(parse_yaml(text, "fuzz.yaml"), "fuzz.yaml")
    except InputFileError as exc:
        where = str(exc.problems[0].where)
        assert where.startswith(("fuzz.yaml, activities.grid.exchanges[0]", "fuzz.yaml, line 9")), where
        # refused: subnormal, or above the largest amount an inventory holds (MAX_AMOUNT, 1e100;
        # the grid's exchange is in g CO2 eq, 1e-3 kg)
        assert not isinstance(expected, float) or not 2.3e-308 <= abs(expected) <= 1e103, (scalar, where)
        return
    amount = model.activities["grid"].exchanges[0].amount
    if expected == "text":
        assert isinstance(amount, str)
    else:
        assert expected is not None and amount == expected, (scalar, amount, expected)
