"""Sparse linear systems solved for a whole batch of Monte Carlo iterations at once.

A :class:`BatchedSystem` holds the *structure* of ``M x = b`` (which entries exist) and
solves it for a chunk of iterations whose entry *values* differ per iteration. The
structure is analysed once:

- the dependency graph (``x[row]`` needs ``x[col]`` for each off-diagonal entry) is
  condensed into strongly connected components and ordered into levels (Kahn's
  algorithm on the condensation): a component only needs components of earlier levels;
- an acyclic system (the common case: no loops) is then solved by substitution level by
  level, each level a handful of NumPy operations over all its activities and all
  iterations at once: ``x[L] = (b[L] - sum of M[L, c] x[c]) / M[L, L]``;
- a small loop (a component of at most :data:`DENSE_LOOP` activities) is solved exactly by
  batched dense LU (:func:`numpy.linalg.solve` on a ``(iterations, m, m)`` stack), after the
  same substitution brings in what it receives from earlier levels;
- a larger loop, of any size, by refinement preconditioned with its deterministic sparse
  factorisation, with an exact fallback (:class:`~lca.uncertainty.loops.SparseLoop`).

Nothing here loops over iterations (except for the rare fallbacks); the Python loop runs
over levels. An iteration whose system is singular is an error naming it.

Examples
--------
>>> import numpy as np
>>> # 2 x0 = 4 ; x1 - 0.5 x0 = 0  (x1 needs x0): two iterations, entry 2 varies
>>> system = BatchedSystem(2, rows=[0, 1, 1], cols=[0, 1, 0])
>>> values = np.array([[2.0, 2.0], [1.0, 1.0], [-0.5, -1.0]])
>>> rhs = np.array([[[4.0, 4.0]], [[0.0, 0.0]]])
>>> system.solve(values, rhs)[:, 0, :].tolist()
[[2.0, 2.0], [1.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from lca import collector
from lca.errors import InventoryError
from lca.uncertainty.loops import SparseLoop

#: Largest loop (activities in one strongly connected component) solved by batched dense LU;
#: larger ones are refined from their sparse factorisation.
DENSE_LOOP = 24


@dataclass(frozen=True)
class _Level:
    nodes: np.ndarray  # activities solved by substitution at this level
    entries: np.ndarray  # off-diagonal entries whose row is one of nodes
    cols: np.ndarray  # their columns
    gather: sp.csr_matrix  # len(nodes) x len(entries), ones: sums entries per row


@dataclass(frozen=True)
class _Loop:
    nodes: np.ndarray  # activities of the component, in local order
    inner: np.ndarray  # entries with row and col in the component (diagonal included)
    inner_rows: np.ndarray  # local row and col of each inner entry
    inner_cols: np.ndarray
    outer: np.ndarray  # entries with row inside, col outside
    outer_cols: np.ndarray
    gather: sp.csr_matrix  # len(nodes) x len(outer)
    sparse: SparseLoop | None  # for a loop larger than DENSE_LOOP


class BatchedSystem:
    """The structure of a sparse system ``M x = b`` solved for many iterations at once.

    Parameters
    ----------
    size : int
        Number of unknowns.
    rows, cols : sequence of int
        Position of each entry (duplicates add up, as in a COO matrix). The values are
        given to :meth:`solve` in the same order.
    reference : sequence of float, optional
        The deterministic value of each entry; needed when the system has a loop larger
        than :data:`DENSE_LOOP` (its factorisation preconditions the iterations).
    """

    def __init__(
        self, size: int, rows: Sequence[int], cols: Sequence[int], reference: Sequence[float] | None = None
    ):
        self.size = int(size)
        self.reference = None if reference is None else np.asarray(reference, dtype=float)
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        on_diagonal = self.rows == self.cols
        self._diag_entries = np.flatnonzero(on_diagonal)
        self._diag_gather = _gather(self.rows[self._diag_entries], self.size)
        off = ~on_diagonal
        component, generation = _generations(self.size, self.rows[off], self.cols[off])
        sizes = np.bincount(component)
        self.has_loops = bool((sizes > 1).any())
        single = sizes[component] == 1
        # off-diagonal entries of single activities, grouped by the generation of their row
        entries = np.flatnonzero(off & single[self.rows])
        entries = entries[np.argsort(generation[self.rows[entries]], kind="stable")]
        entry_generation = generation[self.rows[entries]]
        self.steps: list[_Level | _Loop] = []
        with collector.paused():  # a database's levels are thousands of small matrices
            for g in range(int(generation.max()) + 1 if self.size else 0):
                members = np.flatnonzero(generation == g)
                nodes = members[single[members]]
                if len(nodes):
                    lo, hi = np.searchsorted(entry_generation, [g, g + 1])
                    self.steps.append(self._level(nodes, entries[lo:hi]))
                for c in np.unique(component[members[~single[members]]]):
                    self.steps.append(self._loop(np.flatnonzero(component == c)))

    @property
    def loop_group(self) -> int:
        """Iterations refined together by the largest group of its large loops (1 when none):
        a power of 2, so a multiple of every other loop's group."""
        groups = [step.sparse.group for step in self.steps if isinstance(step, _Loop) and step.sparse]
        return max(groups, default=1)

    def _level(self, nodes: np.ndarray, entries: np.ndarray) -> _Level:
        """Single activities solved by substitution, and their off-diagonal ``entries``."""
        local = np.full(self.size, -1)
        local[nodes] = np.arange(len(nodes))
        return _Level(nodes, entries, self.cols[entries], _gather(local[self.rows[entries]], len(nodes)))

    def _loop(self, nodes: np.ndarray) -> _Loop:
        local = np.full(self.size, -1)
        local[nodes] = np.arange(len(nodes))
        row_in = local[self.rows] >= 0
        col_in = local[self.cols] >= 0
        inner = np.flatnonzero(row_in & col_in)
        outer = np.flatnonzero(row_in & ~col_in)
        sparse = None
        if len(nodes) > DENSE_LOOP:
            if self.reference is None:
                raise ValueError("a loop larger than DENSE_LOOP needs the reference values")
            sparse = SparseLoop(
                len(nodes), local[self.rows[inner]], local[self.cols[inner]], self.reference[inner]
            )
        return _Loop(
            nodes,
            inner,
            local[self.rows[inner]],
            local[self.cols[inner]],
            outer,
            self.cols[outer],
            _gather(local[self.rows[outer]], len(nodes)),
            sparse,
        )

    def solve(
        self, values: np.ndarray, rhs: np.ndarray, first: int = 0, fallbacks: list[int] | None = None
    ) -> np.ndarray:
        """Solve for every right-hand side and iteration.

        Parameters
        ----------
        values : numpy.ndarray
            Entry values, shape ``(entries, iterations)``.
        rhs : numpy.ndarray
            Right-hand sides, shape ``(size, sides, iterations)``.
        first : int
            Number of the first iteration in the run (0-based): errors name iterations by it,
            and large loops group iterations on it.
        fallbacks : list of int, optional
            Receives the numbers of the iterations that a large loop solved by their own
            factorisation (see :mod:`lca.uncertainty.loops`).

        Returns
        -------
        numpy.ndarray
            ``x`` with the shape of ``rhs``.

        Raises
        ------
        InventoryError
            When an iteration's system is singular (a zero production, or a loop that
            consumes all it makes), naming the first such iteration.
        """
        fallbacks = [] if fallbacks is None else fallbacks
        size, sides, count = rhs.shape
        x = np.empty_like(rhs)
        diag = (self._diag_gather @ values[self._diag_entries]).reshape(size, 1, count)
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero production: named below
            for step in self.steps:
                if isinstance(step, _Level):
                    acc = rhs[step.nodes]
                    if len(step.entries):
                        flows = values[step.entries][:, None, :] * x[step.cols]
                        acc = acc - (step.gather @ flows.reshape(len(step.entries), -1)).reshape(acc.shape)
                    x[step.nodes] = acc / diag[step.nodes]
                else:
                    x[step.nodes] = self._solve_loop(step, values, rhs, x, first, fallbacks)
        finite = np.isfinite(x).all(axis=(0, 1))
        if not finite.all():
            k = int(np.flatnonzero(~finite)[0])
            raise InventoryError(
                f"Monte Carlo iteration {first + k + 1}: the technosphere drawn is singular "
                "(a zero production, or a loop that consumes all it makes)"
            )
        return x

    @staticmethod
    def _solve_loop(
        step: _Loop, values: np.ndarray, rhs: np.ndarray, x: np.ndarray, first: int, fallbacks: list[int]
    ) -> np.ndarray:
        m = len(step.nodes)
        _, sides, count = rhs.shape
        acc = rhs[step.nodes]
        if len(step.outer):
            flows = values[step.outer][:, None, :] * x[step.outer_cols]
            acc = acc - (step.gather @ flows.reshape(len(step.outer), -1)).reshape(acc.shape)
        if step.sparse is not None:  # (a loop that is the whole system: its entries as they are)
            inner = values if len(step.inner) == len(values) else values[step.inner]
            return step.sparse.solve(inner, acc, first, fallbacks)
        dense = np.zeros((count, m, m))
        np.add.at(dense, (slice(None), step.inner_rows, step.inner_cols), values[step.inner].T)
        try:
            solved = np.linalg.solve(dense, acc.transpose(2, 0, 1))  # (iterations, m, sides)
        except np.linalg.LinAlgError:
            for k in range(count):  # name the first singular iteration
                if np.linalg.matrix_rank(dense[k]) < m:
                    break
            raise InventoryError(
                f"Monte Carlo iteration {first + k + 1}: a loop of {m} activities of the "
                "technosphere drawn is singular (it consumes all it makes)"
            ) from None
        return solved.transpose(1, 2, 0)


def _generations(size: int, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strongly connected component of each unknown, and its generation in the condensation.

    ``x[row]`` needs ``x[col]`` for each off-diagonal entry: a component's generation is 0
    when it needs no other, else one more than the largest generation it needs (Kahn's
    algorithm, one NumPy step per generation).
    """
    count, component = csgraph.connected_components(
        sp.csr_matrix((np.ones(len(rows)), (cols, rows)), shape=(size, size)),
        directed=True,
        connection="strong",
    )
    source, target = component[cols], component[rows]
    across = source != target
    edges = np.unique(np.stack([source[across], target[across]]), axis=1)
    needs = np.bincount(edges[1], minlength=count)
    order = np.argsort(edges[0], kind="stable")
    starts = np.searchsorted(edges[0][order], np.arange(count + 1))
    targets = edges[1][order]
    level = np.full(count, -1, dtype=np.int64)
    frontier = np.flatnonzero(needs == 0)
    g = 0
    while len(frontier):
        level[frontier] = g
        lengths = starts[frontier + 1] - starts[frontier]
        taken = targets[np.repeat(starts[frontier], lengths) + _ranges(lengths)]
        needs -= np.bincount(taken, minlength=count)
        frontier = np.unique(taken[needs[taken] == 0])
        g += 1
    return component, level[component]


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """``[0, 1, .., l0 - 1, 0, 1, .., l1 - 1, ...]`` for the given lengths."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total) - offsets


def _gather(rows: np.ndarray, size: int) -> sp.csr_matrix:
    """A ``size x len(rows)`` matrix of ones that sums entries into their rows."""
    rows = np.asarray(rows, dtype=np.int64)
    count = len(rows)
    # built in CSR form directly (no COO conversion: thousands of levels at database scale)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size), out=indptr[1:])
    indices = np.argsort(rows, kind="stable")
    return sp.csr_matrix((np.ones(count), indices, indptr), shape=(size, count))
