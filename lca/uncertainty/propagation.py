"""Monte Carlo propagation: whole chunks of iterations drawn, evaluated and solved at once.

:class:`Propagator` compiles a :class:`~lca.compile.Matrices` once:

1. the inputs to draw (:func:`input_space`): independent parameters with a distribution
   and numeric exchange amounts with their own;
2. what varies: formula parameters that depend on a drawn one, and the matrix entries
   whose recipe (:class:`~lca.compile.CompiledAmount`) uses a drawn input. Only these
   are re-evaluated per chunk, on arrays of draws; the other entries keep their value;
3. the linear systems (:class:`~lca.uncertainty.batched.BatchedSystem`): the whole
   technosphere (supply) and its background block (phase attribution, as in
   :mod:`lca.solve`: a phased activity carries the background it pulls, computed
   through the background block, and background demanded by the functional unit stays
   background), and sparse weights that turn supplies into phase x indicator impacts.

Then :meth:`Propagator.run` evaluates chunks of iterations: draws ``(chunk, inputs)``,
formulas on arrays, entries, one batched solve for the supply and one for the
background, impacts per group (phase or tracked activity) and indicator.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from lca import collector
from lca.compile import CompiledAmount, Matrices, build_matrices
from lca.errors import InventoryError, UncertaintyError
from lca.model.records import BACKGROUND, PHASES, Model, suggest
from lca.solve import Result, Solver
from lca.uncertainty.batched import BatchedSystem
from lca.uncertainty.entries import EntryRecipes
from lca.uncertainty.memory import small_pages
from lca.uncertainty.results import MonteCarloResult, RowSpec
from lca.uncertainty.sampling import InputSpace, RandomState, UniformStream, block_rows, input_space
from lca.uncertainty.threads import beside_draws
from lca.units import Q_, format_unit

#: Memory a chunk of iterations may use for its working arrays.
CHUNK_BYTES = 48 * 2**20
MAX_CHUNK = 65536
#: Input draws are kept for sensitivity analysis up to this size.
KEEP_INPUT_BYTES = 512 * 2**20

Progress = Callable[[int, int], None]


class Propagator:
    """A compiled inventory ready for batched Monte Carlo.

    Parameters
    ----------
    matrices : Matrices
    demand : mapping of activity code to amount, optional
        Default: the functional unit.
    activities : sequence of str
        Activity codes whose attributed contribution is reported beside the phases.
    partition : bool
        Take the static background out of the per-iteration systems (see
        :meth:`_plan_systems`); False solves the whole technosphere every iteration (the
        same numbers, to rounding: for tests and benchmarks).
    """

    @collector.paused()  # a database's set-up makes millions of objects and no cycles
    def __init__(
        self,
        matrices: Matrices,
        demand: Mapping[str, float] | None = None,
        activities: Sequence[str] = (),
        partition: bool = True,
    ):
        self.partition = partition
        m = self.matrices = matrices
        self.demand = m.demand_vector(demand)
        self.solver = Solver(m)
        self.deterministic = self.solver.solve(self.demand)
        self.space, self.keys = input_space(m)
        self._column = {key: c for c, key in enumerate(self.keys)}
        self._parameter_columns = list(self._columns_of("parameter").items())
        self._plan_parameters()
        self.tech_values = np.array([_value(a, m) for a in m.tech_amounts], dtype=float)
        self._fill_production()
        self.bio_values = np.array([_value(a, m) for a in m.bio_amounts], dtype=float)
        self.tech_varying = [e for e, a in enumerate(m.tech_amounts) if self._varies(a, "technosphere", e)]
        self.bio_varying = [e for e, a in enumerate(m.bio_amounts) if self._varies(a, "biosphere", e)]
        self.rows = self._row_specs(activities)
        self._plan_systems()
        self._compact_entries()

    def __getstate__(self) -> dict[str, Any]:
        """The plan as a distributed run sends it (:mod:`lca.uncertainty.distributed`).

        Everything but the deterministic solver, which only planning uses (its SuperLU
        factorisation does not pickle); a large loop's own factorisation is made again where
        the plan is loaded (:class:`~lca.uncertainty.loops.SparseLoop`).
        """
        state = self.__dict__.copy()
        state.pop("solver", None)  # absent from a loaded copy
        return state

    # -- planning --------------------------------------------------------------------------
    def _columns_of(self, matrix: str) -> dict[int, int]:
        """Entry index -> input column, for the entries of ``matrix`` with their own draw."""
        return {key[1]: c for key, c in self._column.items() if key[0] == matrix}

    def _fill_production(self) -> None:
        """Production entries (no recipe): the diagonal of A minus other entries there."""
        m = self.matrices
        diagonal = m.technosphere.diagonal()
        production = np.array([a is None for a in m.tech_amounts])
        same = (m.tech_rows == m.tech_cols) & ~production
        others = np.bincount(m.tech_rows[same], weights=self.tech_values[same], minlength=len(diagonal))
        cols = m.tech_cols[production]
        self.tech_values[production] = diagonal[cols] - others[cols]

    def _plan_parameters(self) -> None:
        params = self.matrices.parameters
        drawn = {key[1] for key in self.keys if key[0] == "parameter"}
        self.varying_params = set(drawn)
        self.derived: list[str] = []
        for name in params.names:
            formula = params.formulas.get(name)
            if formula is not None and formula.names & self.varying_params:
                self.varying_params.add(name)
                self.derived.append(name)

    def _varies(self, amount: CompiledAmount | None, matrix: str, e: int) -> bool:
        if amount is None:
            return False
        if (matrix, e) in self._column:
            return True
        return any(x.formula is not None and x.formula.names & self.varying_params for x in amount.exprs)

    def _row_specs(self, activities: Sequence[str]) -> list[RowSpec]:
        m = self.matrices
        labels = np.array(m.phases)
        rows = [RowSpec(p, "phase", np.flatnonzero(labels == p)) for p in _phase_values(self.deterministic)]
        index = m.index
        for code in activities:
            if code not in index:
                raise InventoryError(f"Monte Carlo: no activity '{code}' to report{suggest(code, index)}")
            rows.append(RowSpec(code, "activity", np.array([index[code]])))
        return rows

    def _static_set(self, background: np.ndarray) -> np.ndarray:
        """Background activities whose whole supply chain is fixed (partitioned Monte Carlo).

        An activity is static when it has no phase, none of its entries varies, and every
        activity it uses is static: its cumulative impacts per unit are then the same in
        every iteration, computed once.
        """
        m = self.matrices
        fixed = background.copy()
        fixed[m.tech_cols[self.tech_varying]] = False
        fixed[m.bio_cols[self.bio_varying]] = False
        # everything downstream of an activity that is not fixed is not static
        return fixed & ~self._downstream(~fixed)

    def _downstream(self, starts: np.ndarray) -> np.ndarray:
        """Activities reached from ``starts`` (a mask, included) along "is used by" (an entry's
        row to its column), breadth first from one source linked to every start."""
        m = self.matrices
        n = len(m.activities)
        off = m.tech_rows != m.tech_cols
        first = np.flatnonzero(starts)
        rows = np.concatenate([m.tech_rows[off], np.full(len(first), n)])
        cols = np.concatenate([m.tech_cols[off], first])
        graph = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
        reached = np.zeros(n + 1, dtype=bool)
        reached[csgraph.breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
        return reached[:n]

    def _plan_systems(self) -> None:
        """The systems solved per iteration, with the static background taken out.

        The static set S (:meth:`_static_set`) uses only itself, so for any right-hand side
        ``r`` the impacts of ``A^-1 r`` are those of the rest V, solved per iteration, plus
        ``U_S (r_S - A_SV x_V)``, with ``U_S = C B_S A_SS^-1`` the cumulative impacts per
        unit of S (columns of :meth:`Solver.unit_impacts`), computed once.
        """
        m = self.matrices
        n = len(m.activities)
        background = np.array([p == BACKGROUND for p in m.phases])
        static = self._static_set(background) if self.varies and self.partition else np.zeros(n, dtype=bool)
        self.static_count = int(static.sum())
        unit = self.solver.unit_impacts() if static.any() else np.zeros((len(m.indicators), n))
        unit[:, ~static] = 0.0  # U_S, zero outside S
        keep = ~static
        n_ind, n_rows = len(m.indicators), len(self.rows)
        member = np.zeros((n_rows, n), dtype=bool)
        for g, row in enumerate(self.rows):
            member[g, row.activities] = True
        downstream = self._rows_make_total(background, keep, member) if self.partition else None
        self.rows_make_total = downstream is not None
        if downstream is None:
            downstream = np.zeros(n, dtype=bool)
            solved = keep
        else:  # the foreground's supply alone (and what uses it); the rows' solutions make the total
            solved = ~background | downstream
        v_index = np.full(n, -1)
        v_index[solved] = np.arange(int(solved.sum()))
        self.supply = _Block.build(m, self.tech_values, solved, v_index, unit)
        self.demand_v = self.demand[solved]
        self.total_fixed = unit @ self.demand  # U_S f_S
        cb = sp.csr_matrix(m.characterisation)
        fg = ~background[m.bio_cols]
        # direct part of each row: foreground bio entries of the row's activities
        ind_of = cb[:, m.bio_rows[self.supply.bio]].tocoo()  # indicators x bio entries of V
        cols_of = m.bio_cols[self.supply.bio]
        r, c, v = [], [], []
        for g in range(n_rows):
            keep_g = fg[self.supply.bio][ind_of.col] & member[g, cols_of[ind_of.col]]
            r.append(g * n_ind + ind_of.row[keep_g])
            c.append(ind_of.col[keep_g])
            v.append(ind_of.data[keep_g])
        self.direct_weights = sp.csr_matrix(
            (np.concatenate(v), (np.concatenate(r), np.concatenate(c))),
            shape=(n_rows * n_ind, len(self.supply.bio)),
        )
        self.has_background = bool(background.any())
        if not self.has_background:
            return
        upstream = background & ~downstream  # what the foreground asks of the background
        g_index = np.full(n, -1)
        g_index[upstream & keep] = np.arange(int((upstream & keep).sum()))
        self.background = _Block.build(m, self.tech_values, upstream & keep, g_index, unit)
        n_g = self.background.system.size
        # background asked by each row's foreground activities: -A_GF s_F; rows in S are
        # weighted by U_S at once, the others are right-hand sides of the background system
        self.asked_entries = np.flatnonzero(upstream[m.tech_rows] & ~background[m.tech_cols])
        self.asked_cols = v_index[m.tech_cols[self.asked_entries]]
        asked_rows = m.tech_rows[self.asked_entries]
        r, c, sr, sc, sv = [], [], [], [], []
        for g in range(n_rows):
            keep_g = member[g, m.tech_cols[self.asked_entries]]
            solved = keep_g & ~static[asked_rows]
            r.append(g_index[asked_rows[solved]] * n_rows + g)
            c.append(np.flatnonzero(solved))
            weighted = np.flatnonzero(keep_g & static[asked_rows])
            for i in range(n_ind):
                sr.append(np.full(len(weighted), g * n_ind + i))
                sc.append(weighted)
                sv.append(-unit[i, asked_rows[weighted]])
        rr, cc = np.concatenate(r), np.concatenate(c)
        self.asked_weights = sp.csr_matrix(
            (-np.ones(len(rr)), (rr, cc)), shape=(n_g * n_rows, len(self.asked_entries))
        )
        self.asked_static = sp.csr_matrix(
            (np.concatenate(sv), (np.concatenate(sr), np.concatenate(sc))),
            shape=(n_rows * n_ind, len(self.asked_entries)),
        )
        # background demanded directly by the functional unit, for rows holding it
        self.bg_demand = np.zeros((n_g, n_rows))
        self.bg_demand_fixed = np.zeros((n_rows, n_ind))
        for g in range(n_rows):
            held = member[g] & background
            self.bg_demand[g_index[held & keep], g] = self.demand[held & keep]
            self.bg_demand_fixed[g] = unit[:, held] @ self.demand[held]

    def _rows_make_total(
        self, background: np.ndarray, keep: np.ndarray, member: np.ndarray
    ) -> np.ndarray | None:
        """The background activities downstream of the foreground when the background's
        solutions for the rows add up to the whole system's; None when they do not.

        Then the supply is solved for the foreground and what uses it (``D``: a life cycle
        that sums the phases, say) and the total is their impacts plus the rows' background
        impacts (linearity): one solve of the background fewer per iteration. It holds when
        the rest of the varying background ``U`` asks nothing of ``D`` and the functional unit
        nothing of ``U``, no row holds a background activity, and every foreground activity is
        in exactly one row (phases, not tracked activities that overlap them).
        """
        m = self.matrices
        foreground = ~background
        if not (background & keep).any() or not member.size or member[:, background].any():
            return None
        if not np.all(member[:, foreground].sum(axis=0) == 1):
            return None
        downstream = self._downstream(foreground) & background  # D
        varying = background & keep & ~downstream
        if not varying.any():
            return None  # nothing upstream to solve per row: the whole supply is as small
        if np.any(varying[m.tech_rows] & downstream[m.tech_cols]):
            return None  # D asks U: that demand is no row's
        if np.any(self.demand[varying] != 0):
            return None
        return downstream

    def _compact_entries(self) -> None:
        """Recipes for the entries the per-iteration systems read, renumbered in their order.

        With a static background most entries are never read per iteration: only these are
        computed per chunk (``tech_needed``, ``bio_needed``: their indices in the matrices).
        """
        m = self.matrices
        blocks = [self.supply] + ([self.background] if self.has_background else [])
        tech = [b.entries for b in blocks] + [b.boundary for b in blocks]
        if self.has_background:
            tech.append(self.asked_entries)
        self.tech_needed = np.unique(np.concatenate(tech)).astype(np.int64)
        self.bio_needed = np.unique(np.concatenate([b.bio for b in blocks])).astype(np.int64)
        tech_pos = _positions(self.tech_needed, len(m.tech_rows))
        bio_pos = _positions(self.bio_needed, len(m.bio_rows))
        self.supply = self.supply.renumbered(tech_pos, bio_pos)
        if self.has_background:
            self.background = self.background.renumbered(tech_pos, bio_pos)
            self.asked_entries = tech_pos[self.asked_entries]
        self.tech_recipes = self._recipes("technosphere", m.tech_amounts, self.tech_values, self.tech_needed)
        self.bio_recipes = self._recipes("biosphere", m.bio_amounts, self.bio_values, self.bio_needed)

    def _recipes(
        self, matrix: str, amounts: Sequence[CompiledAmount | None], values: np.ndarray, needed: np.ndarray
    ) -> EntryRecipes:
        varying = self.tech_varying if matrix == "technosphere" else self.bio_varying
        pos = _positions(needed, len(amounts))
        # nothing static: the matrices' own order
        subset = amounts if len(needed) == len(amounts) else [amounts[e] for e in needed.tolist()]
        columns = {int(pos[e]): c for e, c in self._columns_of(matrix).items() if pos[e] >= 0}
        kept = [int(pos[e]) for e in varying if pos[e] >= 0]
        return EntryRecipes.build(subset, values[needed], kept, columns, self.space)

    @property
    def supply_system(self) -> BatchedSystem:
        """The system solved for the supply of the activities that are not static."""
        return self.supply.system

    # -- running ----------------------------------------------------------------------------
    @property
    def varies(self) -> bool:
        """True when some matrix entry depends on a drawn input."""
        return bool(self.tech_varying or self.bio_varying)

    def chunk_size(self) -> int:
        """Iterations per chunk so that the working arrays stay within :data:`CHUNK_BYTES`."""
        m = self.matrices
        n_rows = len(self.rows) + 1
        per_iteration = 8 * (
            4 * self.space.size
            + len(self.tech_needed)
            + 2 * len(self.bio_needed)
            + 3 * (len(m.activities) - self.static_count) * n_rows
            + 4 * n_rows * len(m.indicators)
            + 8 * len(self.varying_params)
        )
        budget = int(np.clip(CHUNK_BYTES // per_iteration, 16, MAX_CHUNK))
        rows = block_rows(self.space.size)
        # a chunk of exactly one seeded block is drawn in place (no copy): take it when it is
        # within a factor 2 of the memory budget
        chunk = rows if budget // 2 <= rows <= 2 * budget else budget
        # whole groups of a large loop's iterations (a group cut by the chunk is refined in
        # both chunks, padded: up to half the work again)
        systems = [self.supply.system] + ([self.background.system] if self.has_background else [])
        group = max(system.loop_group for system in systems)
        return chunk - chunk % group if chunk > group else chunk

    def entries(self, standard: np.ndarray, inputs: np.ndarray | None = None) -> DrawnEntries:
        """The matrix entries of a chunk of iterations, from their standard draws: the first
        half of :meth:`chunk` (a run makes the next chunk's in a second thread).

        ``standard`` has shape ``(chunk, inputs)``; ``inputs``, when given, receives the first
        ``inputs.shape[1]`` input draws (base units). Exchange amounts that are one lognormal
        times a factor are computed from the standard draw in one pass (``exp(loc +
        ln|factor| + sigma z)``, see :attr:`EntryRecipes.fused_columns`) and their inputs are
        not transformed, unless all the inputs are kept.
        """
        kept = 0 if inputs is None else inputs.shape[1]
        fused, needed, needed_space = self._fusion
        if kept == self.space.size and kept:
            return self._entry_values(self.space.transform(standard, out=inputs), None)
        if not len(fused):
            draws = self.space.transform(standard)
            if kept:
                inputs[:] = draws[:, :kept]
            return self._entry_values(draws, None)
        draws = np.empty_like(standard, order="F")
        if len(needed):
            draws[:, needed] = needed_space.transform(standard[:, needed])
        if kept:
            inputs[:] = draws[:, :kept]
        return self._entry_values(draws, standard)

    def _entry_values(self, draws: np.ndarray, standard: np.ndarray | None) -> DrawnEntries:
        if not self.varies:
            return DrawnEntries(draws, standard, None, None)
        env = self._environment(draws)
        tech = self.tech_recipes.evaluate(env, draws, standard, check=False)
        bio = self.bio_recipes.evaluate(env, draws, standard, check=False)
        return DrawnEntries(draws, standard, tech, bio)

    def impacts(self, drawn: DrawnEntries, first: int = 0, fallbacks: list[int] | None = None) -> np.ndarray:
        """Impacts of a chunk of iterations from their matrix entries, shape ``(rows + 1,
        indicators, chunk)`` (the last row is the total): the second half of :meth:`chunk`.

        ``first`` is the number of the chunk's first iteration in the run (errors name
        iterations by it); ``fallbacks`` receives the numbers of the iterations solved by
        their own factorisation.
        """
        count, tech, bio = drawn.draws.shape[0], drawn.tech, drawn.bio
        n_rows, n_ind = len(self.rows), len(self.matrices.indicators)
        if tech is None:
            fixed = self._deterministic_rows()
            return np.repeat(fixed[:, :, None], count, axis=2)
        rhs = np.broadcast_to(self.demand_v[:, None, None], (len(self.demand_v), 1, count))
        try:
            supply, direct, total = self.supply.solve(tech, bio, rhs, first, fallbacks)
        except InventoryError:  # a non-finite draw is the likelier cause: name it if so
            self.tech_recipes.check(tech)
            raise
        supply = supply[:, 0, :]
        out = np.empty((n_rows + 1, n_ind, count))
        out[-1] = total[:, 0, :] + self.total_fixed[:, None]
        out[:-1] = (self.direct_weights @ direct[:, 0, :]).reshape(n_rows, n_ind, count)
        if self.has_background:
            asked = tech[self.asked_entries] * supply[self.asked_cols]
            n_g = self.background.system.size
            bg_rhs = (self.asked_weights @ asked).reshape(n_g, n_rows, count) + self.bg_demand[:, :, None]
            _, _, pulled = self.background.solve(tech, bio, bg_rhs, first, fallbacks)
            out[:-1] += pulled.transpose(1, 0, 2)
            if self.rows_make_total:
                out[-1] += pulled.sum(axis=1)
            out[:-1] += (self.asked_static @ asked).reshape(n_rows, n_ind, count)
            out[:-1] += self.bg_demand_fixed[:, :, None]
        if not np.isfinite(out).all():  # rare: locate the draw that caused it
            self.tech_recipes.check(tech)
            self.bio_recipes.check(bio)
            raise UncertaintyError(
                "a Monte Carlo iteration has no finite solution (the technosphere drawn is "
                "singular or its loops do not converge)"
            )
        return out

    def _deterministic_rows(self) -> np.ndarray:
        result = self.deterministic
        phases = _phase_values(result)
        rows = []
        for row in self.rows:
            if row.kind == "phase":
                rows.append(phases[row.label])
            else:
                rows.append(result.attributed[:, row.activities[0]])
        rows.append(result.direct.sum(axis=1))
        return np.array(rows)

    def _environment(self, draws: np.ndarray) -> dict[str, Any]:
        params = self.matrices.parameters
        env: dict[str, Any] = dict(params.base_values)
        for name, c in self._parameter_columns:
            env[name] = draws[:, c]
        with np.errstate(all="ignore"):
            for name in self.derived:
                env[name] = params.formulas[name].evaluate(env)
        return env

    def _kept_inputs(self, iterations: int, keep_inputs: bool | None) -> int:
        """How many input columns to keep: all, the parameters (they come first), or none."""
        if keep_inputs is False:
            return 0
        if keep_inputs:
            return self.space.size
        parameters = sum(1 for key in self.keys if key[0] == "parameter")
        return parameters if iterations * parameters * 8 <= KEEP_INPUT_BYTES else 0

    @small_pages()  # large arrays made and freed chunk after chunk (lca.uncertainty.memory)
    @beside_draws()  # a core for the draws of the next chunk (lca.uncertainty.threads)
    def run(
        self,
        iterations: int,
        rng: RandomState = None,
        sampling: str = "random",
        chunk_size: int | None = None,
        percentiles: Sequence[float] = (2.5, 97.5),
        progress: Progress | None = None,
        keep_inputs: bool | None = None,
        source: Callable[[int, int], np.ndarray] | None = None,
    ) -> MonteCarloResult:
        """Run ``iterations`` iterations; see :func:`monte_carlo`.

        ``source(start, stop)``, when given, supplies uniforms in (0, 1) for iterations
        ``[start, stop)`` instead of the seeded stream (paired comparisons, Sobol designs).
        """
        chunk = self.chunking(iterations, chunk_size)
        stream = UniformStream(self.space.gaussian, rng, sampling, int(iterations))
        values, inputs = self.outputs(iterations, keep_inputs)
        kept = 0 if inputs is None else inputs.shape[1]

        def fetch(start: int, stop: int) -> np.ndarray:
            if source is not None:
                return self.space.standardise(source(start, stop))
            return stream.uniforms(start, stop)

        def kept_rows(start: int, stop: int) -> np.ndarray | None:
            return inputs[start:stop] if kept else None

        def prepare(start: int, stop: int, entries: bool) -> tuple[np.ndarray | DrawnEntries, float, float]:
            """A chunk's draws and, when ``entries``, its matrix entries; the seconds of each."""
            t0 = time.perf_counter()
            u = fetch(start, stop)
            t1 = time.perf_counter()
            if not entries:
                return u, t1 - t0, 0.0
            return self.entries(u, kept_rows(start, stop)), t1 - t0, time.perf_counter() - t1

        fallbacks: list[int] = []
        # the next chunk is drawn in a second thread while this one is solved (NumPy releases
        # the GIL), with its matrix entries when that balances the two threads better; each
        # block of draws has its own stream and each chunk's numbers are a pure function of
        # its draws, so the numbers do not depend on the threads or on where entries are made
        entries_s, solve_s = 0.0, 0.0
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(prepare, 0, min(chunk, iterations), False)
            for start in range(0, iterations, chunk):
                stop = min(start + chunk, iterations)
                drawn, draws_s, made_s = pending.result()
                entries_s = made_s or entries_s  # (the last chunk's when they are made here)
                if stop < iterations:
                    in_thread = bool(solve_s) and _entries_in_thread(draws_s, entries_s, solve_s)
                    pending = pool.submit(prepare, stop, min(stop + chunk, iterations), in_thread)
                t0 = time.perf_counter()
                if not isinstance(drawn, DrawnEntries):
                    drawn = self.entries(drawn, kept_rows(start, stop))
                    entries_s = time.perf_counter() - t0
                t1 = time.perf_counter()
                values[:, :, start:stop] = self.impacts(drawn, start, fallbacks)
                solve_s = time.perf_counter() - t1
                drawn = None  # this chunk's entries freed before the next is taken
                if progress is not None:
                    progress(stop, iterations)
        return self.assemble(values, inputs, stream.entropy, sampling, percentiles, fallbacks)

    def chunking(self, iterations: int, chunk_size: int | None = None) -> int:
        """The iterations per chunk of a run of ``iterations``, both checked."""
        if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer) or iterations < 1:
            raise UncertaintyError(f"iterations is {iterations!r}, expected an integer >= 1")
        chunk = int(chunk_size) if chunk_size else self.chunk_size()
        if chunk < 1:
            raise UncertaintyError(f"chunk_size is {chunk_size}, expected >= 1")
        return chunk

    def outputs(
        self, iterations: int, keep_inputs: bool | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Empty arrays for a run's impacts ``(rows + 1, indicators, iterations)`` and kept
        input draws ``(iterations, kept)`` (None when none are kept, see :func:`monte_carlo`)."""
        values = _result_array((len(self.rows) + 1, len(self.matrices.indicators), int(iterations)))
        kept = self._kept_inputs(iterations, keep_inputs)
        return values, (np.empty((iterations, kept), order="F") if kept else None)

    def assemble(
        self,
        values: np.ndarray,
        inputs: np.ndarray | None,
        seed: int,
        sampling: str,
        percentiles: Sequence[float],
        fallbacks: Sequence[int],
    ) -> MonteCarloResult:
        """The result of a run from its filled :meth:`outputs` (``fallbacks``: iteration numbers)."""
        m = self.matrices
        return MonteCarloResult.build(
            model_name=m.model_name,
            rows=self.rows,
            indicators=[i.code for i in m.indicators],
            units=[format_unit(i.unit) for i in m.indicators],
            values=values,
            deterministic=self._deterministic_rows(),
            inputs=inputs,
            input_labels=_input_labels(self, 0 if inputs is None else inputs.shape[1]),
            seed=seed,
            sampling=sampling,
            percentiles=percentiles,
            fallbacks=len(set(fallbacks)),
        )

    def chunk(
        self, start: int, standard: np.ndarray, inputs: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[int]]:
        """Impacts of iterations ``[start, start + len(standard))`` from their standard draws.

        A pure function of the compiled plan and the block of draws (what a distributed run
        sends to a worker). ``inputs``, when given, receives the first ``inputs.shape[1]``
        input draws (base units). Returns the ``(rows + 1, indicators, chunk)`` impacts and
        the numbers of the iterations solved by their own factorisation.
        """
        fallbacks: list[int] = []
        return self.impacts(self.entries(standard, inputs), start, fallbacks), fallbacks

    @cached_property
    def _fusion(self) -> tuple[np.ndarray, np.ndarray, InputSpace]:
        """Input columns computed straight from their standard draw, the others, their space."""
        mask = np.zeros(self.space.size, dtype=bool)
        mask[self.tech_recipes.fused_columns] = True
        mask[self.bio_recipes.fused_columns] = True
        needed = np.flatnonzero(~mask)
        return np.flatnonzero(mask), needed, self.space.subset(needed)


def _entries_in_thread(draws_s: float, entries_s: float, solve_s: float) -> bool:
    """Whether a chunk's matrix entries are better made in the drawing thread (beside its
    draws) than in the solving one, from the seconds each stage took on the last chunk: the
    slower thread sets the pace."""
    return max(draws_s + entries_s, solve_s) <= max(draws_s, entries_s + solve_s)


@dataclass(frozen=True)
class DrawnEntries:
    """A chunk's draws and the matrix entries they give (``(entries, chunk)`` each; None when
    no entry varies): what :meth:`Propagator.impacts` solves.

    The draws (base units, and the standard ones when entries were computed from them) are
    kept until the chunk is solved, as they were when one function did both: freed before
    the solve, glibc hands their pages back to the system and the solve's arrays take them
    again, page by page (22% more page faults and 13% more time for synthetic-1000 of
    ``benchmarks/montecarlo.py``, measured 1 December 2026).
    """

    draws: np.ndarray
    standard: np.ndarray | None
    tech: np.ndarray | None
    bio: np.ndarray | None


@dataclass(frozen=True)
class _Block:
    """A block of the technosphere solved per iteration, and the impacts of its solutions.

    ``system`` holds the entries with row and column in the block; ``bio`` the biosphere
    entries of its columns, ``weights`` their characterisation (indicators x entries);
    ``boundary`` the entries that the block's activities use from the static set, weighted
    by ``-U_S`` (``boundary_weights``, indicators x entries).
    """

    system: BatchedSystem
    entries: np.ndarray
    bio: np.ndarray
    bio_cols: np.ndarray
    weights: sp.csr_matrix
    boundary: np.ndarray
    boundary_cols: np.ndarray
    boundary_weights: np.ndarray
    scatter: sp.csr_matrix  # (indicators x size) x entries: weights summed per column

    @classmethod
    def build(
        cls, m: Matrices, values: np.ndarray, block: np.ndarray, index: np.ndarray, unit: np.ndarray
    ) -> _Block:
        entries = np.flatnonzero(block[m.tech_rows] & block[m.tech_cols])
        system = BatchedSystem(
            int(block.sum()), index[m.tech_rows[entries]], index[m.tech_cols[entries]], values[entries]
        )
        bio = np.flatnonzero(block[m.bio_cols])
        weights = sp.csr_matrix(sp.csr_matrix(m.characterisation)[:, m.bio_rows[bio]])
        size = int(block.sum())
        coo = weights.tocoo()
        scatter = sp.csr_matrix(
            (coo.data, (coo.row * size + index[m.bio_cols[bio]][coo.col], coo.col)),
            shape=(weights.shape[0] * size, len(bio)),
        )
        static = np.any(unit != 0, axis=0)
        boundary = np.flatnonzero(static[m.tech_rows] & block[m.tech_cols])
        return cls(
            system, entries, bio, index[m.bio_cols[bio]], weights, boundary,
            index[m.tech_cols[boundary]], -unit[:, m.tech_rows[boundary]], scatter,
        )  # fmt: skip

    def renumbered(self, tech: np.ndarray, bio: np.ndarray) -> _Block:
        """The same block, its entries numbered by ``tech`` and ``bio`` (old -> new index)."""
        return replace(self, entries=tech[self.entries], bio=bio[self.bio], boundary=tech[self.boundary])

    def solve(
        self, tech: np.ndarray, bio: np.ndarray, rhs: np.ndarray, first: int, fallbacks: list[int] | None
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """Solutions ``(size, sides, n)``, their biosphere entries ``(entries, 1, n)`` (for one
        side; None for several) and impacts ``(indicators, sides, n)``."""
        whole = len(self.entries) == len(tech)  # the entries are all the matrix's, in order
        x = self.system.solve(tech if whole else tech[self.entries], rhs, first, fallbacks)
        _, sides, count = rhs.shape
        own = bio if len(self.bio) == len(bio) else bio[self.bio]
        if sides == 1:  # the supply: its biosphere entries are the direct impacts' too
            pulled = own[:, None, :] * x[self.bio_cols]
            impacts = (self.weights @ pulled.reshape(len(self.bio), count)).reshape(-1, 1, count)
        else:  # C B_k per iteration (indicators x activities), then applied to each side
            pulled = None
            per_unit = (self.scatter @ own).reshape(-1, self.system.size, 1, count)
            impacts = (per_unit * x[None]).sum(axis=1)
        if len(self.boundary):
            used = tech[self.boundary][:, None, :] * x[self.boundary_cols]
            used = used.reshape(len(self.boundary), sides * count)
            impacts += (self.boundary_weights @ used).reshape(impacts.shape)
        return x, pulled, impacts


def monte_carlo(
    model: Model | Matrices,
    iterations: int,
    seed: RandomState = None,
    *,
    sampling: str = "random",
    chunk_size: int | None = None,
    percentiles: Sequence[float] = (2.5, 97.5),
    progress: Progress | None = None,
    demand: Mapping[str, float] | None = None,
    activities: Sequence[str] = (),
    keep_inputs: bool | None = None,
    client: Any = None,
    task_iterations: int | None = None,
) -> MonteCarloResult:
    """Propagate the uncertainty of ``model`` by Monte Carlo.

    Parameters
    ----------
    model : Model or Matrices
        The inventory (compiled here if needed).
    iterations : int
        Number of iterations.
    seed : numpy.random.Generator, int or None
        Seed of the draws; the same seed gives the same numbers whatever ``chunk_size``.
        None takes fresh entropy, recorded in the result.
    sampling : {"random", "lhs"}
        Plain random sampling or Latin hypercube (per block, see
        :mod:`lca.uncertainty.sampling`).
    chunk_size : int, optional
        Iterations evaluated together; by default sized so the working arrays stay
        within :data:`CHUNK_BYTES`. Never changes the results.
    percentiles : sequence of float
        Percentiles (0-100) reported beside the median.
    progress : callable(done, total), optional
        Called after each chunk.
    demand : mapping, optional
        Activity code -> amount to assess instead of the functional unit.
    activities : sequence of str
        Activities whose attributed contributions are reported as extra rows.
    keep_inputs : bool, optional
        True keeps every input's draws (parameters and exchange amounts), False none;
        by default the parameters' draws are kept (for sensitivity analysis) when they
        fit in :data:`KEEP_INPUT_BYTES`, and exchange-level draws are not.
    client : dask.distributed.Client, optional
        Run the iterations on this Dask cluster (:mod:`lca.uncertainty.distributed`, the
        optional extra ``lca[dask]``): the same numbers as without it, bit for bit. With a
        client, ``progress`` is called as the workers' tasks complete.
    task_iterations : int, optional
        With ``client``: iterations per task (default: a chunk in whole seeded blocks,
        :func:`~lca.uncertainty.distributed.task_size`). Never changes the results.

    Returns
    -------
    MonteCarloResult
    """
    matrices = model if isinstance(model, Matrices) else build_matrices(model)
    propagator = Propagator(matrices, demand, activities)
    if client is not None:
        from lca.uncertainty.distributed import run_on

        options = {"chunk_size": chunk_size, "percentiles": percentiles, "keep_inputs": keep_inputs}
        run = run_on(
            client, propagator, iterations, seed, sampling, task_iterations=task_iterations, **options
        )
        return run.result(progress)
    return propagator.run(iterations, seed, sampling, chunk_size, percentiles, progress, keep_inputs)


def _result_array(shape: tuple[int, int, int]) -> np.ndarray:
    """An empty rows x indicators x iterations array, or a clear error if it cannot fit."""
    need = 8 * math.prod(shape)
    message = (
        f"iterations is {shape[-1]:,}: the results alone need {need / 2**30:,.3g} GiB of memory"
        "; use fewer iterations (10,000 is usual)"
    )
    if need > _physical_memory():
        raise UncertaintyError(message)
    try:
        return np.empty(shape)
    except MemoryError:
        raise UncertaintyError(message) from None


def _physical_memory() -> float:
    """Bytes of memory of this computer (infinite where the system does not say)."""
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return math.inf


def _phase_values(result: Result) -> dict[str, np.ndarray]:
    """The rows of :meth:`Result.phase_table` but the total, as arrays (no pandas)."""
    labels = np.array(result.matrices.phases)
    present = set(result.matrices.phases)
    rows = {}
    for phase in (*PHASES, BACKGROUND):
        if phase in present:
            values = result.attributed[:, labels == phase].sum(axis=1)
            if phase != BACKGROUND or np.any(values):
                rows[phase] = values
    return rows


def _positions(needed: np.ndarray, count: int) -> np.ndarray:
    """Old index -> position in ``needed`` (-1 when not needed)."""
    pos = np.full(count, -1, dtype=np.int64)
    pos[needed] = np.arange(len(needed))
    return pos


def _value(amount: CompiledAmount | None, m: Matrices) -> float:
    return float("nan") if amount is None else float(amount.evaluate(m.parameters.base_values))


def _input_labels(propagator: Propagator, kept: int) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """Name, unit and factor from base units of the first ``kept`` inputs (those kept)."""
    params = propagator.matrices.parameters
    names, units, scale = [], [], []
    labels: dict[Any, str] = {}
    for key, unc_name in zip(propagator.keys[:kept], propagator.space.names[:kept], strict=True):
        names.append(unc_name)
        if key[0] == "parameter":
            declared = params.quantities[key[1]].units
            units.append(format_unit(declared))
            scale.append(1.0 / float(Q_(1.0, declared).to_base_units().magnitude))
        else:
            amount, unit, factor = _exchange_unit(propagator, key)
            if unit not in labels:
                labels[unit] = unit if isinstance(unit, str) else format_unit(unit)
            units.append(labels[unit])
            scale.append(factor)
    return tuple(names), tuple(units), np.array(scale, dtype=float)


def _exchange_unit(propagator: Propagator, key: tuple[str, int]) -> tuple[Any, Any, float]:
    """An exchange input's unit in the matrix (supplier's reference unit, flow unit) and factor.

    An amortised amount (a use time) stays in SI base units.
    """
    m = propagator.matrices
    e = key[1]
    if key[0] == "technosphere":
        amount, unit = m.tech_amounts[e], m.activity_units[m.tech_rows[e]]
    else:
        amount = m.bio_amounts[e]
        flow = m.flows[m.bio_rows[e]]
        units = {i.code: i.unit_text for i in m.indicators}
        unit = units.get(flow, f"unit of flow '{flow}'")
    if amount.denominators:
        return amount, amount.numerator.unit, 1.0
    return amount, unit, abs(amount.factor)
