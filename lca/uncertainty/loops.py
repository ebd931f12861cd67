"""Large loops of the technosphere, solved for a chunk of Monte Carlo iterations at once.

A loop (a strongly connected component of the technosphere: electricity, transport and
metals supplying each other) of ``m`` activities is factorised once, at its deterministic
values ``A0`` (sparse LU, SuperLU). Iteration ``k`` draws its own matrix ``A_k`` (same
entries, other values) and right-hand side ``b_k``; its solution is reached by iterative
refinement preconditioned with that factorisation (Golub & Van Loan, *Matrix
Computations*, 4th ed., section 3.5.3):

    x <- x + A0^-1 (b_k - A_k x)

which converges when the drawn matrix is close enough to the deterministic one (the
spectral radius of ``I - A0^-1 A_k`` below 1; each step gains the digits that radius
allows). All the iterations of a group are refined together: one sparse product over the
loop's entries per step for all of them, then the triangular solves: one per iteration that
has not converged yet, or, when it is cheaper (random-like loops, whose factors fill to a
fifth of a dense matrix), one for the whole group with the factors split into a sparse and
a dense block (:class:`BlockFactors`).

An iteration converges when every right-hand side has a relative residual
``||b - A_k x|| / ||b||`` at most :data:`TOLERANCE`. One that does not within
:data:`MAX_STEPS` steps (a draw far from the deterministic matrix) is solved exactly by a
sparse factorisation of its own matrix, counted as a *fallback*; an iteration whose own
matrix is singular is an error that names it.

Reproducibility: iterations are refined in groups of a size fixed by the loop (a power of
2, :data:`GROUP_SIZE` divided by the loop's size, 8 to 256), aligned on the iteration
number (iterations ``[8g, 8g + 8)`` for groups of 8), and a converged iteration is never
updated again, so an iteration's numbers do not depend on the chunk it was drawn in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.linalg import solve_triangular

from lca.errors import InventoryError
from lca.solve import splu

#: Largest relative residual of a converged iteration.
TOLERANCE = 1e-10
#: Refinement steps before an iteration falls back to its own factorisation.
MAX_STEPS = 40
#: Entries (loop size x iterations) refined together: a group of iterations is
#: GROUP_SIZE // size of them (a power of 2, 8 to 256), aligned on the iteration number.
GROUP_SIZE = 1 << 16
#: Cost of applying one entry of a sparse block of the factors to a right-hand side (a sparse
#: matrix product), and one entry of SuperLU's own solve, against one entry of a dense
#: triangular solve (:class:`BlockFactors`): 0.17, 0.33 and 0.06 ns on the benchmark machine
#: (one thread, 64 to 128 columns).
SPARSE_COST = 3.0
SUPERLU_COST = 5.0
#: Largest side of a dense block of the factors (128 MiB).
DENSE_SIDE = 4096
#: Columns (rows) added at a time to the inverses of the leading blocks (:func:`split`).
INVERSE_PANEL = 256
#: Sparse factors of a loop this large solve a group's columns in one call (SuperLU's
#: level-3 path): 510 against 632 us a column on the 6,000-activity core of
#: benchmarks/ecoinvent_shaped.py; smaller loops are faster a column at a time.
MULTI_COLUMN = 4096


def factorise(matrix: sp.spmatrix) -> spla.SuperLU | Transposed:
    """Sparse LU of a loop, minimum degree ordering (:func:`lca.solve.splu`); ``RuntimeError``
    when singular. Its factors are applied tens of times per iteration: the sparser the better.

    The last few factorisations are kept: the deterministic solve, its transposed solves and
    the singularity test of :mod:`lca.solve` each need the same loop's LU (or its
    transpose's, which is the same LU solved with ``trans="T"``), and a database's loop of
    thousands of activities takes a second to factorise.
    """
    a = _canonical(sp.csc_matrix(matrix))
    key = _key(a)
    if key in _FACTORS:
        return _FACTORS[key]
    transposed = _key(_canonical(a.T.tocsc()))
    if transposed in _FACTORS:
        lu = _FACTORS[transposed]
        return lu.lu if isinstance(lu, Transposed) else Transposed(lu)
    lu = splu(a, minimum_degree=True)
    _FACTORS[key] = lu
    while len(_FACTORS) > 4:
        _FACTORS.pop(next(iter(_FACTORS)))
    return lu


class Transposed:
    """The LU of ``A`` used as that of ``A^T`` (``solve`` with the other ``trans``)."""

    def __init__(self, lu: spla.SuperLU):
        self.lu = lu

    def solve(self, b: np.ndarray, trans: str = "N") -> np.ndarray:
        """``x`` with ``A^T x = b`` (``A x = b`` for ``trans="T"``)."""
        return self.lu.solve(b, trans="N" if trans == "T" else "T")


_FACTORS: dict[tuple, spla.SuperLU] = {}


class BlockFactors:
    """A loop's SuperLU factors, ``Pr A Pc = L U``, applied in two blocks to all the
    right-hand sides of a group at once.

    Split at pivot ``k``, ``L = [L11 0; L21 L22]`` and ``U = [U11 U12; 0 U22]``. A minimum
    degree ordering eliminates first the activities that make little fill, so ``L11`` and
    ``U11`` are nearly diagonal and their inverses stay sparse, while the last pivots fill
    ``L22`` and ``U22`` to a dense block (the trailing 150 of the 300 activities of a random
    loop hold 84% of its factors). The leading blocks are applied as sparse matrix products
    (``L11^-1``, ``L21``, ``U12``, ``U11^-1``), the trailing one by LAPACK's triangular
    solves (BLAS level 3) on a dense array; ``k`` is chosen to minimise the cost of one
    solve (:func:`split`), from 0 (all dense) to the size of the loop (all sparse).

    The factors are SuperLU's, not a factorisation of their own: the same on every computer
    and thread count. Each column's arithmetic depends only on that column (a sparse
    product and a triangular solve never mix right-hand sides), so an iteration's numbers do
    not depend on the others of its group; checked bit for bit on 1 and 2 BLAS threads in
    the tests. ``lu`` may be a :class:`Transposed` (the factors of ``A^T`` solving with
    ``A``, with the transposed blocks).
    """

    def __init__(self, lu: spla.SuperLU | Transposed, plan: Split):
        self.transposed = isinstance(lu, Transposed)
        own = lu.lu if self.transposed else lu
        lower, upper = own.L.tocsc(), own.U.tocsc()
        self.k = k = plan.k
        l11, u11 = plan.inverses
        l21, u12 = lower[k:, :k], upper[:k, k:]
        # L's unit diagonal is implied, so L22 and U22 share one array (as LAPACK's getrf does)
        self.trailing = (sp.tril(lower[k:, k:], -1) + upper[k:, k:]).toarray(order="F")
        if self.transposed:  # A = Pc U^T L^T Pr: U^T first, then L^T
            first, into, after, back = u11.T, u12.T, l11.T, l21.T
            self.order, self.restore = np.argsort(own.perm_c), own.perm_r
        else:  # A = Pr^T L U Pc^T
            first, into, after, back = l11, l21, u11, u12
            self.order, self.restore = np.argsort(own.perm_r), own.perm_c
        self.first, self.into, self.after, self.back = (sp.csr_matrix(m) for m in (first, into, after, back))

    def solve(self, b: np.ndarray) -> np.ndarray:
        """``A^-1 b`` for ``b`` of shape ``(size, columns)`` (C order)."""
        k = self.k
        y = b[self.order]
        top = self.first @ y[:k]
        low = np.asfortranarray(y[k:] - self.into @ top)
        if len(low):
            f = self.trailing
            if self.transposed:
                low = solve_triangular(f, low, trans="T", check_finite=False, overwrite_b=True)
                low = solve_triangular(
                    f, low, trans="T", lower=True, unit_diagonal=True, check_finite=False, overwrite_b=True
                )
            else:
                low = solve_triangular(
                    f, low, lower=True, unit_diagonal=True, check_finite=False, overwrite_b=True
                )
                low = solve_triangular(f, low, check_finite=False, overwrite_b=True)
        z = np.empty_like(y)
        z[k:] = low
        z[:k] = self.after @ (top - self.back @ z[k:])
        return z[self.restore]


@dataclass(frozen=True)
class Split:
    """Where :class:`BlockFactors` split a loop's factors: pivot ``k``, the cost of a solve
    (entries of a dense triangular solve), and the inverses of ``L11`` and ``U11``."""

    k: int
    cost: float
    inverses: tuple[sp.csr_matrix, sp.csr_matrix]


def split(lower: sp.csc_matrix, upper: sp.csc_matrix, k: int | None = None, limit: float = np.inf) -> Split:
    """The pivot ``k`` that splits ``L`` and ``U`` into sparse leading and dense trailing
    blocks at the least cost of a solve (or the given ``k``); see :class:`BlockFactors`.
    A split that cannot cost less than ``limit`` is not looked for (cost infinite).

    The cost counts the trailing block's ``(n - k)^2`` entries, and the leading blocks'
    non-zeros at :data:`SPARSE_COST` each. The inverses of ``L11`` and ``U11`` are computed
    a panel of columns at a time for growing ``k`` (the leading block of a triangular
    matrix's inverse is the inverse of its leading block), until no larger ``k`` can cost
    less: their non-zeros only grow, and are at least those of ``L11`` and ``U11``. Both the
    trailing block and the inverses are held dense: ``k`` and ``n - k`` at most
    :data:`DENSE_SIDE`. The inverses are made by LAPACK's triangular solves on identity
    columns (the same bits on any number of threads; LAPACK's own inversion is not).
    """
    n = lower.shape[0]
    ks = np.arange(n + 1)
    lo, up = lower.tocoo(), upper.tocoo()
    # entries of L21 (row >= k > col) and U12 (col >= k > row), for every k at once
    crossing = np.zeros(n + 2)
    np.add.at(crossing, lo.col + 1, 1.0)
    np.add.at(crossing, lo.row + 1, -1.0)
    np.add.at(crossing, up.row + 1, 1.0)
    np.add.at(crossing, up.col + 1, -1.0)
    crossing = np.cumsum(crossing)[: n + 1]
    leading = _prefix(lo.row, n) + _prefix(up.col, n)  # non-zeros of L11 and U11
    possible = (ks == k) if k is not None else (ks <= DENSE_SIDE) & (n - ks <= DENSE_SIDE)
    bound = (n - ks) ** 2.0 + SPARSE_COST * (crossing + leading)
    if not possible.any() or bound[possible].min() >= limit:
        return Split(0, np.inf, (sp.csr_matrix((0, 0)), sp.csr_matrix((0, 0))))
    kmax = int(np.flatnonzero(possible)[-1])
    # U's inverse is grown as that of U^T, a lower triangle too
    upper_t = upper.T.tocsc()
    inverse_l, inverse_ut = np.zeros((kmax, kmax), order="F"), np.zeros((kmax, kmax), order="F")
    cost = np.full(n + 1, np.inf)
    cost[0] = n * n + SPARSE_COST * crossing[0] if possible[0] else np.inf
    counted = 0.0  # non-zeros of the inverses so far
    for j0 in range(0, kmax, INVERSE_PANEL):
        j1 = min(j0 + INVERSE_PANEL, kmax)
        _grow_inverse(lower, inverse_l, j0, j1, unit=True)
        _grow_inverse(upper_t, inverse_ut, j0, j1, unit=False)
        # the non-zeros of the inverses of the leading blocks of sides j0 + 1 .. j1
        rows = np.count_nonzero(inverse_l[j0:j1, :j1], axis=1) + np.count_nonzero(
            inverse_ut[j0:j1, :j1], axis=1
        )
        inverses = counted + np.cumsum(rows)
        counted = float(inverses[-1])
        known = slice(j0 + 1, j1 + 1)
        cost[known] = np.where(
            possible[known], (n - ks[known]) ** 2.0 + SPARSE_COST * (crossing[known] + inverses), np.inf
        )
        later = possible & (ks > j1)
        bound = (n - ks) ** 2.0 + SPARSE_COST * (crossing + np.maximum(leading, counted))
        if not later.any() or bound[later].min() >= min(cost.min(), limit):
            break
    best = int(np.argmin(cost))
    pair = (sp.csr_matrix(inverse_l[:best, :best]), sp.csr_matrix(inverse_ut[:best, :best].T))
    return Split(best, float(cost[best]), pair)


def _grow_inverse(triangle: sp.csc_matrix, inverse: np.ndarray, j0: int, j1: int, unit: bool) -> None:
    """Extend the inverse of the lower ``triangle[:j0, :j0]`` to side ``j1``, in place.

    With ``triangle[:j1, :j1] = [A 0; B C]``, the new rows of its inverse are
    ``[-C^-1 B A^-1, C^-1]``: ``B`` is sparse, ``C`` a small triangle, so sparse products and
    LAPACK's triangular solves only (the same bits on any number of threads; LAPACK's own
    inversion and dense products are not).
    """
    old, new = slice(0, j0), slice(j0, j1)
    rhs = np.zeros((j1 - j0, j1), order="F")
    rhs[:, j0:] = np.eye(j1 - j0)
    if j0:  # B A^-1, from the rows of A^-1 that B uses
        b = triangle[new, old].tocsc()
        used = np.flatnonzero(np.diff(b.indptr))
        rhs[:, :j0] = -(b[:, used] @ inverse[used, :j0])
    c = triangle[new, new].toarray(order="F")
    inverse[new, :j1] = solve_triangular(c, rhs, lower=True, unit_diagonal=unit, check_finite=False)


def _prefix(index: np.ndarray, n: int) -> np.ndarray:
    """For k = 0 .. n, how many of ``index`` are below k."""
    return np.concatenate([[0], np.cumsum(np.bincount(index, minlength=n)[:n])]).astype(float)


def block_factors(lu: spla.SuperLU | Transposed) -> BlockFactors | None:
    """:class:`BlockFactors` of ``lu`` when they solve faster than SuperLU itself (costs
    :data:`SPARSE_COST` and :data:`SUPERLU_COST`), else None."""
    own = lu.lu if isinstance(lu, Transposed) else lu
    limit = SUPERLU_COST * (own.L.nnz + own.U.nnz)
    plan = split(own.L.tocsc(), own.U.tocsc(), limit=limit)
    if not plan.cost <= limit:
        return None
    return BlockFactors(lu, plan)


def _canonical(a: sp.csc_matrix) -> sp.csc_matrix:
    a = a.copy()
    a.sum_duplicates()
    a.sort_indices()
    return a


def _key(a: sp.csc_matrix) -> tuple:
    return (a.shape, a.indptr.tobytes(), a.indices.tobytes(), a.data.tobytes())


class SparseLoop:
    """A loop of ``size`` activities with its entries at local ``rows`` and ``cols``.

    Parameters
    ----------
    size : int
    rows, cols : numpy.ndarray
        Local position of each entry of the loop (diagonal included).
    reference : numpy.ndarray
        The deterministic value of each entry: the factorised preconditioner.
    """

    def __init__(
        self, size: int, rows: np.ndarray, cols: np.ndarray, reference: np.ndarray, transposed: bool = False
    ):
        self.size = int(size)
        self.group = int(np.clip(2 ** int(np.log2(max(GROUP_SIZE // max(self.size, 1), 1))), 8, 256))
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        self.reference = np.asarray(reference, dtype=float)
        count = len(self.rows)
        self.gather = sp.csr_matrix((np.ones(count), (self.rows, np.arange(count))), shape=(size, count))
        matrix = self._matrix(reference)
        try:
            lu = factorise(matrix)
            if transposed and not isinstance(lu, Transposed):
                # a copy of a plan whose loop was solved with its transpose's factors (which
                # the cache held where the plan was made): the same factors here, the same numbers
                lu = Transposed(splu(_canonical(_canonical(matrix).T.tocsc()), minimum_degree=True))
        except RuntimeError:
            raise InventoryError(
                f"a loop of {size} activities of the technosphere is singular at its deterministic values"
            ) from None
        self.lu = lu
        self.blocks = block_factors(lu)

    def __reduce__(self) -> tuple[type[SparseLoop], tuple]:
        """Pickled as what builds it (a SuperLU object does not pickle): a copy loaded on a
        worker factorises the same matrix once (or its transpose, as here), with the same factors."""
        transposed = isinstance(self.lu, Transposed)
        return (SparseLoop, (self.size, self.rows, self.cols, self.reference, transposed))

    def _matrix(self, values: np.ndarray) -> sp.csc_matrix:
        return sp.csc_matrix((values, (self.rows, self.cols)), shape=(self.size, self.size))

    def product(self, values: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``A_k x_k`` for each iteration k: values ``(entries, n)``, x ``(size, sides, n)``."""
        flows = values[:, None, :] * x[self.cols]
        return (self.gather @ flows.reshape(len(self.cols), -1)).reshape(x.shape)

    def solve(self, values: np.ndarray, rhs: np.ndarray, first: int, fallbacks: list[int]) -> np.ndarray:
        """Solve each iteration's system; the numbers of those that fell back go to ``fallbacks``.

        Parameters
        ----------
        values : numpy.ndarray
            Entry values, ``(entries, count)``.
        rhs : numpy.ndarray
            ``(size, sides, count)``.
        first : int
            Number of the chunk's first iteration in the run (groups are aligned on it).
        """
        count = rhs.shape[2]
        x = np.empty_like(rhs)
        for start in range(first - first % self.group, first + count, self.group):
            lo, hi = max(start, first), min(start + self.group, first + count)
            local = np.arange(lo, hi) - first
            place = np.arange(lo, hi) - start
            if hi - lo == self.group:  # a whole group: its columns as they are
                columns = slice(lo - first, hi - first)
                group_values, group_rhs = values[:, columns], rhs[:, :, columns]
            else:  # a group not wholly in this chunk is padded with copies of its first iteration
                group_values = np.repeat(values[:, local[:1]], self.group, axis=1)
                group_values[:, place] = values[:, local]
                group_rhs = np.repeat(rhs[:, :, local[:1]], self.group, axis=2)
                group_rhs[:, :, place] = rhs[:, :, local]
            solved, converged = self._refine(group_values, group_rhs)
            x[:, :, local] = solved[:, :, place]
            for c, p in zip(local.tolist(), place.tolist(), strict=True):
                if not converged[p]:
                    x[:, :, c] = self._exact(values[:, c], rhs[:, :, c], first + c)
                    fallbacks.append(first + c)
        return x

    def _refine(self, values: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Refinement of a group; returns x and, per iteration, whether every side converged."""
        _, sides, count = rhs.shape
        scale = TOLERANCE * _norms(rhs)
        active = np.ones((sides, count), dtype=bool)
        x = self._precondition(rhs, active)
        failed = np.zeros((sides, count), dtype=bool)
        with np.errstate(all="ignore"):
            for _ in range(MAX_STEPS):
                residual = rhs - self.product(values, x)
                norms = _norms(residual)
                active &= ~(norms <= scale)
                failed |= active & ~(norms <= 1e6 * scale / TOLERANCE)  # diverging or not finite
                active &= ~failed
                if not active.any():
                    break
                x = np.where(active[None], x + self._precondition(residual, active), x)
        return x, ~(active | failed).any(axis=0)

    def _precondition(self, residual: np.ndarray, active: np.ndarray) -> np.ndarray:
        """``A0^-1 r`` for the active columns (any value elsewhere).

        Block factors solve every column of the group at once, and so do the sparse factors
        of a loop of :data:`MULTI_COLUMN` activities or more. Smaller sparse ones solve the
        active columns one at a time: SciPy's SuperLU is faster one right-hand side at a time
        than with many at once there. Either way each column's arithmetic depends on that
        column alone (checked on 1 and 2 BLAS threads in the tests).
        """
        if self.blocks is not None:
            return self.blocks.solve(residual.reshape(self.size, -1)).reshape(residual.shape)
        if self.size >= MULTI_COLUMN:  # every column of the group, each computed alone
            return self.lu.solve(np.asfortranarray(residual.reshape(self.size, -1))).reshape(residual.shape)
        out = np.zeros_like(residual)
        for side, k in zip(*np.nonzero(active), strict=True):
            out[:, side, k] = self.lu.solve(np.ascontiguousarray(residual[:, side, k]))
        return out

    def _exact(self, values: np.ndarray, rhs: np.ndarray, iteration: int) -> np.ndarray:
        """One iteration solved with its own factorisation (and refined with it)."""
        problem = InventoryError(
            f"Monte Carlo iteration {iteration + 1}: the technosphere drawn is singular (a loop of "
            f"{self.size} activities that consumes all it makes, or a zero production)"
        )
        try:
            lu = factorise(self._matrix(values))
        except RuntimeError:
            raise problem from None
        matrix = self._matrix(values)
        scale = TOLERANCE * _norms(rhs[:, :, None])[:, 0]
        with np.errstate(all="ignore"):
            x = lu.solve(rhs)
            for _ in range(3):
                residual = rhs - matrix @ x
                if np.all(_norms(residual[:, :, None])[:, 0] <= scale):
                    return x
                x = x + lu.solve(residual)
        raise problem


def _norms(x: np.ndarray) -> np.ndarray:
    """Euclidean norm over the first axis of ``(size, sides, n)``: ``(sides, n)``.

    The sum runs along the first axis, so each column's additions happen in the same order
    whatever the other columns (no pairwise summation across them).
    """
    return np.sqrt((x * x).sum(axis=0))
