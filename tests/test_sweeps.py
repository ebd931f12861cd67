"""Scenario sweeps on a Dask cluster of 2 worker processes: the serial table, row for row."""

import sys

import numpy as np
import pandas as pd
import pytest

import lca
from lca.cli import main
from lca.scenarios import apply_settings, read_scenarios, run_scenarios

pytest.importorskip("distributed")
from lca.sweeps import TABLE_SUFFIXES, sweep, write_table  # noqa: E402

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"


def scenario_file(path, count):
    """``count`` scenarios over PUE, lifetime (years) and grid intensity (g CO2 eq/kWh)."""
    lines = ["scenario,pue,lifetime [year],grid [g CO2 eq/kWh]"]
    for k in range(count):
        lines.append(f"s{k},{1.05 + 0.005 * k:.3f},{3 + k % 5},{20 + 3 * (k % 40)}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def model():
    return lca.load(EXAMPLE)


def test_a_sweep_of_200_scenarios_equals_200_serial_runs(dask_client, model, tmp_path):
    scenarios = read_scenarios(scenario_file(tmp_path / "s.csv", 200), model)
    run = sweep(dask_client, model, scenarios)
    # about 8 tasks per worker: batches of ceil(200 / 16) = 13 scenarios, 16 tasks (the last of 5)
    assert run.sizes == [13] * 15 + [5]
    calls = []
    table = lca.scenarios.tidy_scenarios(
        list(run.frames(progress=lambda done, total: calls.append((done, total))))
    )
    serial, _ = run_scenarios(model, scenarios)
    pd.testing.assert_frame_equal(table, serial, check_exact=True)
    # the scenarios done after each batch, as its table is taken
    assert calls == [(13 * k, 200) for k in range(1, 16)] + [(200, 200)]
    # each scenario is the inventory solved with its settings, one run each
    totals = table[(table.phase == "total") & (table.indicator == "GWP")].set_index("scenario").value
    for scenario in scenarios:
        alone = lca.solve(apply_settings(model, scenario.settings)).total("GWP").to("kg CO2 eq").magnitude
        assert totals[scenario.name] == alone
    # by hand, scenario s10: pue 1.1, lifetime 3 years, grid 50 g/kWh (the file's header units);
    # bloom_parametric.yaml: embodied = gpu_hours / (lifetime x 8760 h x utilisation) x
    # (gpu_embodied + node_embodied / gpus_per_node), dynamic = gpu_hours x tdp x grid,
    # idle = dynamic x idle_ratio x pue
    embodied = 1_082_990 / (3 * 8760 * 0.85) * (150 + 2500 / 8)
    dynamic = 1_082_990 * 0.4 * 0.050
    idle = dynamic * 0.5 * 1.1
    assert totals["s10"] == pytest.approx(embodied + dynamic + idle, rel=1e-12)


def test_a_monte_carlo_sweep_equals_the_serial_one(dask_client, model, tmp_path):
    scenarios = read_scenarios(scenario_file(tmp_path / "s.csv", 24), model)
    run = sweep(dask_client, model, scenarios, iterations=300, seed=8, batch_size=5)
    # a batch's table: 5 scenarios x 3 rows (manufacturing, training, total) x GWP x 7 statistics
    assert run.seed == 8 and len(run.futures[0].result()) == 5 * 3 * 7
    table = run.table()
    serial, seed = run_scenarios(model, scenarios, iterations=300, seed=8)
    pd.testing.assert_frame_equal(table, serial, check_exact=True)
    # no seed: one fresh seed for every scenario, reported; it repeats the sweep
    fresh = sweep(dask_client, model, scenarios[:3], iterations=300)
    again, _ = run_scenarios(model, scenarios[:3], iterations=300, seed=fresh.seed)
    pd.testing.assert_frame_equal(fresh.table(), again, check_exact=True)


def test_a_scenario_that_fails_is_located_as_in_the_serial_run(dask_client, model, capsys, tmp_path):
    table = tmp_path / "s.csv"
    table.write_text("scenario,utilisation\nfine,0.8\nnone,0\n")
    args = ["scenarios", str(EXAMPLE), str(table)]
    assert main(args) == 2
    alone = capsys.readouterr().err
    assert "s.csv, line 3" in alone
    assert main([*args, "--dask", dask_client.scheduler.address]) == 2
    assert capsys.readouterr().err == alone


def test_the_table_is_streamed_to_csv_as_printed(dask_client, model, capsys, tmp_path):
    table = scenario_file(tmp_path / "s.csv", 30)
    args = ["scenarios", str(EXAMPLE), str(table), "--iterations", "200", "--seed", "3"]
    assert main([*args, "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "sweep.csv"
    assert main([*args, "--dask", dask_client.scheduler.address, "--out", str(out)]) == 0
    assert f"wrote {out} (630 rows: 30 scenarios" in capsys.readouterr().out  # 30 x 3 rows x 7 statistics
    assert out.read_text() == printed
    # without --dask too, and an existing file needs --force
    assert main([*args, "--out", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert main([*args, "--out", str(out), "--force"]) == 0
    assert out.read_text() == printed


def test_write_table_writes_batches_in_order_and_nothing_on_failure(tmp_path):
    frames = [pd.DataFrame({"scenario": [f"s{k}"] * 2, "value": [k, np.nan]}) for k in range(3)]
    path = tmp_path / "t.csv"
    assert write_table(iter(frames), path) == 6
    assert path.read_text() == "scenario,value\ns0,0.0\ns0,\ns1,1.0\ns1,\ns2,2.0\ns2,\n"  # NaN: empty

    def failing():
        yield frames[0]
        raise RuntimeError("a batch failed")

    with pytest.raises(RuntimeError):
        write_table(failing(), tmp_path / "u.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]  # no partial file left
    assert TABLE_SUFFIXES == (".csv", ".parquet")


def test_parquet_holds_the_csv_numbers(model, tmp_path):
    pytest.importorskip("pyarrow")
    scenarios = read_scenarios(scenario_file(tmp_path / "s.csv", 12), model)
    serial, _ = run_scenarios(model, scenarios)
    write_table([serial[:40], serial[40:]], tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), serial, check_exact=True)


def test_parquet_without_pyarrow_is_refused_before_any_work(tmp_path, monkeypatch):
    from lca.errors import OutputError
    from lca.sweeps import check_table_output

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    target = tmp_path / "t.parquet"
    with pytest.raises(OutputError) as info:
        check_table_output(target)
    assert str(info.value) == f"{target}: writing Parquet needs pyarrow (pip install pyarrow); or write .csv"
    assert not target.exists()
