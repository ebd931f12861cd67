"""Deterministic matrix LCA: supply, impacts and contributions.

Supply ``s`` solves ``A s = f``; impacts are ``h = C B s`` (Heijungs & Suh 2002). The
technosphere is factorised once (sparse LU) and reused for every demand, so loops and
large background systems cost one factorisation.

Phase attribution: an activity with a phase contributes its own direct impacts plus the
impacts of the background activities (no phase: grid mixes, transport modes) that its
inputs pull, computed exactly through the background block of A. The phase
contributions therefore add up to the total.

Examples
--------
>>> from lca.model.records import Model, Activity, Exchange, FunctionalUnit
>>> m = Model("tiny")
>>> _ = m.add_activity(Activity("grid", "electricity", None, "kWh",
...                             exchanges=[Exchange("GWP", 57, "g CO2 eq")]))
>>> _ = m.add_activity(Activity("job", "job", "training", "run",
...                             exchanges=[Exchange("grid", 1000, "kWh")]))
>>> m.functional_unit = FunctionalUnit("job", 1, "run")
>>> round(solve(m).total("GWP").magnitude, 6)
57.0
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pint
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from lca import collector
from lca.compile import Matrices, build_matrices
from lca.errors import InventoryError, LcaWarning, Problem
from lca.model.records import BACKGROUND, PHASES, Model
from lca.units import Q_, format_unit

if TYPE_CHECKING:
    import pandas as pd

#: A technosphere whose condition number (rows and columns scaled to 1) is above this is
#: refused: its solution could carry relative errors up to about cond x 2.2e-16 (2e-4).
MAX_CONDITION = 1e12


class Solver:
    """A factorised technosphere, reused for many demands.

    Parameters
    ----------
    matrices : Matrices
        The compiled inventory.
    """

    def __init__(self, matrices: Matrices):
        self.matrices = matrices
        self._lu = factorise(matrices.technosphere, "technosphere", matrices.activities, _gross(matrices))
        self._unit_background = _background_unit_impacts(matrices)

    def supply(self, demand: np.ndarray) -> np.ndarray:
        """Scaling vector ``s`` with ``A s = demand``.

        A negative supply (a loop that consumes more than it makes, or a negative exchange
        that is not a waste or an avoided product) is computed, with an :class:`LcaWarning`
        naming the activities.
        """
        supply = self._lu.solve(np.asarray(demand, dtype=float))
        if not np.all(np.isfinite(supply)):
            raise InventoryError("the technosphere has no finite solution for this demand")
        _warn_negative(self.matrices, supply)
        return supply

    def unit_impacts(self) -> np.ndarray:
        """Indicators x activities: cumulative impacts of one reference unit of each product.

        Column j is ``C B A^-1 e_j``, one transposed solve per indicator.
        """
        m = self.matrices
        cb = (m.characterisation @ m.biosphere).toarray()
        return self._lu.solve(np.ascontiguousarray(cb.T), trans="T").T

    def solve(self, demand: Mapping[str, float] | np.ndarray | None = None) -> Result:
        """Result for ``demand`` (activity code -> amount; default: the functional unit)."""
        m = self.matrices
        vector = demand if isinstance(demand, np.ndarray) else m.demand_vector(demand)
        supply = self.supply(vector)
        cb = (m.characterisation @ m.biosphere).toarray()  # indicators x activities
        with np.errstate(over="ignore", invalid="ignore"):
            direct = cb * supply[None, :]
            attributed = _attribute(m, supply, direct, self._unit_background, vector)
        _check_finite(m, direct, attributed)
        return Result(m, vector, supply, direct, attributed)


@dataclass(frozen=True)
class Result:
    """A deterministic result.

    Attributes
    ----------
    matrices : Matrices
    demand, supply : numpy.ndarray
        f and s (activity reference units).
    direct : numpy.ndarray
        Indicators x activities: each activity's own flows, characterised.
    attributed : numpy.ndarray
        Indicators x activities: phased activities carry the background they pull;
        background activities keep only what the demand asks of them directly.
    """

    matrices: Matrices
    demand: np.ndarray
    supply: np.ndarray
    direct: np.ndarray
    attributed: np.ndarray

    @property
    def indicator_codes(self) -> list[str]:
        """Indicator codes, in row order."""
        return [i.code for i in self.matrices.indicators]

    def totals(self) -> dict[str, pint.Quantity]:
        """Total per indicator, as pint quantities."""
        sums = self.direct.sum(axis=1)
        return {i.code: Q_(float(v), i.unit) for i, v in zip(self.matrices.indicators, sums, strict=True)}

    def total(self, indicator: str) -> pint.Quantity:
        """Total of one indicator."""
        return self.totals()[indicator]

    def by_phase(self) -> dict[str, dict[str, pint.Quantity]]:
        """``{phase: {indicator: quantity}}``, phases in life-cycle order."""
        table = self.phase_table(units_in_header=False)
        return {
            phase: {i.code: Q_(float(table.loc[phase, i.code]), i.unit) for i in self.matrices.indicators}
            for phase in table.index
        }

    def phase_table(self, units_in_header: bool = True, *, missing_as_nan: bool = False) -> pd.DataFrame:
        """Phase x indicator table (background attributed to phases); row 'total' last.

        With ``missing_as_nan``, a cell with no data (:meth:`coverage` ``"none"``) is NaN
        instead of 0; a partial cell keeps its value (a lower bound).
        """
        m = self.matrices
        labels = np.array(m.phases)
        order = [p for p in (*PHASES, BACKGROUND) if p in set(labels)]
        rows = {}
        for phase in order:
            values = self.attributed[:, labels == phase].sum(axis=1)
            if phase == BACKGROUND and not np.any(values):
                continue
            rows[phase] = values
        rows["total"] = self.direct.sum(axis=1)
        import pandas as pd  # imported when a table is asked for: a faster start-up

        frame = pd.DataFrame(rows, index=self.indicator_codes).T
        frame.index.name = "phase"
        if missing_as_nan:
            frame = frame.mask(self.coverage(list(frame.index)) == "none")
        if units_in_header:
            frame.columns = [f"{i.code} [{format_unit(i.unit)}]" for i in m.indicators]
        frame.index.name = "phase"
        return frame

    def contributions(self) -> pd.DataFrame:
        """Tidy table: one row per activity and indicator.

        Columns: ``activity``, ``name``, ``phase``, ``indicator``, ``unit``, ``supply``
        (in the activity's reference unit), ``direct`` and ``attributed`` impacts.
        """
        m = self.matrices
        n_ind, n_act = self.direct.shape
        import pandas as pd

        return pd.DataFrame(
            {
                "activity": np.tile(m.activities, n_ind),
                "name": np.tile(m.activity_names, n_ind),
                "phase": np.tile(m.phases, n_ind),
                "indicator": np.repeat(self.indicator_codes, n_act),
                "unit": np.repeat([format_unit(i.unit) for i in m.indicators], n_act),
                "supply": np.tile(self.supply, n_ind),
                "direct": self.direct.ravel(),
                "attributed": self.attributed.ravel(),
            }
        )

    def activity_total(self, code: str, indicator: str, attributed: bool = True) -> pint.Quantity:
        """One activity's contribution to one indicator."""
        j = self.matrices.index[code]
        i = self.indicator_codes.index(indicator)
        ind = self.matrices.indicators[i]
        table = self.attributed if attributed else self.direct
        return Q_(float(table[i, j]), ind.unit)

    def coverage(self, rows: Sequence[str] | None = None) -> pd.DataFrame:
        """Row x indicator: whether each result has all its data, some, or none.

        An activity that declares an indicator missing (``Activity.missing``) contributes
        nothing to it. A row (a phase, ``"total"``, or an activity code) gathers the
        activities it is made of: a phase's activities and the background they pull, an
        activity and its background, every activity for the total; only those the demand
        uses (non-zero supply) count.

        Returns
        -------
        pandas.DataFrame
            ``"complete"`` (no activity of the row lacks the indicator), ``"partial"``
            (some do, and the others give a value: it is a lower bound) or ``"none"``
            (the value is 0 and some activity lacks the data: no data, never a zero).
            Rows default to those of :meth:`phase_table`.

        Examples
        --------
        >>> from lca.model.records import Model, Activity, Exchange, FunctionalUnit
        >>> m = Model("gap")
        >>> _ = m.add_activity(Activity("grid", "grid", None, "kWh", missing=("WATER",),
        ...     exchanges=[Exchange("GWP", 0.1, "kg CO2 eq")]))
        >>> _ = m.add_activity(Activity("cooling", "cooling", "training", "run",
        ...     exchanges=[Exchange("WATER", 5, "L")]))
        >>> _ = m.add_activity(Activity("job", "job", "training", "run", exchanges=[
        ...     Exchange("grid", 10, "kWh"), Exchange("cooling", 1, "run")]))
        >>> _ = m.add_activity(Activity("serve", "serve", "deployment", "run",
        ...     exchanges=[Exchange("grid", 1, "kWh")]))
        >>> _ = m.add_activity(Activity("fu", "fu", None, "run", exchanges=[
        ...     Exchange("job", 1, "run"), Exchange("serve", 1, "run")]))
        >>> m.functional_unit = FunctionalUnit("fu", 1, "run")
        >>> result = solve(m)
        >>> result.coverage()[["GWP", "WATER"]].to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
        {'training': {'GWP': 'complete', 'WATER': 'partial'},
         'deployment': {'GWP': 'complete', 'WATER': 'none'},
         'total': {'GWP': 'complete', 'WATER': 'partial'}}
        """
        m = self.matrices
        table = self.phase_table(units_in_header=False)
        labels = list(table.index) if rows is None else list(rows)
        codes = self.indicator_codes
        import pandas as pd

        frame = pd.DataFrame("complete", index=pd.Index(labels, name="phase"), columns=codes)
        used = self.supply != 0
        phases = np.array(m.phases)
        background = phases == BACKGROUND
        index = m.index
        for code, acts in m.missing.items():
            if code not in codes:
                continue
            own = np.zeros(len(m.activities), dtype=bool)
            own[[index[a] for a in acts if a in index]] = True
            lacking = _lacking_through_background(m, own & used, background) & used
            i = codes.index(code)
            for label in labels:
                if label == "total":
                    hit = bool(np.any(own & used))
                elif label == BACKGROUND:
                    hit = bool(np.any(lacking & background & (self.demand != 0)))
                elif label in index:
                    hit = bool(lacking[index[label]])
                else:
                    hit = bool(np.any(lacking & (phases == label)))
                if hit:
                    value = self._row_value(label, table, i)
                    frame.loc[label, code] = "partial" if value != 0 else "none"
        return frame

    def _row_value(self, label: str, table: pd.DataFrame, i: int) -> float:
        if label in table.index:
            return float(table.iloc[list(table.index).index(label), i])
        return float(self.attributed[i, self.matrices.index[label]])

    def missing(self) -> dict[str, list[str]]:
        """Indicator -> activities in the supply chain whose data lack it."""
        index = self.matrices.index
        return {
            code: [a for a in acts if self.supply[index[a]] != 0]
            for code, acts in self.matrices.missing.items()
            if any(self.supply[index[a]] != 0 for a in acts)
        }


def solve(model: Model | Matrices, demand: Mapping[str, float] | None = None) -> Result:
    """Compile (if needed) and solve ``model`` for ``demand`` (default: its functional unit)."""
    matrices = model if isinstance(model, Matrices) else build_matrices(model)
    with collector.paused():  # a database's analysis makes many objects and no cycles
        return Solver(matrices).solve(demand)


# -- internals --------------------------------------------------------------------------------
def _lacking_through_background(m: Matrices, own: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Activities that lack data themselves (``own``) or pull, through the background, a
    background activity that does (the attribution of :meth:`Result.phase_table`)."""
    uses = abs(sp.csr_matrix(m.technosphere))
    uses.setdiag(0)
    consumers = uses.T.tocsr()  # row j: what j uses
    lacking = own.copy()
    frontier = own & background
    while frontier.any():
        new = (consumers @ frontier.astype(float) > 0) & ~lacking
        lacking |= new
        frontier = new & background
    return lacking


def _check_finite(m: Matrices, direct: np.ndarray, attributed: np.ndarray) -> None:
    """A located error when an impact overflows the floats (a huge amount somewhere)."""
    for table in (direct, attributed):
        bad = np.argwhere(~np.isfinite(table))
        if len(bad):
            i, j = bad[0]
            raise InventoryError(
                f"activity '{m.activities[j]}': its {m.indicators[i].code} impact is {table[i, j]} "
                "(too large for a float); check its amounts and those of what it uses for a huge number"
            )


def factorise(
    matrix: sp.spmatrix, what: str, labels: Sequence[str], gross: np.ndarray | None = None
) -> spla.SuperLU | BlockSubstitution:
    """Sparse LU of a technosphere, refused when it is singular or nearly so.

    From :data:`LARGE_SYSTEM` activities on, the matrix is not factorised whole: its loops
    (strongly connected blocks) are, and the acyclic rest is solved by substitution
    (:class:`BlockSubstitution`, the same ``solve(b, trans)``). A database's technosphere
    is mostly acyclic around one large loop, and a whole LU fills in across it (ten seconds
    for the 20,000 activities of ``benchmarks/ecoinvent_shaped.py``, under one this way).

    Singularity is tested numerically where it can arise, in the loops: each strongly
    connected block of two or more activities must have a condition number (rows and
    columns scaled to 1, :func:`condition_number`) below :data:`MAX_CONDITION`, and each
    activity's net production (the diagonal) must not be a cancellation of ``gross``
    amounts below 1/:data:`MAX_CONDITION` of them (an activity that consumes nearly all it
    makes). Acyclic parts are solved by substitution, accurately whatever their amounts, so
    a long supply chain of large amounts is never refused. A refusal names the loop.

    Parameters
    ----------
    matrix : scipy.sparse matrix
        Square technosphere (or a block of it).
    what : str
        Its name in messages.
    labels : sequence of str
        Activity code of each column.
    gross : numpy.ndarray, optional
        Sum of the magnitudes of the entries added up on each diagonal position
        (production and self-consumption).
    """
    a = sp.csc_matrix(matrix)
    problem = _ill_conditioned(a, what, labels, gross)
    if problem is not None:
        raise InventoryError(problem)
    if a.shape[0] >= LARGE_SYSTEM:
        return BlockSubstitution(a, what, labels)
    try:
        return splu(a)
    except RuntimeError:  # "Factor is exactly singular"
        raise InventoryError(_singular(what, _culprit(a, labels), np.inf)) from None


class BlockSubstitution:
    """``A x = b`` solved through the strongly connected blocks of ``A``, as SuperLU's ``solve``.

    Acyclic parts by substitution level by level, each loop by its own sparse LU (the
    deterministic case of :class:`~lca.uncertainty.batched.BatchedSystem`, one iteration).
    The transposed system (``trans="T"``, for cumulative impacts per unit) is analysed when
    first asked for.
    """

    def __init__(self, a: sp.csc_matrix, what: str, labels: Sequence[str]):
        coo = a.tocoo()
        self._entries = (coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(float))
        self._what, self._labels, self._size = what, labels, a.shape[0]
        self._systems: dict[str, object] = {}

    def _system(self, trans: str):
        from lca.uncertainty.batched import BatchedSystem

        if trans not in self._systems:
            rows, cols, values = self._entries
            if trans == "T":
                rows, cols = cols, rows
            self._systems[trans] = BatchedSystem(self._size, rows, cols, reference=values)
        return self._systems[trans]

    def solve(self, b: np.ndarray, trans: str = "N") -> np.ndarray:
        """``x`` with ``A x = b`` (``A^T x = b`` for ``trans="T"``); ``b`` a vector or columns."""
        b = np.asarray(b, dtype=float)
        rhs = b.reshape(self._size, -1)[:, :, None]
        try:
            x = self._system(trans).solve(self._entries[2][:, None], rhs)[:, :, 0]
        except InventoryError:
            a = sp.csc_matrix((self._entries[2], self._entries[:2]), shape=(self._size, self._size))
            raise InventoryError(_singular(self._what, _culprit(a, self._labels), np.inf)) from None
        return x.reshape(b.shape)


#: From this many activities on, factorise with the minimum degree ordering of A + A^T.
LARGE_SYSTEM = 2000


def splu(a: sp.csc_matrix, minimum_degree: bool | None = None) -> spla.SuperLU:
    """SuperLU; for a large system, the minimum degree ordering of ``A + A^T`` and the diagonal
    preferred as pivot.

    SuperLU's default column ordering (COLAMD) can fill the factors of a database-sized
    technosphere (thousands of activities around a few markets) to nearly dense: 150 million
    entries and minutes for the 20,000 activities of ``benchmarks/ecoinvent_shaped.py``,
    3.7 million and seconds this way. Productions on the diagonal make it a good pivot
    (threshold 0.01). Small systems keep SuperLU's defaults, unless ``minimum_degree``.
    """
    if not (a.shape[0] >= LARGE_SYSTEM if minimum_degree is None else minimum_degree):
        return spla.splu(a)
    return spla.splu(a, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.01)


def _ill_conditioned(
    a: sp.csc_matrix, what: str, labels: Sequence[str], gross: np.ndarray | None
) -> Problem | None:
    count, component = csgraph.connected_components(a, directed=True, connection="strong")
    sizes = np.bincount(component, minlength=count)
    for c in np.flatnonzero(sizes > 1):
        nodes = np.flatnonzero(component == c)
        block = sp.csc_matrix(a[nodes][:, nodes])
        members = [str(labels[j]) for j in nodes]
        try:
            cond = condition_number(block, _loop_lu(block))
        except RuntimeError:
            cond = np.inf
        if not cond <= MAX_CONDITION:
            return _singular(what, members, cond)
    if gross is not None:
        net = np.abs(a.diagonal())
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(net > 0, gross / net, np.inf)
        worst = int(np.argmax(ratio)) if len(ratio) else 0
        if len(ratio) and not ratio[worst] <= MAX_CONDITION:
            return _singular(what, [str(labels[worst])], float(ratio[worst]))
    return None


def _loop_lu(block: sp.csc_matrix):
    """The LU of a loop: a large one through :func:`lca.uncertainty.loops.factorise`, which keeps
    it for the substitution and the Monte Carlo that solve the same loop next."""
    from lca.uncertainty.batched import DENSE_LOOP

    if block.shape[0] <= DENSE_LOOP:
        return splu(block)
    from lca.uncertainty.loops import factorise as factorise_loop

    return factorise_loop(block)


def condition_number(a: sp.csc_matrix, lu: spla.SuperLU) -> float:
    """1-norm condition number estimate of ``R a C`` (rows, then columns scaled to max 1).

    The scaling makes it independent of the units the activities are written in (a kWh
    activity beside a t*km one); :func:`scipy.sparse.linalg.onenormest` estimates the norm
    of the inverse from a few solves with the factorisation ``lu`` of ``a``.
    """
    n = a.shape[0]
    if n == 0:
        return 1.0
    magnitude = abs(a)
    rows = np.asarray(magnitude.max(axis=1).todense()).ravel()
    if not np.all(rows > 0):
        return np.inf
    r = 1.0 / rows
    cols = np.asarray((sp.diags(r) @ magnitude).max(axis=0).todense()).ravel()
    if not np.all(cols > 0):
        return np.inf
    c = 1.0 / cols
    scaled = sp.diags(r) @ magnitude @ sp.diags(c)
    norm = float(abs(scaled).sum(axis=0).max())
    inverse = spla.LinearOperator(
        (n, n),
        matvec=lambda x: lu.solve(np.asarray(x, dtype=float).ravel() / r) / c,
        rmatvec=lambda y: lu.solve(np.asarray(y, dtype=float).ravel() / c, trans="T") / r,
        dtype=float,
    )
    with np.errstate(all="ignore"):
        inv_norm = float(spla.onenormest(inverse)) if n > 1 else float(abs(inverse.matvec(np.ones(1))[0]))
    return norm * inv_norm if np.isfinite(inv_norm) else np.inf


def _singular(what: str, members: Sequence[str], cond: float) -> Problem:
    """The problem of a singular technosphere, naming the loop whose block is at fault."""
    shown = ", ".join(f"'{m}'" for m in members[:8])
    if len(members) > 8:
        shown += f" and {len(members) - 8} more"
    where = f" in the loop of {shown}" if len(members) > 1 else f" at {shown}" if members else ""
    state = "singular" if not np.isfinite(cond) else f"nearly singular (condition number {cond:.3g})"
    return Problem(
        "",
        f"the {what} matrix is {state}{where}: an activity produces nothing net there (a loop that "
        "consumes all it makes, or a production of 0); results would be wrong, so none are given",
        value=cond,
        expected=f"a condition number below {MAX_CONDITION:.0e}",
    )


def _culprit(a: sp.csc_matrix, labels: Sequence[str]) -> list[str]:
    """Members of the first strongly connected block of ``a`` that is exactly singular.

    ``a`` is block triangular in the order of its strongly connected components, so it is
    singular exactly when one of its diagonal blocks is.
    """
    count, component = csgraph.connected_components(a, directed=True, connection="strong")
    for c in np.argsort(np.bincount(component, minlength=count), kind="stable"):
        nodes = np.flatnonzero(component == c)
        try:
            splu(sp.csc_matrix(a[nodes][:, nodes]))
        except RuntimeError:
            return [str(labels[j]) for j in nodes]
    return []


def _gross(m: Matrices) -> np.ndarray | None:
    """Sum of the magnitudes of the entries on each diagonal position of A (None if unknown)."""
    if m.tech_values is None:
        return None
    on = m.tech_rows == m.tech_cols
    return np.bincount(m.tech_rows[on], weights=np.abs(m.tech_values[on]), minlength=len(m.activities))


def _warn_negative(m: Matrices, supply: np.ndarray) -> None:
    scale = float(np.abs(supply).max()) if len(supply) else 0.0
    negative = np.flatnonzero(supply < -1e-12 * scale)
    if not len(negative):
        return
    shown = ", ".join(
        f"'{m.activities[j]}' ({supply[j]:.4g} {m.activity_units[j]})" for j in negative[:5]
    ) + (f" and {len(negative) - 5} more" if len(negative) > 5 else "")
    warnings.warn(
        LcaWarning(
            f"negative supply of {shown}: a loop consumes more than it makes, or a negative exchange "
            "pulls it (an avoided product; a waste goes to a treatment with a negative production); "
            "check the signs if neither is meant"
        ),
        stacklevel=3,
    )


def _background_unit_impacts(m: Matrices) -> np.ndarray | None:
    """Indicators x background activities: impacts per unit of each background product."""
    background = np.array([p == BACKGROUND for p in m.phases])
    if not background.any():
        return None
    a_gg = m.technosphere[background][:, background]
    cb = (m.characterisation @ m.biosphere).toarray()[:, background]
    labels = [code for code, b in zip(m.activities, background, strict=True) if b]
    gross = _gross(m)
    lu = factorise(
        a_gg, "background block of the technosphere", labels, None if gross is None else gross[background]
    )
    # (C B_G A_GG^-1) = solve(A_GG^T, (C B_G)^T)^T
    return lu.solve(np.ascontiguousarray(cb.T), trans="T").T


def _attribute(
    m: Matrices,
    supply: np.ndarray,
    direct: np.ndarray,
    unit_background: np.ndarray | None,
    demand: np.ndarray,
) -> np.ndarray:
    if unit_background is None:
        return direct.copy()
    background = np.array([p == BACKGROUND for p in m.phases])
    attributed = np.zeros_like(direct)
    # what each phased activity asks of the background: -A_GF s_F
    asked = -(m.technosphere[background][:, ~background]).toarray() * supply[~background][None, :]
    attributed[:, ~background] = direct[:, ~background] + unit_background @ asked
    # the background demanded directly by the functional unit stays background
    attributed[:, background] = unit_background * demand[background][None, :]
    return attributed
