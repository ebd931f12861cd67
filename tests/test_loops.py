"""Monte Carlo through large loops: refinement from the deterministic factorisation, exact fallback.

Every expected number here is an independent direct sparse solve (SuperLU through
``scipy.sparse.linalg.spsolve``) of the iteration's own matrix, built from the kept draws.
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import lca
from lca.errors import InventoryError
from lca.model.records import Activity, Exchange, Flow, FunctionalUnit, Model
from lca.model.uncertainty import Uncertainty
from lca.solve import splu
from lca.uncertainty import loops
from lca.uncertainty.batched import DENSE_LOOP, BatchedSystem
from lca.uncertainty.loops import MAX_STEPS, BlockFactors, SparseLoop, block_factors
from lca.uncertainty.propagation import Propagator


def loop_model(n: int, sigma: float = 0.1, seed: int = 0) -> Model:
    """One loop of n activities: j uses j+1 (a cycle) and 3 random others, 0.5 in all per unit."""
    rng = np.random.default_rng(seed)
    model = Model(f"loop-{n}")
    model.info["indicators"] = ["GWP", "PE"]
    model.add_flow(Flow("co2", "carbon dioxide", "kg", {"GWP": 1.0}))
    model.add_flow(Flow("gas", "natural gas", "MJ", {"PE": 1.0, "GWP": 0.05}))
    for j in range(n):
        others = rng.choice(np.setdiff1d(np.arange(n), [j, (j + 1) % n]), 3, replace=False)
        suppliers = [(j + 1) % n, *others.tolist()]
        amounts = rng.uniform(0.05, 0.2, 4)
        exchanges = [
            Exchange(f"a{i}", float(a), "unit", _lognormal(a, sigma))
            for i, a in zip(suppliers, amounts, strict=True)
        ]
        for flow, unit, amount in (
            ("co2", "kg", rng.uniform(0.1, 1.0)),
            ("gas", "MJ", rng.uniform(1.0, 5.0)),
        ):
            exchanges.append(Exchange(flow, float(amount), unit, _lognormal(amount, sigma)))
        model.add_activity(Activity(f"a{j}", f"activity {j}", "manufacturing", "unit", exchanges))
    model.functional_unit = FunctionalUnit("a0", 1.0, "unit")
    return model


def _lognormal(amount: float, sigma: float) -> Uncertainty:
    return Uncertainty.from_spec({"distribution": "lognormal", "sigma": sigma}, float(amount), "test")


def direct_totals(propagator: Propagator, draws: np.ndarray) -> np.ndarray:
    """Indicators x iterations, each iteration solved directly from its own drawn matrices."""
    m = propagator.matrices
    n = len(m.activities)
    tech = np.repeat(propagator.tech_values[:, None], len(draws), axis=1)
    bio = np.repeat(propagator.bio_values[:, None], len(draws), axis=1)
    for c, (matrix, e) in enumerate(propagator.keys):
        target, amounts = (tech, m.tech_amounts) if matrix == "technosphere" else (bio, m.bio_amounts)
        target[e] = amounts[e].factor * draws[:, c]
    c_matrix = m.characterisation.toarray()
    totals = []
    for k in range(len(draws)):
        a = sp.csc_matrix((tech[:, k], (m.tech_rows, m.tech_cols)), shape=(n, n))
        b = sp.csc_matrix((bio[:, k], (m.bio_rows, m.bio_cols)), shape=(len(m.flows), n))
        supply = spla.spsolve(a, propagator.demand)
        totals.append(c_matrix @ (b @ supply))
    return np.array(totals).T


def sparse_loops(propagator: Propagator) -> list[SparseLoop]:
    return [step.sparse for step in propagator.supply_system.steps if getattr(step, "sparse", None)]


@pytest.fixture(scope="module", params=["block factors", "sparse factors"])
def loop_2000(request):
    """A loop of 2,000 activities, its factors applied in a sparse and a dense block (they
    fill to about a fifth of a dense matrix) and, with SUPERLU_COST at 0, by SuperLU: both
    paths of the refinement."""
    model = loop_model(2000)
    matrices = lca.build_matrices(model)
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "sparse factors":
            patch.setattr(loops, "SUPERLU_COST", 0.0)
        propagator = Propagator(matrices)
        (loop,) = sparse_loops(propagator)
    assert (loop.blocks is not None) == (request.param == "block factors")
    if loop.blocks is not None:  # both blocks used
        assert 0 < loop.blocks.k < 2000
    return propagator


def test_a_loop_of_2000_activities_equals_direct_sparse_solves(loop_2000):
    result = loop_2000.run(50, rng=5, keep_inputs=True)
    assert loop_2000.supply_system.has_loops
    expected = direct_totals(loop_2000, result.inputs)
    np.testing.assert_allclose(result.values[-1], expected, rtol=1e-9)
    assert result.fallbacks == 0
    # the draws moved the results: not the deterministic value repeated
    assert np.std(result.values[-1, 0]) > 1e-3 * abs(np.mean(result.values[-1, 0]))


def test_results_through_a_large_loop_are_identical_whatever_the_chunk_size(loop_2000):
    runs = [loop_2000.run(40, rng=3, chunk_size=c).values for c in (None, 7, 13, 40)]
    for other in runs[1:]:
        assert np.array_equal(other, runs[0])


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("k", [None, 0, 600], ids=["chosen split", "all dense", "all sparse"])
def test_block_factors_solve_as_superlu_column_by_column_whatever_the_threads(k, transposed):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    a = loop_matrix(600)
    lu = splu(a, minimum_degree=True)
    chosen = block_factors(lu)
    assert chosen is not None and 0 < chosen.k < 600  # a sparse and a dense block
    # the dense block is the trailing one, most of it filled; the sparse one is not
    trailing = np.count_nonzero(chosen.trailing)
    assert trailing >= 0.5 * (600 - chosen.k) ** 2
    assert lu.L[: chosen.k, : chosen.k].nnz + lu.U[: chosen.k, : chosen.k].nnz <= 0.1 * chosen.k**2
    plan = loops.split(lu.L.tocsc(), lu.U.tocsc(), k)
    assert plan.k == (chosen.k if k is None else k)
    blocks = BlockFactors(loops.Transposed(lu) if transposed else lu, plan)
    rng = np.random.default_rng(2)
    b = rng.random((600, 96))
    with threadpoolctl.threadpool_limits(1):
        one = blocks.solve(b)
    with threadpoolctl.threadpool_limits(2):
        two = blocks.solve(b)
    assert np.array_equal(one, two)  # the BLAS threads do not change a bit
    other = b.copy()
    other[:, 1::2] = rng.random((600, 48))
    assert np.array_equal(blocks.solve(other)[:, ::2], one[:, ::2])  # nor the other columns
    expected = lu.solve(b, trans="T" if transposed else "N")
    assert np.max(np.abs(one - expected)) <= 1e-13 * np.max(np.abs(expected))
    matrix = a.T if transposed else a
    assert np.max(np.abs(matrix @ one - b)) <= 1e-13 * np.max(np.abs(b))


def test_the_split_minimises_the_cost_of_a_solve():
    a = loop_matrix(300)
    lu = splu(a, minimum_degree=True)
    plan = loops.split(lu.L.tocsc(), lu.U.tocsc())
    k, cost = plan.k, plan.cost
    lower, upper = lu.L.toarray(), lu.U.toarray()
    # the inverses are those of the leading blocks
    np.testing.assert_allclose(plan.inverses[0] @ lower[:k, :k], np.eye(k), atol=1e-12)
    np.testing.assert_allclose(plan.inverses[1] @ upper[:k, :k], np.eye(k), atol=1e-12)

    def by_hand(j: int) -> float:  # the dense block's entries, the sparse blocks' non-zeros
        inverses = np.linalg.inv(lower[:j, :j]), np.linalg.inv(upper[:j, :j])
        sparse = sum(np.count_nonzero(np.abs(m) > 1e-300) for m in inverses)
        sparse += np.count_nonzero(lower[j:, :j]) + np.count_nonzero(upper[:j, j:])
        return (300 - j) ** 2 + loops.SPARSE_COST * sparse

    assert cost == pytest.approx(by_hand(k), rel=0.02)
    for j in (0, k // 2, (k + 300) // 2, 300):
        assert cost <= by_hand(j) * 1.02


@pytest.mark.parametrize(
    ("superlu_cost", "multi_column"),
    [(loops.SUPERLU_COST, loops.MULTI_COLUMN), (0.0, loops.MULTI_COLUMN), (0.0, 100)],
    ids=["blocks", "sparse, a column at a time", "sparse, all columns at once"],
)
def test_a_loop_solved_with_its_transposes_factors_gives_the_same_numbers_once_pickled(
    superlu_cost, multi_column, monkeypatch
):
    # the deterministic solve caches the LU of a loop's transpose; a loop built after it
    # solves with those factors (no second factorisation), and a copy of the plan loaded
    # elsewhere, with an empty cache, must make the same factors: the same numbers, on any
    # number of BLAS threads
    threadpoolctl = pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(loops, "SUPERLU_COST", superlu_cost)
    monkeypatch.setattr(loops, "MULTI_COLUMN", multi_column)
    monkeypatch.setattr(loops, "_FACTORS", {})
    rows, cols, values = random_loop(500, seed=4)
    loops.factorise(sp.csc_matrix((values, (cols, rows)), shape=(500, 500)))  # A^T
    loop = SparseLoop(500, rows, cols, values)
    assert isinstance(loop.lu, loops.Transposed)
    assert (loop.blocks is not None) == (superlu_cost > 0)
    monkeypatch.setattr(loops, "_FACTORS", {})
    copy = pickle.loads(pickle.dumps(loop))
    assert isinstance(copy.lu, loops.Transposed)
    rng = np.random.default_rng(3)
    drawn = values[:, None] * rng.lognormal(0, 0.1, (len(values), 16))
    rhs = rng.random((500, 2, 16))
    with threadpoolctl.threadpool_limits(2):
        x = loop.solve(drawn, rhs, 0, [])
    with threadpoolctl.threadpool_limits(1):
        assert np.array_equal(copy.solve(drawn, rhs, 0, []), x)
    # an iteration's numbers do not depend on the others of its group
    other = rhs.copy()
    other[:, :, 1::2] = rng.random((500, 2, 8))
    assert np.array_equal(loop.solve(drawn, other, 0, [])[:, :, ::2], x[:, :, ::2])
    for k in range(16):  # and it is the solution
        a = sp.csc_matrix((drawn[:, k], (rows, cols)), shape=(500, 500))
        residual = np.linalg.norm(a @ x[:, :, k] - rhs[:, :, k], axis=0)
        assert np.all(residual <= loops.TOLERANCE * np.linalg.norm(rhs[:, :, k], axis=0))


def loop_matrix(n: int) -> sp.csc_matrix:
    rows, cols, values = random_loop(n)
    return sp.csc_matrix((values, (rows, cols)), shape=(n, n))


def random_loop(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries of A = I - T for one loop of n activities, T >= 0 with column sums 0.5."""
    rng = np.random.default_rng(seed)
    rows, cols = [np.arange(n)], [np.arange(n)]
    values = [np.ones(n)]
    for j in range(n):
        suppliers = np.unique([(j + 1) % n, *rng.choice(n, 3).tolist()])
        suppliers = suppliers[suppliers != j]
        rows.append(suppliers)
        cols.append(np.full(len(suppliers), j))
        values.append(-np.full(len(suppliers), 0.5 / len(suppliers)))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def test_an_iteration_that_does_not_converge_is_solved_exactly_by_the_fallback():
    n = 300
    rows, cols, reference = random_loop(n)
    system = BatchedSystem(n, rows, cols, reference)
    count = 12
    rng = np.random.default_rng(2)
    off = rows != cols
    values = np.repeat(reference[:, None], count, axis=1)
    values[off] *= rng.lognormal(0.0, 0.05, (int(off.sum()), count))
    # iteration 5: every input 1.9 times its deterministic amount. Still solvable (the
    # inputs' spectral radius is 0.95 < 1), but refinement from the deterministic LU gains
    # only a factor 0.9 per step: it cannot reach 1e-10 in MAX_STEPS steps
    values[off, 5] = 1.9 * reference[off]
    assert 0.9**MAX_STEPS > 1e-10
    rhs = rng.uniform(0.5, 1.5, (n, 2, count))
    fallbacks: list[int] = []
    x = system.solve(values, rhs, first=100, fallbacks=fallbacks)
    assert fallbacks == [105]
    for k in range(count):
        a = sp.csc_matrix((values[:, k], (rows, cols)), shape=(n, n))
        np.testing.assert_allclose(x[:, :, k], spla.spsolve(a, rhs[:, :, k]), rtol=1e-9)


def test_the_fallback_count_is_reported_in_the_result():
    model = loop_model(100, sigma=0.2, seed=4)
    propagator = Propagator(lca.build_matrices(model))
    assert DENSE_LOOP < 100
    tech = np.array([key[0] == "technosphere" for key in propagator.keys])

    def source(start: int, stop: int) -> np.ndarray:
        # medians everywhere except iteration 3, whose inputs are all 1.9 x their median
        from scipy.special import ndtr

        u = np.full((stop - start, propagator.space.size), 0.5)
        if start <= 3 < stop:
            u[3 - start, tech] = ndtr(np.log(1.9) / 0.2)
        return u

    result = propagator.run(8, rng=1, source=source, keep_inputs=True)
    assert result.fallbacks == 1
    np.testing.assert_allclose(result.values[-1], direct_totals(propagator, result.inputs), rtol=1e-9)


def test_an_iteration_whose_large_loop_is_singular_is_named():
    n = 200
    rows, cols, reference = random_loop(n)
    system = BatchedSystem(n, rows, cols, reference)
    values = np.repeat(reference[:, None], 10, axis=1)
    values[cols == 17, 6] = 0.0  # iteration 6: activity 17 makes nothing and uses nothing
    with pytest.raises(InventoryError, match="Monte Carlo iteration 47: the technosphere drawn is singular"):
        system.solve(values, np.ones((n, 1, 10)), first=40)


def test_an_iteration_whose_small_loop_is_singular_is_named():
    # a uses 1 b per unit, b uses x a per unit: singular when x = 1 (iteration 2)
    system = BatchedSystem(2, rows=[0, 1, 1, 0], cols=[0, 1, 0, 1])
    x = np.array([0.5, 0.9, 1.0, 0.7])
    values = np.array([np.ones(4), np.ones(4), -np.ones(4), -x])
    with pytest.raises(InventoryError, match="Monte Carlo iteration 3: a loop of 2 activities"):
        system.solve(values, np.ones((2, 1, 4)))


def test_an_iteration_with_a_zero_production_is_named():
    system = BatchedSystem(2, rows=[0, 1, 1], cols=[0, 1, 0])
    values = np.array([[2.0, 0.0, 2.0], [1.0, 1.0, 1.0], [-0.5, -0.5, -0.5]])
    with pytest.raises(InventoryError, match="Monte Carlo iteration 2: the technosphere drawn is singular"):
        system.solve(values, np.ones((2, 1, 3)))
