"""Drawing the uncertain inputs of a compiled inventory, as arrays.

An *input* is anything drawn once per iteration: an independent parameter with a
distribution, or a numeric exchange amount with its own distribution. Every input is a
column of a draws array of shape ``(iterations, inputs)`` (Fortran order, so that each
column is contiguous), in SI base units, like the compiled parameters.

Draws are made in two steps. First *standard draws*: a standard normal ``z`` for a
normal or lognormal input (NumPy's normal generator in random sampling; the normal
quantile :func:`scipy.special.ndtri` of a stratified uniform in Latin hypercube
sampling), a uniform in (0, 1) for the others. Then each column's transformation:
``loc + scale * z``, ``exp(loc + scale * z)`` for a lognormal (``loc = ln(median)``: the
median is the amount of the data file), the inverse CDF of a uniform or triangular.

Reproducibility whatever the chunk size: standard draws are made per *block* of iterations
(``block_rows`` rows, fixed by the number of inputs, never by the chunk size), and
block ``b`` has its own stream ``PCG64(SeedSequence(entropy, spawn_key=(b,)))``. A chunk
of iterations ``[start, stop)`` takes the rows it needs from the blocks it overlaps, so
the same seed gives the same numbers for any chunking. With Latin hypercube sampling
(:class:`scipy.stats.qmc.LatinHypercube`) each block is a Latin hypercube of its own
rows (the last block has the remaining rows): a run of at most ``block_rows``
iterations is one exact Latin hypercube; a longer one is stratified block by block.

Examples
--------
>>> from lca.model.uncertainty import Uncertainty
>>> u = Uncertainty.from_spec({"distribution": "uniform", "min": 1, "max": 3}, 2.0, "x")
>>> space = InputSpace(("x",), (u,), ("parameter 'x'",))
>>> draws = UniformStream(space.gaussian, seed=1).uniforms(0, 4)
>>> x = space.transform(draws)
>>> x.shape, bool(((1 <= x) & (x <= 3)).all())
((4, 1), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy.special import ndtri

from lca.compile import Matrices
from lca.errors import UncertaintyError
from lca.model.uncertainty import LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM, Uncertainty

#: Sampling methods accepted by :func:`lca.uncertainty.propagation.monte_carlo`.
SAMPLING_METHODS = ("random", "lhs")
#: Largest block of iterations drawn from one stream, and the memory of one block.
MAX_BLOCK_ROWS = 16384
BLOCK_VALUES = 1 << 20
_TINY = 2.0**-60  # keeps uniforms inside (0, 1) so that normal quantiles stay finite
_BELOW_ONE = 1.0 - 2.0**-53

RandomState = np.random.Generator | int | None


@dataclass(frozen=True)
class InputSpace:
    """The uncertain inputs of a model, one column each.

    Attributes
    ----------
    names : tuple of str
        A parameter name, or an exchange label such as
        ``"activity 'grid', exchange 1 (input 'GWP') amount"``.
    uncertainties : tuple of Uncertainty
        Each input's distribution, in SI base units.
    wheres : tuple of str
        Where each input is defined, for error messages.
    """

    names: tuple[str, ...]
    uncertainties: tuple[Uncertainty, ...]
    wheres: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of inputs (columns of a draws array)."""
        return len(self.names)

    def subset(self, columns: Sequence[int]) -> InputSpace:
        """The inputs at ``columns``, in that order."""
        return InputSpace(
            tuple(self.names[c] for c in columns),
            tuple(self.uncertainties[c] for c in columns),
            tuple(self.wheres[c] for c in columns),
        )

    @cached_property
    def _groups(self) -> list[tuple[np.ndarray, dict[str, np.ndarray], Any]]:
        """Columns of each distribution kind, with their fields as arrays (built once)."""
        kinds = np.array([unc.kind for unc in self.uncertainties], dtype=int)
        groups = []
        for kind in np.unique(kinds):
            cols = np.flatnonzero(kinds == kind)
            uncs = [self.uncertainties[c] for c in cols]
            fields = {
                "loc": np.array([x.loc for x in uncs]),
                "scale": np.array([x.scale for x in uncs]),
                "low": np.array([x.minimum for x in uncs]),
                "high": np.array([x.maximum for x in uncs]),
                "sign": np.array([-1.0 if x.negative else 1.0 for x in uncs]),
            }
            groups.append((cols, fields, _INVERSE_CDF[int(kind)]))
        return groups

    @property
    def gaussian(self) -> np.ndarray:
        """True for the columns drawn through a standard normal (normal, lognormal)."""
        return np.array([unc.kind in (NORMAL, LOGNORMAL) for unc in self.uncertainties], dtype=bool)

    def standardise(self, uniforms: np.ndarray) -> np.ndarray:
        """Standard draws from uniforms in (0, 1): the normal quantile on gaussian columns."""
        u = np.array(uniforms, dtype=float, order="F", copy=True)
        cols = np.flatnonzero(self.gaussian)
        if len(cols):
            u[:, cols] = ndtri(np.clip(u[:, cols], _TINY, _BELOW_ONE))
        return u

    def transform(self, standard: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Values (base units) from standard draws, column by column.

        ``standard`` has shape ``(iterations, inputs)``: a standard normal draw for a
        normal or lognormal column (:attr:`gaussian`), a uniform in (0, 1) for the others
        (inverse CDF). The result has the same shape, Fortran order (or is ``out``).
        """
        z = np.asfortranarray(standard, dtype=float)
        if z.ndim != 2 or z.shape[1] != self.size:
            raise UncertaintyError(f"draws have shape {z.shape}, expected (iterations, {self.size})")
        if out is None:
            out = np.empty_like(z, order="F")
        for cols, fields, inverse in self._groups:
            if len(cols) == self.size:
                inverse(z, fields, out)
            elif len(cols) <= 32:  # a few columns: work on views, no gather or scatter
                for n, c in enumerate(cols):
                    one = {key: value[n : n + 1] for key, value in fields.items()}
                    inverse(z[:, c : c + 1], one, out[:, c : c + 1])
            else:
                part = np.empty((z.shape[0], len(cols)), order="F")
                inverse(z[:, cols], fields, part)
                out[:, cols] = part
        return out


def _lognormal(z: np.ndarray, f: dict[str, np.ndarray], out: np.ndarray) -> None:
    np.multiply(z, f["scale"], out=out)
    out += f["loc"]
    np.exp(out, out=out)
    if (f["sign"] < 0).any():
        out *= f["sign"]


def _normal(z: np.ndarray, f: dict[str, np.ndarray], out: np.ndarray) -> None:
    np.multiply(z, f["scale"], out=out)
    out += f["loc"]


def _uniform(u: np.ndarray, f: dict[str, np.ndarray], out: np.ndarray) -> None:
    np.multiply(u, f["high"] - f["low"], out=out)
    out += f["low"]


def _triangular(u: np.ndarray, f: dict[str, np.ndarray], out: np.ndarray) -> None:
    a, b, c = f["low"], f["high"], f["loc"]
    width = b - a
    split = (c - a) / width  # the CDF at the mode
    left = a + np.sqrt(u * (width * (c - a)))
    right = b - np.sqrt((1.0 - u) * (width * (b - c)))
    np.copyto(out, np.where(u < split, left, right))


_INVERSE_CDF = {LOGNORMAL: _lognormal, NORMAL: _normal, UNIFORM: _uniform, TRIANGULAR: _triangular}


class UniformStream:
    """Standard draws for iterations ``[start, stop)``, independent of chunking.

    A column is a standard normal draw where ``gaussian`` is True (normal and
    lognormal inputs: drawn directly with NumPy's normal generator in random sampling,
    as the normal quantile of a stratified uniform in Latin hypercube sampling) and a
    uniform in (0, 1) elsewhere.

    Parameters
    ----------
    size : int or numpy.ndarray of bool
        Number of inputs (all uniform), or the ``gaussian`` mask of the columns.
    seed : numpy.random.Generator, int or None
        An int is the seed; a Generator gives one 128-bit seed from its stream; None
        takes fresh entropy (kept in :attr:`entropy` so that the run can be repeated).
    sampling : {"random", "lhs"}
        Plain random sampling, or Latin hypercube per block.
    iterations : int, optional
        Total number of iterations; Latin hypercube needs it to size the last block.
    """

    def __init__(
        self, size: int | np.ndarray, seed: RandomState = None, sampling: str = "random", iterations: int = 0
    ):
        if sampling not in SAMPLING_METHODS:
            raise UncertaintyError(f"sampling is '{sampling}', expected one of {', '.join(SAMPLING_METHODS)}")
        if sampling == "lhs" and iterations <= 0:
            raise UncertaintyError("Latin hypercube sampling needs the total number of iterations")
        mask = np.zeros(int(size), dtype=bool) if np.ndim(size) == 0 else np.asarray(size, dtype=bool)
        self.size = len(mask)
        self._gaussian = np.flatnonzero(mask)
        self._uniform = np.flatnonzero(~mask)
        self.sampling = sampling
        self.iterations = int(iterations)
        self.entropy = _entropy(seed)
        self.block_rows = block_rows(self.size)
        self._cached: tuple[int, np.ndarray] | None = None
        self._buffer: np.ndarray | None = None

    def uniforms(self, start: int, stop: int) -> np.ndarray:
        """Standard draws of shape ``(stop - start, size)``, Fortran order."""
        rows = self.block_rows
        if self.sampling == "random" and start % rows == 0 and stop - start == rows:
            # exactly one block: drawn in place, no copy (the same numbers as below)
            out = np.empty((rows, self.size), order="F")
            self._draw_random(start // rows, out.T)
            return out
        out = np.empty((stop - start, self.size), order="F")
        for block in range(start // rows, (stop - 1) // rows + 1 if stop > start else 0):
            first = block * rows
            values = self._block(block)
            lo, hi = max(start, first), min(stop, first + values.shape[0])
            out[lo - start : hi - start] = values[lo - first : hi - first]
        return out

    def _block(self, block: int) -> np.ndarray:
        if self._cached is not None and self._cached[0] == block:
            return self._cached[1]
        rows = self.block_rows
        if self.sampling == "lhs":
            from scipy.stats import qmc  # 0.3 s to import: only for Latin hypercube sampling

            gen = self._generator(block)
            rows = min(rows, self.iterations - block * rows)
            values = (
                qmc.LatinHypercube(d=self.size, rng=gen).random(rows) if self.size else np.empty((rows, 0))
            )
            if len(self._gaussian):
                values[:, self._gaussian] = ndtri(np.clip(values[:, self._gaussian], _TINY, _BELOW_ONE))
        else:
            # one buffer, reused block after block (uniforms() copies out of it)
            if self._buffer is None:
                self._buffer = np.empty((self.size, rows))
            self._draw_random(block, self._buffer)
            values = self._buffer.T
        self._cached = (block, values)
        return values

    def _generator(self, block: int) -> np.random.Generator:
        seq = np.random.SeedSequence(self.entropy, spawn_key=(block,))
        return np.random.Generator(np.random.PCG64(seq))

    def _draw_random(self, block: int, both: np.ndarray) -> None:
        """Fill ``both`` (inputs x block rows, C order) with block ``block``'s draws."""
        gen = self._generator(block)
        rows = self.block_rows
        if not len(self._uniform):
            gen.standard_normal(out=both)  # each input's draws contiguous
        elif not len(self._gaussian):
            gen.random(out=both)
        else:
            both[self._uniform] = gen.random((len(self._uniform), rows))
            both[self._gaussian] = gen.standard_normal((len(self._gaussian), rows))


def _entropy(seed: RandomState) -> int:
    if isinstance(seed, np.random.Generator):
        high, low = seed.integers(0, 2**63, size=2)
        return int(high) << 63 | int(low)
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise UncertaintyError(f"seed is {seed!r}, expected a non-negative integer, a Generator or None")
    return int(seed)


def draw(space: InputSpace, iterations: int, rng: RandomState = None, sampling: str = "random") -> np.ndarray:
    """``iterations`` draws of every input of ``space``, shape ``(iterations, inputs)``.

    Values are in SI base units; the same ``rng`` seed gives the same array.

    Examples
    --------
    >>> from lca.model.uncertainty import Uncertainty
    >>> u = Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.5}, 150.0, "gpu")
    >>> x = draw(InputSpace(("gpu",), (u,), ("gpu",)), 20001, rng=3)
    >>> bool(abs(np.median(x) / 150 - 1) < 0.01)
    True
    """
    stream = UniformStream(space.gaussian, rng, sampling, iterations)
    return space.transform(stream.uniforms(0, iterations))


def block_rows(size: int) -> int:
    """Iterations per seeded block for ``size`` inputs (about a million values a block)."""
    return int(np.clip(BLOCK_VALUES // max(size, 1), 1, MAX_BLOCK_ROWS))


def input_space(matrices: Matrices) -> tuple[InputSpace, tuple[tuple[str, Any], ...]]:
    """The uncertain inputs of ``matrices`` and, for each, what it is.

    Returns the :class:`InputSpace` and a key per input: ``("parameter", name)`` or
    ``("technosphere" | "biosphere", entry index)`` for an exchange's own distribution.
    """
    names, uncs, wheres, keys = [], [], [], []
    params = matrices.parameters
    for name in params.independent:
        if name in params.uncertainties:
            names.append(name)
            uncs.append(params.uncertainties[name])
            wheres.append(f"parameter '{name}'")
            keys.append(("parameter", name))
    drawn = []
    for matrix, amounts in (("technosphere", matrices.tech_amounts), ("biosphere", matrices.bio_amounts)):
        for e, amount in enumerate(amounts):
            unc = None if amount is None else amount.numerator.uncertainty
            if unc is not None and unc.is_uncertain:
                drawn.append(amount)
                uncs.append(unc)
                keys.append((matrix, e))
    labels = _Labels(tuple(names), tuple(drawn))
    return InputSpace(labels, tuple(uncs), _Labels(tuple(wheres), labels.amounts)), tuple(keys)


class _Labels(Sequence[str]):
    """Input labels, an exchange's (``"<where> amount"``) made when it is read.

    An inventory on a database has hundreds of thousands of uncertain exchanges: their labels
    are only read for the inputs kept or named in an error.
    """

    def __init__(self, first: tuple[str, ...], amounts: tuple[Any, ...]):
        self.first, self.amounts = first, amounts

    def __len__(self) -> int:
        return len(self.first) + len(self.amounts)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        i = range(len(self))[index]
        if i < len(self.first):
            return self.first[i]
        return f"{self.amounts[i - len(self.first)].where} amount"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash((self.first, len(self.amounts)))
