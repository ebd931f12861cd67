"""Monte Carlo on a Dask cluster of 2 worker processes: the numbers of one process, bit for bit.

The expected numbers are the single-process run's (``Propagator.run``) with the same seed: a
task draws its iterations from the run's block-seeded stream and runs the same chunk function,
so every draw, impact and percentile must be identical, not merely close.
"""

import functools
import os
import pickle
import signal
import sys

import numpy as np
import pandas as pd
import pytest
from terminal import Terminal
from test_loops import loop_model

import lca
import lca.progress
from lca.cli import main
from lca.errors import UncertaintyError
from lca.model.uncertainty import Uncertainty
from lca.progress import ProgressBar
from lca.uncertainty.propagation import Propagator

pytest.importorskip("distributed")
from lca.uncertainty.distributed import run_on  # noqa: E402

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"


@pytest.fixture(scope="module")
def bloom():
    return Propagator(lca.build_matrices(lca.bloom()))


@pytest.fixture(scope="module")
def loop_1000():
    return Propagator(lca.build_matrices(loop_model(1000)))


def assert_identical(got, expected):
    assert got.seed == expected.seed and got.iterations == expected.iterations
    assert np.array_equal(got.values, expected.values)  # every iteration, row and indicator
    assert (got.inputs is None and expected.inputs is None) or np.array_equal(got.inputs, expected.inputs)
    assert got.fallbacks == expected.fallbacks
    pd.testing.assert_frame_equal(got.summary(), expected.summary(), check_exact=True)


def test_the_plan_pickles_without_its_solver_and_gives_the_same_numbers(bloom, loop_1000):
    for propagator in (bloom, loop_1000):
        blob = pickle.dumps(propagator, protocol=5)
        loaded = pickle.loads(blob)
        assert "solver" not in loaded.__dict__  # SciPy's SuperLU does not pickle: not sent
        assert np.array_equal(loaded.run(300, rng=2).values, propagator.run(300, rng=2).values)
    # the loop's own factorisation is made again where the plan is loaded
    loop = next(s.sparse for s in loaded.supply.system.steps if getattr(s, "sparse", None) is not None)
    assert loop.size == 1000 and loop.lu.shape == (1000, 1000)


def test_bloom_on_two_workers_is_bit_identical_to_one_process(dask_client, bloom):
    # 3,000 iterations in tasks of 700: five tasks, the last of 200, none aligned on a chunk
    for sampling in ("random", "lhs"):
        expected = bloom.run(3000, rng=11, sampling=sampling, keep_inputs=True)
        run = run_on(dask_client, bloom, 3000, 11, sampling, keep_inputs=True, task_iterations=700)
        assert run.spans == [(0, 700), (700, 1400), (1400, 2100), (2100, 2800), (2800, 3000)]
        assert_identical(run.result(), expected)
    # through lca.monte_carlo, from the model
    got = lca.monte_carlo(lca.bloom(), 2000, seed=4, client=dask_client, task_iterations=500)
    expected = lca.monte_carlo(lca.bloom(), 2000, seed=4)
    assert_identical(got, expected)
    assert got.percentile(97.5, "GWP") == expected.percentile(97.5, "GWP")


def test_a_model_with_a_1000_activity_loop_is_bit_identical(dask_client, loop_1000):
    assert loop_1000.supply_system.has_loops
    expected = loop_1000.run(240, rng=7, keep_inputs=True)
    # tasks of 100 iterations across the seeded blocks (174 rows for 6,000 inputs)
    run = run_on(dask_client, loop_1000, 240, 7, keep_inputs=True, task_iterations=100)
    assert_identical(run.result(), expected)


def test_a_worker_killed_mid_run_leaves_the_result_unchanged(dask_client, bloom):
    """When the first task's result arrives, the worker busiest with others is killed (SIGKILL).

    Its tasks (running, or done but not yet gathered) are lost with it and run again by Dask on
    the other worker or the one its nanny restarts; the result is the single-process one.
    """
    expected = bloom.run(4000, rng=3)
    pids = dask_client.run(os.getpid)  # worker address -> process id
    killed = []

    def kill_once(done, total):
        if killed:
            return
        busy = {w: keys for w, keys in dask_client.processing().items() if keys}
        worker = max(busy, key=lambda w: len(busy[w]))
        killed.append((worker, set(busy[worker])))
        os.kill(pids[worker], signal.SIGKILL)

    run = run_on(dask_client, bloom, 4000, 3, task_iterations=250)
    assert_identical(run.result(kill_once), expected)
    worker, lost = killed[0]
    assert lost  # the killed worker was running tasks of the run: they were run again elsewhere
    dask_client.wait_for_workers(2, timeout=60)
    assert worker not in dask_client.scheduler_info()["workers"]  # a new worker took its place


def test_an_error_in_a_task_is_raised_as_in_one_process(dask_client):
    # BLOOM's embodied hardware is amortised over a utilisation: one drawn above 1 is refused,
    # naming the exchange and the parameter
    model = lca.bloom()
    model.parameters["utilisation"].uncertainty = Uncertainty.from_spec(
        {"distribution": "uniform", "min": 0.5, "max": 1.5}, 0.85, "utilisation"
    )
    with pytest.raises(UncertaintyError) as alone:
        lca.monte_carlo(model, 1000, seed=1)
    with pytest.raises(UncertaintyError) as distributed:
        lca.monte_carlo(model, 1000, seed=1, client=dask_client, task_iterations=100)
    assert "utilisation" in str(alone.value)
    assert str(distributed.value) == str(alone.value)


def test_lca_run_dask_prints_what_lca_run_prints(dask_client, capsys):
    args = ["run", str(EXAMPLE), "--iterations", "3000", "--seed", "5", "--format", "csv"]
    assert main(args) == 0
    alone = capsys.readouterr().out
    assert main([*args, "--dask", dask_client.scheduler.address]) == 0
    assert capsys.readouterr().out == alone


def test_the_progress_of_a_cluster_run_follows_the_gathering(dask_client, bloom, monkeypatch, capsys):
    run = run_on(dask_client, bloom, 3000, 11, task_iterations=700)
    calls = []
    result = run.result(progress=lambda done, total: calls.append((done, total)))
    # one call per task gathered, with the iterations done so far
    done = [d for d, _ in calls]
    steps = np.diff([0, *done]).tolist()
    assert sorted(steps) == sorted(stop - start for start, stop in run.spans) and len(run.spans) > 2
    assert all(total == 3000 for _, total in calls) and calls[-1][0] == 3000
    assert result.values.shape[-1] == 3000
    # on a terminal, `lca run --dask` draws the local run's bar on stderr (stdout: the table)

    monkeypatch.setattr(
        lca.progress, "ProgressBar", functools.partial(ProgressBar, delay=0.0, mininterval=0.0)
    )
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    args = ["run", str(EXAMPLE), "--iterations", "3000", "--seed", "5", "--format", "csv"]
    assert main([*args, "--dask", dask_client.scheduler.address]) == 0
    assert "3000/3000" in terminal.text and " iterations/s]" in terminal.text
    assert "iterations" not in capsys.readouterr().out.splitlines()[0]  # the CSV header, no bar


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--iterations", "100", "--dask", "local:0"], "--dask local:0: expected local, local:WORKERS"),
        (["--dask", "local"], "--dask local needs --iterations"),
    ],
)
def test_bad_dask_options_are_refused(capsys, options, message):
    assert main(["run", str(EXAMPLE), *options]) == 2
    assert message in capsys.readouterr().err


def test_a_scheduler_that_does_not_answer_is_an_option_error(capsys, monkeypatch):
    monkeypatch.setattr("lca.cluster.CONNECT_TIMEOUT", 1)
    assert main(["run", str(EXAMPLE), "--iterations", "100", "--dask", "tcp://127.0.0.1:9"]) == 2
    assert "error: --dask tcp://127.0.0.1:9: no Dask scheduler answered within 1 s" in capsys.readouterr().err


def test_lca_run_dask_local_starts_and_stops_its_own_cluster(capsys):
    args = ["run", str(EXAMPLE), "--iterations", "500", "--seed", "2", "--format", "csv"]
    assert main(args) == 0
    alone = capsys.readouterr().out
    assert main([*args, "--dask", "local:1"]) == 0
    assert capsys.readouterr().out == alone


def test_without_dask_the_option_says_how_to_install_it(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    assert main(["run", str(EXAMPLE), "--iterations", "100", "--dask", "local"]) == 2
    assert "error: --dask needs Dask: install the optional extra with `pip install 'lca[dask]'`" in (
        capsys.readouterr().err
    )


def test_a_worker_loads_a_plan_once_and_keeps_the_last_two(bloom):
    from lca.uncertainty import distributed

    blob = pickle.dumps(bloom, protocol=5)
    first = distributed.loaded_plan("run-a", blob)
    assert distributed.loaded_plan("run-a", b"not read again") is first  # loaded by the first task
    distributed.loaded_plan("run-b", blob)
    distributed.loaded_plan("run-c", blob)
    assert list(distributed._LOADED) == ["run-b", "run-c"]  # KEEP_PLANS = 2: run-a dropped
    distributed.forget_plan("run-b")
    distributed.forget_plan("run-c")
    assert not distributed._LOADED
