"""A Monte Carlo run leaves one core to the draws: BLAS on the others, then as it was."""

import numpy as np
import pytest
from test_loops import loop_model
from threadpoolctl import threadpool_info, threadpool_limits

import lca
from lca.uncertainty import propagation, threads
from lca.uncertainty.propagation import Propagator


def blas_threads() -> int:
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


@pytest.mark.parametrize(
    ("cores", "before", "during"),
    [(2, 2, 1), (4, 4, 3), (1, 1, 1), (4, 1, 1)],
    ids=["2 cores", "4 cores", "1 core", "never more than it had"],
)
def test_a_run_gives_blas_one_core_fewer_and_restores_it(cores, before, during, monkeypatch):
    monkeypatch.setattr(threads, "_cores", lambda: cores)
    propagator = Propagator(lca.build_matrices(loop_model(40)))
    seen = []
    impacts = Propagator.impacts

    def spy(self, *args, **kwargs):  # the solves of each chunk
        seen.append(blas_threads())
        return impacts(self, *args, **kwargs)

    monkeypatch.setattr(propagation.Propagator, "impacts", spy)
    with threadpool_limits(before, user_api="blas"):
        result = propagator.run(30, rng=1, chunk_size=10)
        assert blas_threads() == before  # restored
    assert seen == [during] * 3
    # and the numbers are those of a run on every thread
    monkeypatch.setattr(threads, "_cores", lambda: 64)
    with threadpool_limits(2, user_api="blas"):
        again = propagator.run(30, rng=1, chunk_size=10)
    assert np.array_equal(result.values, again.values)


def test_the_numbers_do_not_depend_on_which_thread_makes_the_entries(monkeypatch):
    # a run makes a chunk's matrix entries in its drawing thread or in its solving one, as
    # the timings of the last chunk say: any sequence of choices gives the same numbers
    propagator = Propagator(lca.build_matrices(loop_model(40)))
    runs = []
    for choices in ([True], [False], [True, False, False], [False, True]):
        sequence = iter(choices * 10)
        monkeypatch.setattr(propagation, "_entries_in_thread", lambda *_, s=sequence: next(s))
        runs.append(propagator.run(70, rng=4, chunk_size=8, keep_inputs=True))
    for other in runs[1:]:
        assert np.array_equal(other.values, runs[0].values)
        assert np.array_equal(other.inputs, runs[0].inputs)
    assert np.std(runs[0].values[-1, 0]) > 0


def test_entries_go_to_the_thread_that_keeps_the_pace():
    # seconds per chunk: draws, entries, solve; the slower thread sets the pace
    assert propagation._entries_in_thread(1.0, 1.0, 5.0)  # 2 | 5 beats 1 | 6
    assert not propagation._entries_in_thread(5.0, 1.0, 1.0)  # 6 | 1 loses to 5 | 2


def test_runs_that_overlap_in_threads_restore_blas_as_it_was(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(threads, "_cores", lambda: 2)
    propagator = Propagator(lca.build_matrices(loop_model(40)))
    with threadpool_limits(2, user_api="blas"):
        with ThreadPoolExecutor(3) as pool:
            runs = list(pool.map(lambda seed: propagator.run(200, rng=seed, chunk_size=16), [1, 2, 3]))
        assert blas_threads() == 2  # as before the first run, whatever order they ended in
    alone = propagator.run(200, rng=2, chunk_size=16)
    assert np.array_equal(runs[1].values, alone.values)
