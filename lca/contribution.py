"""Contribution paths: how the impact of a demand flows down the supply graph.

A report shows *where* a total comes from. :func:`contribution_tree` walks the graph from
the functional unit down through the exchanges and gives, for every node reached, the
amount of its product used along that path and the cumulative impact of that amount
(its own flows plus everything upstream of it). Cumulative impacts come from the solver
(one solve per activity, on the factorised technosphere), so loops are handled exactly;
only the walk itself is cut, at ``max_depth`` levels and below ``cutoff`` of the total.

Examples
--------
>>> from lca.model.records import Model, Activity, Exchange, FunctionalUnit
>>> from lca.solve import solve
>>> m = Model("tiny")
>>> _ = m.add_activity(Activity("grid", "electricity", None, "kWh",
...                             exchanges=[Exchange("GWP", 0.1, "kg CO2 eq")]))
>>> _ = m.add_activity(Activity("job", "job", "training", "run",
...                             exchanges=[Exchange("grid", 1000, "kWh")]))
>>> m.functional_unit = FunctionalUnit("job", 1, "run")
>>> [(n.depth, n.code, round(n.amount, 6), round(n.impact, 6))
...  for n in contribution_tree(solve(m), "GWP")]
[(0, 'job', 1.0, 100.0), (1, 'grid', 1000.0, 100.0)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lca.solve import Result, Solver


@dataclass(frozen=True)
class PathNode:
    """One node of the contribution tree.

    Attributes
    ----------
    depth : int
        0 for the demanded activity, 1 for its direct suppliers...
    code, name, unit : str
        The activity and its reference unit.
    amount : float
        Product of ``code`` used along this path, in ``unit``.
    impact : float
        Cumulative impact of ``amount`` (own flows and everything upstream), in the
        indicator's unit.
    share : float
        ``impact`` / the result's total (0 when the total is 0).
    """

    depth: int
    code: str
    name: str
    unit: str
    amount: float
    impact: float
    share: float


def unit_impacts(result: Result) -> np.ndarray:
    """Indicators x activities: cumulative impact of one reference unit of each product.

    Column j is ``C B A^-1 e_j``, computed by one transposed solve per indicator.
    """
    return Solver(result.matrices).unit_impacts()


def impact_of(result: Result, code: str, amount: float = 1.0) -> dict[str, float]:
    """Cumulative impacts of ``amount`` reference units of activity ``code``, per indicator.

    Plain floats in each indicator's unit (see ``result.matrices.indicators``).
    """
    j = result.matrices.index[code]
    column = unit_impacts(result)[:, j] * amount
    return dict(zip(result.indicator_codes, (float(v) for v in column), strict=True))


def contribution_tree(
    result: Result,
    indicator: str,
    max_depth: int = 4,
    cutoff: float = 0.01,
    max_children: int = 6,
) -> list[PathNode]:
    """The main contribution paths of ``result`` for one indicator, depth first.

    Parameters
    ----------
    result : Result
        A solved demand; the walk starts at each demanded activity.
    indicator : str
        Indicator code.
    max_depth : int
        Deepest level shown (loops are cut there too).
    cutoff : float
        Paths whose impact is below this share of the total are not shown.
    max_children : int
        Largest suppliers shown under each node.

    Returns
    -------
    list of PathNode
        In display order (a node is followed by its suppliers, largest first).
    """
    m = result.matrices
    row = result.indicator_codes.index(indicator)
    per_unit = unit_impacts(result)[row]
    total = float(result.direct[row].sum())
    scale = abs(total) if total else 1.0
    tech = m.technosphere.tocsc()
    nodes: list[PathNode] = []

    def visit(j: int, amount: float, depth: int) -> None:
        impact = float(per_unit[j] * amount)
        nodes.append(
            PathNode(
                depth,
                m.activities[j],
                m.activity_names[j],
                m.activity_units[j],
                amount,
                impact,
                impact / scale if total else 0.0,
            )
        )
        if depth >= max_depth:
            return
        runs = float(amount / tech[j, j])  # times the activity runs to make `amount`
        column = tech.getcol(j)
        children = [
            (int(i), float(-v * runs)) for i, v in zip(column.indices, column.data, strict=True) if i != j
        ]
        children = [(i, a) for i, a in children if abs(per_unit[i] * a) >= cutoff * scale]
        children.sort(key=lambda c: -abs(per_unit[c[0]] * c[1]))
        for i, a in children[:max_children]:
            visit(i, a, depth + 1)

    for j in np.flatnonzero(result.demand):
        visit(int(j), float(result.demand[j]), 0)
    return nodes
