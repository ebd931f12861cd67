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
has not converged yet, or, when the factors fill past :data:`DENSE_FILL` of a dense matrix
(random-like loops), one for the whole group with the factors stored dense
(:class:`DenseFactors`).

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
#: A loop's sparse factors filled past this share of a dense matrix are applied dense
#: (:class:`DenseFactors`): random-like loops fill to about a quarter.
DENSE_FILL = 0.1
#: ... when the dense factors take at most this many bytes (a loop of up to 4,096 activities).
DENSE_BYTES = 128 * 2**20
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


class DenseFactors:
    """A loop's SuperLU factors, ``Pr A Pc = L U``, stored dense and applied to all the
    right-hand sides of a group at once (LAPACK's triangular solves, BLAS level 3).

    The factors are SuperLU's, not a dense factorisation of their own: the same on every
    computer and thread count. Each column's arithmetic depends only on that column (a
    triangular solve never mixes right-hand sides), so an iteration's numbers do not depend
    on the others of its group; checked bit for bit on 1 and 2 BLAS threads in the tests.
    ``lu`` may be a :class:`Transposed` (the factors of ``A^T`` solving with ``A``).
    """

    def __init__(self, lu: spla.SuperLU | Transposed):
        self.transposed = isinstance(lu, Transposed)
        own = lu.lu if self.transposed else lu
        self.perm_r, self.perm_c = own.perm_r, own.perm_c
        # L's unit diagonal is implied, so L and U share one array (as LAPACK's getrf does)
        self.factors = (sp.tril(own.L, -1) + own.U).toarray(order="F")

    @staticmethod
    def pays(lu: spla.SuperLU | Transposed) -> bool:
        """Whether ``lu``'s factors are filled enough, and small enough, to apply dense."""
        own = lu.lu if isinstance(lu, Transposed) else lu
        size = own.shape[0]
        return own.L.nnz + own.U.nnz >= DENSE_FILL * size * size and 8 * size * size <= DENSE_BYTES

    def solve(self, b: np.ndarray) -> np.ndarray:
        """``A^-1 b`` for ``b`` of shape ``(size, columns)``."""
        f = self.factors
        y = np.empty_like(b, order="F")
        if self.transposed:  # A = Pc U^T L^T Pr
            y[self.perm_c] = b
            y = solve_triangular(f, y, trans="T", check_finite=False, overwrite_b=True)
            y = solve_triangular(
                f, y, trans="T", lower=True, unit_diagonal=True, check_finite=False, overwrite_b=True
            )
            return y[self.perm_r]
        y[self.perm_r] = b  # A = Pr^T L U Pc^T
        y = solve_triangular(f, y, lower=True, unit_diagonal=True, check_finite=False, overwrite_b=True)
        y = solve_triangular(f, y, check_finite=False, overwrite_b=True)
        return y[self.perm_c]


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
        self.dense = DenseFactors(lu) if DenseFactors.pays(lu) else None

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

        Dense factors solve every column of the group at once, and so do the sparse factors
        of a loop of :data:`MULTI_COLUMN` activities or more. Smaller sparse ones solve the
        active columns one at a time: SciPy's SuperLU is faster one right-hand side at a time
        than with many at once there. Either way each column's arithmetic depends on that
        column alone (checked on 1 and 2 BLAS threads in the tests).
        """
        if self.dense is not None:
            return self.dense.solve(residual.reshape(self.size, -1)).reshape(residual.shape)
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
