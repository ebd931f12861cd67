"""Inventory -> matrices. All unit conversion happens here, once.

:func:`build_matrices` checks a :class:`~lca.model.records.Model` and turns it into a
frozen :class:`Matrices`: the technosphere A (products x activities), the biosphere B
(flows x activities) and the characterisation C (indicators x flows), as plain floats in
the canonical units (each activity's reference unit, each flow's unit, each indicator's
unit), following Heijungs & Suh (2002):

    A[j, j] = production of activity j,  A[i, j] = -(amount of product i used by j)

The conventions are Brightway's:

- an exchange is per *production amount* of its activity; an amount whose unit is an
  intensity per the activity's reference unit (``g CO2 eq/kWh`` in a kWh activity) is per
  one reference unit, so it is multiplied by the production;
- an exchange without a unit is in the supplier's reference unit (the flow's unit);
- a waste treatment has a negative production (``-1 kg``: it takes 1 kg of waste), and an
  activity that sends waste to it has a negative exchange of it; a functional unit on a
  waste treatment is the amount treated.

:func:`check` returns every problem of a model at once, each a
:class:`~lca.errors.Problem` with its place and field: the record rules of
:mod:`lca.model.checks`, then the rules that need units (conversions, lifetimes,
utilisations, formula values). ``build_matrices`` raises them; the readers put them on
their own places (a YAML path, a ``Sheet!Cell``).

Every matrix entry keeps its :class:`CompiledAmount`: how to recompute it from parameter
values (in SI base units) and, for a numeric amount, its own uncertainty. Monte Carlo
re-evaluates those on arrays of draws without touching units again. Numeric amounts cost
no pint arithmetic: each distinct (unit, reference unit) pair gets its exact factor once.
"""

from lca.compile.compiler import build_matrices, check, compile_parameters
from lca.compile.factors import evaluate_quantity
from lca.compile.matrices import CompiledAmount, CompiledParameters, Expr, Matrices
from lca.model.checks import MAX_FORMULA_LENGTH

__all__ = [
    "MAX_FORMULA_LENGTH",
    "CompiledAmount",
    "CompiledParameters",
    "Expr",
    "Matrices",
    "build_matrices",
    "check",
    "compile_parameters",
    "evaluate_quantity",
]
