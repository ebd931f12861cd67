"""CodeCarbon runs in: files written by CodeCarbon itself, assessed end to end.

The fixtures in tests/fixtures/codecarbon/ were written by CodeCarbon 3.3.2 and 2.8.4
(make_fixtures.py beside them); the malformed ones are derived from them, one defect each.
"""

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

import lca
from lca.cli import main
from lca.data import datacenter, grid, hardware
from lca.errors import DataNotFound, InputFileError
from lca.io.codecarbon import read_runs
from lca.io.codecarbon_hardware import match_hardware
from lca.io.codecarbon_import import starter_model
from lca.io.codecarbon_methods import METHOD_ERRORS

FIXTURES = Path(__file__).parent / "fixtures" / "codecarbon"
V3, V2 = FIXTURES / "emissions_v3.csv", FIXTURES / "emissions_v2.csv"
HOURS_PER_YEAR = 8760


def cells(path: Path, project: str) -> dict[str, str]:
    """The row of ``project`` as CodeCarbon wrote it (text, so floats compare exactly)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["project_name"] == project)


def inventory(tmp_path: Path, energy: dict, source: Path = V3) -> Path:
    """An inventory in tmp_path whose training activity takes its energy from a copy of ``source``."""
    (tmp_path / "runs").mkdir(exist_ok=True)
    shutil.copy(source, tmp_path / "runs" / "emissions.csv")
    data = {
        "format": "lca-inventory/1",
        "name": "fine-tuning",
        "functional_unit": {"activity": "finetune", "amount": 1, "unit": "run"},
        "activities": [
            {
                "code": "finetune",
                "phase": "training",
                "unit": "run",
                "energy": {"codecarbon": "runs/emissions.csv", **energy},
            }
        ],
    }
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("path, version", [(V3, "3.3.2"), (V2, "2.8.4")])
def test_both_file_layouts_are_read(path, version):
    runs = read_runs(path)
    assert [r.project_name for r in runs] == ["finetune-fr", "finetune-fr-pue", "eval-gcp"]
    assert {r.codecarbon_version for r in runs} == {version}
    row = cells(path, "finetune-fr-pue")
    assert runs[1].energy_consumed == float(row["energy_consumed"])
    assert runs[1].pue == 1.2 and runs[1].duration == float(row["duration"]) and runs[1].row == 3
    assert (runs[2].cloud_provider, runs[2].cloud_region, runs[2].country_iso_code) == (
        "gcp",
        "europe-west1",
        "BEL",
    )
    assert runs[0].cpu_model == "AMD EPYC" and runs[0].gpu_count == 0  # 2.x leaves gpu_count empty


def test_measured_run_end_to_end(tmp_path):
    path = inventory(tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "EPYC-7763", "memory": "none"}})
    model = lca.load(path)
    result = lca.solve(model)
    row = cells(V3, "finetune-fr")
    kwh = float(row["energy_consumed"])
    # the measured kWh are the central value of the run's electricity, exactly
    assert model.parameters["finetune_fr_energy"].amount == kwh
    # the file gives no PUE (CodeCarbon's 1.0): overhead from the enterprise data centre, 1.58
    pue = datacenter("enterprise").get("pue").amount
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(kwh * pue, rel=1e-12)
    # the grid is the run's country's (FRA -> FR): training GWP = kWh x PUE x the FR factor
    factor = grid("FR").impacts["GWP"].amount
    training = result.by_phase()["training"]["GWP"].to("kg CO2 eq").magnitude
    assert training == pytest.approx(kwh * pue * factor, rel=1e-12)
    # embodied share, by hand: duration / (lifetime x utilisation) x embodied impact of the CPU
    hours = float(row["duration"]) / 3600  # 3.005 s
    lifetime = hardware("EPYC-7763").get("lifetime").amount  # 6 years (Luccioni et al. 2023)
    share = hours / (lifetime * HOURS_PER_YEAR * 0.85)  # utilisation 0.85
    cpu = hardware("EPYC-7763").impacts["GWP"].amount  # 30.06 kg CO2 eq per CPU
    embodied = result.by_phase()["manufacturing"]["GWP"].to("kg CO2 eq").magnitude
    assert embodied == pytest.approx(share * cpu, rel=1e-12)
    assert model.info["datasets"]["entries"] == ["datacenter/enterprise", "grid/FR", "hardware/EPYC-7763"]


def test_memory_share_by_hand(tmp_path):
    # ram_total_size GB x memory-per-GB, amortised over the run as the other hardware
    model = lca.load(inventory(tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "none"}}))
    row = cells(V3, "finetune-fr")
    lifetime = hardware("memory-per-GB").get("lifetime").amount  # years, the entry's central value
    share = float(row["duration"]) / 3600 / (lifetime * HOURS_PER_YEAR * 0.85)
    memory = (
        float(row["ram_total_size"]) * hardware("memory-per-GB").impacts["GWP"].amount
    )  # 23.54 GB x 1.76 kg
    embodied = lca.solve(model).by_phase()["manufacturing"]["GWP"].magnitude
    assert embodied == pytest.approx(share * memory, rel=1e-12)


def test_pue_given_to_codecarbon_is_not_applied_twice(tmp_path):
    model = lca.load(
        inventory(tmp_path, {"runs": ["finetune-fr-pue"], "hardware": {"cpu": "none", "memory": "none"}})
    )
    result = lca.solve(model)
    kwh = float(cells(V3, "finetune-fr-pue")["energy_consumed"])  # already x 1.2
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(kwh, rel=1e-12)
    assert [e.input for e in model.activities["finetune"].exchanges] == ["grid_FR"]


def test_cloud_region_sets_the_grid_and_the_datacentre(tmp_path):
    model = lca.load(inventory(tmp_path, {"runs": ["eval-gcp"], "hardware": {"cpu": "none"}}))
    result = lca.solve(model)
    kwh = float(cells(V3, "eval-gcp")["energy_consumed"])
    pue = datacenter("hyperscale").get("pue").amount  # on a cloud: hyperscale, 1.1
    # gcp europe-west1 is in Belgium (St. Ghislain)
    assert result.supply[result.matrices.index["grid_BE"]] == pytest.approx(kwh * pue, rel=1e-12)
    assert result.by_phase()["training"]["GWP"].magnitude == pytest.approx(
        kwh * pue * grid("BE").impacts["GWP"].amount, rel=1e-12
    )


def test_measurement_method_sets_the_uncertainty(tmp_path):
    estimated = lca.load(inventory(tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "none"}}))
    error = estimated.parameters["codecarbon_cpu_error"].uncertainty
    assert (error.name, error.minimum, error.loc, error.maximum) == ("triangular", 0.5, 1.0, 2.0)
    rapl = lca.load(
        inventory(tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "none"}, "cpu_method": "rapl"})
    )
    error = rapl.parameters["codecarbon_cpu_rapl_error"].uncertainty
    assert (error.minimum, error.maximum) == (0.9, 1.1)
    assert "codecarbon_cpu_error" not in rapl.parameters
    # propagated: with a fixed grid (an inventory record of the same code wins) and a fixed PUE,
    # each GWP draw is (E + cpu x (e_cpu - 1) + ram x (e_ram - 1)) x PUE x factor
    path = inventory(
        tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "none", "memory": "none"}, "pue": 1.5}
    )
    data = yaml.safe_load(path.read_text())
    data["activities"].append(
        {
            "code": "grid_FR",
            "unit": "kWh",
            "exchanges": [{"input": "GWP", "amount": 0.1, "unit": "kg CO2 eq"}],
        }
    )
    path.write_text(yaml.safe_dump(data))
    mc = lca.monte_carlo(lca.build_matrices(lca.load(path)), 400, seed=3)
    errors = mc.input_draws()
    row = cells(V3, "finetune-fr")
    kwh, cpu, ram = (float(row[c]) for c in ("energy_consumed", "cpu_energy", "ram_energy"))
    electricity = (
        kwh + cpu * (errors["codecarbon_cpu_error"] - 1) + ram * (errors["codecarbon_ram_error"] - 1)
    )
    assert mc.samples("GWP", "training") == pytest.approx(electricity.to_numpy() * 1.5 * 0.1, rel=1e-9)
    assert errors.min().min() >= 0.5 and errors.max().max() <= 2.0 and errors.std().min() > 0.2
    assert METHOD_ERRORS["gpu"].low == 0.85 and "NVML" in METHOD_ERRORS["gpu"].source


def test_an_inventory_record_overrides_a_generated_one(tmp_path):
    path = inventory(tmp_path, {"runs": ["finetune-fr"], "hardware": {"cpu": "EPYC-7763", "memory": "none"}})
    data = yaml.safe_load(path.read_text())
    data["parameters"] = {"utilisation": {"amount": 0.5, "source": "our cluster's logs"}}
    path.write_text(yaml.safe_dump(data))
    result = lca.solve(lca.load(path))
    row = cells(V3, "finetune-fr")
    lifetime = hardware("EPYC-7763").get("lifetime").amount  # years, the entry's central value
    share = float(row["duration"]) / 3600 / (lifetime * HOURS_PER_YEAR * 0.5)
    embodied = hardware("EPYC-7763").impacts["GWP"].amount
    assert result.by_phase()["manufacturing"]["GWP"].magnitude == pytest.approx(share * embodied, rel=1e-12)


def test_import_writes_a_starter_inventory_that_runs(tmp_path, capsys):
    out = tmp_path / "starter.yaml"
    assert main(["import", "codecarbon", str(V2), "--out", str(out), "--cpu", "EPYC-7763"]) == 0
    written = yaml.safe_load(out.read_text())
    assert {"code": "grid_FR", "dataset": "grid/FR"} in written["activities"]
    assert written["parameters"]["lifetime_epyc_7763"] == {
        "dataset": "hardware/EPYC-7763",
        "field": "lifetime",
    }
    model, _ = starter_model(V2, hardware={"cpu": "EPYC-7763"})
    again = lca.solve(lca.load(out)).phase_table()
    assert again.equals(lca.solve(model).phase_table())
    # the three runs, each measured kWh once: FR twice (one with CodeCarbon's PUE 1.2), BE once
    runs = read_runs(V2)
    enterprise, hyperscale = (datacenter(k).get("pue").amount for k in ("enterprise", "hyperscale"))
    result = lca.solve(model)
    fr = runs[0].energy_consumed * enterprise + runs[1].energy_consumed
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(fr, rel=1e-12)
    assert result.supply[result.matrices.index["grid_BE"]] == pytest.approx(
        runs[2].energy_consumed * hyperscale
    )
    capsys.readouterr()
    assert main(["run", str(out)]) == 0
    assert "training" in capsys.readouterr().out


def test_import_to_a_workbook(tmp_path):
    out = tmp_path / "starter.xlsx"
    assert (
        main(["import", "codecarbon", str(V3), "--out", str(out), "--cpu", "none", "--runs", "finetune-fr"])
        == 0
    )
    result = lca.solve(lca.load(out))
    kwh = read_runs(V3)[0].energy_consumed
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(
        kwh * datacenter("enterprise").get("pue").amount, rel=1e-12
    )


@pytest.mark.parametrize(
    "name, where",
    [
        (
            "bad_missing_columns.csv",
            "bad_missing_columns.csv, row 1: missing column(s) duration, energy_consumed",
        ),
        (
            "bad_negative_energy.csv",
            "bad_negative_energy.csv, row 3, column gpu_energy: -0.002 kWh is negative",
        ),
        (
            "bad_unknown_country.csv",
            "bad_unknown_country.csv, row 2, column country_iso_code: country code 'FRX'",
        ),
        (
            "bad_not_a_number.csv",
            "bad_not_a_number.csv, row 2, column duration: 'three seconds' is not a number",
        ),
        ("bad_empty.csv", "bad_empty.csv: empty file"),
        ("bad_header_only.csv", "bad_header_only.csv, row 2: no runs"),
    ],
)
def test_malformed_files_are_located_exit_2_nothing_written(tmp_path, capsys, name, where):
    out = tmp_path / "model.yaml"
    assert main(["import", "codecarbon", str(FIXTURES / name), "--out", str(out), "--cpu", "none"]) == 2
    assert f"error: {where}" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_malformed_file_named_by_an_inventory_is_located_in_it(tmp_path):
    path = inventory(tmp_path, {"hardware": {"cpu": "none"}}, source=FIXTURES / "bad_negative_energy.csv")
    with pytest.raises(InputFileError) as info:
        lca.load(path)
    assert str(info.value.problems[0]).startswith("runs/emissions.csv, row 3, column gpu_energy: -0.002 kWh")


def edited(tmp_path: Path, column: str, value: str) -> Path:
    """The 3.x fixture with one cell of its first run changed."""
    with V3.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][column] = value
    path = tmp_path / f"edited_{column}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("country_iso_code", "MEX", "column country_iso_code: no grid mix for Mexico (MEX) in the datasets"),
        ("cloud_region", "europe-west99", "column cloud_region: no gcp region 'europe-west99'"),
        (
            "cpu_model",
            "Intel(R) Core(TM) i7-8650U",
            "column cpu_model: 'Intel(R) Core(TM) i7-8650U' matches no cpu",
        ),
        (
            "gpu_model",
            "1 x NVIDIA A100",
            "column gpu_model: 'NVIDIA A100' matches no gpu entry of the hardware dataset; did you mean 'A100-80GB' or 'A100-40GB'?",
        ),
        ("pue", "0.9", "column pue: 0.9; expected a PUE >= 1"),
        ("energy_consumed", "1", "column energy_consumed: 1 kWh is not cpu_energy + gpu_energy + ram_energy"),
        (
            "run_id",
            "e43efe8f-55a1-4cc6-a9e2-8229f1730406",
            "column run_id: run 'e43efe8f-55a1-4cc6-a9e2-8229f1730406' is also row 2",
        ),
    ],
)
def test_what_the_runs_name_is_checked(tmp_path, capsys, column, value, message):
    path = edited(tmp_path, column, value)
    if column == "cloud_region":
        path = edited(tmp_path, "cloud_provider", "gcp")
        path = Path(shutil.copy(path, tmp_path / "x.csv"))
        rows = path.read_text().replace(",gcp,,", f",gcp,{value},", 1)
        path.write_text(rows)
    hw = [] if column in ("cpu_model", "gpu_model") else ["--cpu", "none"]
    out = tmp_path / "model.yaml"
    assert main(["import", "codecarbon", str(path), "--out", str(out), *hw]) == 2
    err = capsys.readouterr().err
    row = 3 if column == "run_id" else 2  # the second row of the repeated run is the one at fault
    assert f"{path.name}, row {row}, {message}" in err
    assert not out.exists()


def test_unknown_run_is_named_with_the_closest(tmp_path):
    with pytest.raises(InputFileError, match="no run 'finetune-f' .*did you mean 'finetune-fr'"):
        lca.load(inventory(tmp_path, {"runs": ["finetune-f"], "hardware": {"cpu": "none"}}))


def test_workbook_energy_column(tmp_path):
    from lca.io.excel import write_inventory

    shutil.copy(V3, tmp_path / "emissions.csv")
    model = lca.Model("wb")
    model.add_activity(lca.Activity("finetune", "fine-tuning", "training", "run"))
    model.functional_unit = lca.FunctionalUnit("finetune", 1, "run")
    path = tmp_path / "model.xlsx"
    write_inventory(model, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Activities"]
    column = [c.value for c in sheet[1]].index("energy") + 1
    sheet.cell(2, column, "emissions.csv; runs: finetune-fr; cpu: EPYC-7763")
    book.save(path)
    result = lca.solve(lca.load(path))
    kwh = read_runs(V3)[0].energy_consumed
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(
        kwh * datacenter("enterprise").get("pue").amount, rel=1e-12
    )
    sheet.cell(2, column, "emissions.csv; runs: nope")
    book.save(path)
    letter = openpyxl.utils.get_column_letter(column)
    with pytest.raises(InputFileError, match=rf"model.xlsx, Activities!{letter}2: no run 'nope'"):
        lca.load(path)


@pytest.mark.parametrize(
    "device, kind, entry",
    [
        ("NVIDIA H100 80GB HBM3", "gpu", "H100"),
        ("NVIDIA A100-SXM4-80GB", "gpu", "A100-80GB"),
        ("NVIDIA A100-SXM4-40GB", "gpu", "A100-40GB"),
        ("Tesla V100-SXM2-32GB", "gpu", "V100-32GB"),
        ("Tesla T4", "gpu", "T4"),
        ("NVIDIA A10", "gpu", "A10"),
        ("NVIDIA GeForce RTX 3090", "gpu", "RTX-3090"),
        ("AMD EPYC 7763 64-Core Processor", "cpu", "EPYC-7763"),
        ("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "cpu", "Xeon-Platinum-8380"),
    ],
)
def test_device_names_match_hardware_entries(device, kind, entry):
    assert match_hardware(device, kind).name == entry


def test_similar_names_do_not_match():
    with pytest.raises(DataNotFound, match="matches no gpu entry"):
        match_hardware("NVIDIA L40S", "gpu")  # not an L4
    with pytest.raises(DataNotFound, match="matches no cpu entry"):
        match_hardware("AMD EPYC", "cpu")


def gpu_run(tmp_path: Path, **cells: str) -> Path:
    """The 3.x fixture's first run as if it had used 8 GPUs (CodeCarbon's gpu columns set)."""
    path = edited(tmp_path, "gpu_energy", cells.pop("gpu_energy", "0.002"))
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = rows[0]
    parts = float(row["cpu_energy"]) + float(row["gpu_energy"]) + float(row["ram_energy"])
    row.update(
        {"energy_consumed": repr(parts), "gpu_count": "8", "gpu_model": "8 x NVIDIA H100 80GB HBM3", **cells}
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(row))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_gpus_are_matched_amortised_and_measured_by_nvml(tmp_path):
    path = gpu_run(tmp_path)
    model, _ = starter_model(path, runs=["finetune-fr"], hardware={"cpu": "none", "memory": "none"})
    row = cells(path, "finetune-fr")
    # 8 H100 for the run's duration: 8 x duration / (lifetime x utilisation) x 164 kg CO2 eq
    h100 = hardware("H100")
    share = 8 * float(row["duration"]) / 3600 / (h100.get("lifetime").amount * HOURS_PER_YEAR * 0.85)
    result = lca.solve(model)
    assert result.by_phase()["manufacturing"]["GWP"].magnitude == pytest.approx(
        share * gwp_of(h100), rel=1e-12
    )
    assert result.supply[result.matrices.index["hardware_H100"]] == pytest.approx(share, rel=1e-12)
    # the GPU part varies by NVML's error, +/-15%
    assert (
        "finetune_fr_gpu_energy * (codecarbon_gpu_error - 1)"
        in model.parameters["finetune_fr_electricity"].amount
    )
    assert model.parameters["codecarbon_gpu_error"].uncertainty.maximum == 1.15


def gwp_of(entry):
    return entry.impacts["GWP"].amount


def test_a_part_that_used_energy_must_be_named(tmp_path, capsys):
    path = gpu_run(tmp_path, gpu_model="", gpu_count="")
    out = tmp_path / "model.yaml"
    assert main(["import", "codecarbon", str(path), "--out", str(out), "--cpu", "none"]) == 2
    assert "row 2, column gpu_model: empty, but the run used GPU energy" in capsys.readouterr().err
    assert not out.exists()
    # named on the command line instead, with the count the file gives
    path = gpu_run(tmp_path, gpu_model="")
    assert main(["import", "codecarbon", str(path), "--out", str(out), "--cpu", "none", "--gpu", "H100"]) == 0


def test_runs_of_two_files_never_share_records(tmp_path):
    # both files have a run of project finetune-fr: each activity gets its own
    shutil.copy(V2, tmp_path / "v2.csv")
    shutil.copy(V3, tmp_path / "v3.csv")
    spec = {"runs": ["finetune-fr"], "hardware": {"cpu": "none", "memory": "none"}, "pue": 1.0}
    data = {
        "format": "lca-inventory/1",
        "name": "two files",
        "functional_unit": {"activity": "both", "amount": 1, "unit": "run"},
        "activities": [
            {"code": "a", "phase": "training", "unit": "run", "energy": {"codecarbon": "v2.csv", **spec}},
            {"code": "b", "phase": "training", "unit": "run", "energy": {"codecarbon": "v3.csv", **spec}},
            {
                "code": "both",
                "unit": "run",
                "phase": "training",
                "exchanges": [
                    {"input": "a", "amount": 1, "unit": "run"},
                    {"input": "b", "amount": 1, "unit": "run"},
                ],
            },
        ],
    }
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data))
    result = lca.solve(lca.load(path))
    total = read_runs(V2)[0].energy_consumed + read_runs(V3)[0].energy_consumed
    assert result.supply[result.matrices.index["grid_FR"]] == pytest.approx(total, rel=1e-12)


def test_a_measured_serving_run_per_request(tmp_path):
    # inference measured by CodeCarbon: the run's impacts over the requests it served
    shutil.copy(V3, tmp_path / "emissions.csv")
    data = {
        "format": "lca-inventory/1",
        "name": "serving",
        "functional_unit": {"activity": "request", "amount": 1, "unit": "request"},
        "parameters": {"requests": {"amount": 1200, "source": "the server's log of the run"}},
        "activities": [
            {
                "code": "serving",
                "phase": "deployment",
                "unit": "run",
                "energy": {
                    "codecarbon": "emissions.csv",
                    "runs": ["eval-gcp"],
                    "hardware": {"cpu": "EPYC-7763"},
                },
            },
            {
                "code": "request",
                "phase": "deployment",
                "unit": "request",
                "exchanges": [{"input": "serving", "amount": "1 / requests", "unit": "run"}],
            },
        ],
    }
    path = tmp_path / "serving.yaml"
    path.write_text(yaml.safe_dump(data))
    result = lca.solve(lca.load(path))
    run = read_runs(V3)[2]
    pue = datacenter("hyperscale").get("pue").amount  # gcp: hyperscale
    assert result.supply[result.matrices.index["grid_BE"]] == pytest.approx(
        run.energy_consumed * pue / 1200, rel=1e-12
    )
    # the CPU's embodied share per request: duration / (lifetime x utilisation) / requests
    cpu = hardware("EPYC-7763")
    share = run.duration / 3600 / (cpu.get("lifetime").amount * HOURS_PER_YEAR * 0.85) / 1200
    assert result.supply[result.matrices.index["hardware_EPYC-7763"]] == pytest.approx(share, rel=1e-12)


def test_import_options_are_checked(tmp_path, capsys):
    out = tmp_path / "model.yaml"
    assert main(["import", "codecarbon", str(V3), "--out", str(out), "--cpu", "none", "--pue", "0.9"]) == 2
    assert "error: --pue 0.9: expected a number >= 1" in capsys.readouterr().err
    assert (
        main(
            ["import", "codecarbon", str(V3), "--out", str(out), "--cpu", "none", "--datacenter", "hyperscal"]
        )
        == 2
    )
    assert "did you mean 'hyperscale'" in capsys.readouterr().err
    assert main(["import", "codecarbon", str(V3), "--out", str(tmp_path / "model.csv"), "--cpu", "none"]) == 2
    assert "expected a file name ending in .yaml, .yml, .xlsx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
