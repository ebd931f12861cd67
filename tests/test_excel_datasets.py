"""Workbooks that take activities and parameters from the reference datasets by name.

The tiny case of excel_cases.py, with its grid activity (Activities row 3) taken from the
datasets: a ``dataset`` cell (column J) and no unit, name or GWP exchange of its own.
Hand calculation (grid/FR: 0.098 kg CO2 eq/kWh, 4.86e-8 kg Sb eq/kWh):
    GPU share  150 kg x 1,000 h / (52,560 h x 0.85)   =  3.357507 kg CO2 eq
    energy     1,000 h x 400 W = 400 kWh x 0.098        = 39.2 kg CO2 eq
    total GWP                                           = 42.557507 kg CO2 eq
    ADP        400 kWh x 4.86e-8 kg Sb eq/kWh           =  1.944e-5 kg Sb eq
"""

from __future__ import annotations

import openpyxl
import pytest
from excel_cases import GWP_TOTAL, tiny_model, tiny_workbook

import lca
from lca.cli import main
from lca.errors import InputFileError
from lca.io.datafile import model_from_dict, model_to_dict
from lca.io.excel import load_workbook_model, write_inventory, write_template

GPU_SHARE = 150 * 1000 / (52560 * 0.85)
INDICATORS = ("GWP", "ADP", "PE", "WATER")


def _grid_from(ref: str, keep_gwp: bool = False, unit: str | None = None):
    """Edit: the grid activity (row 3) names ``ref``; its own GWP row (Exchanges 3) goes."""

    def edit(book: openpyxl.Workbook) -> None:
        acts = book["Activities"]
        assert acts["J1"].value == "dataset" and acts["A3"].value == "grid"
        acts["J3"], acts["D3"], acts["B3"] = ref, unit, None
        if not keep_gwp:
            book["Exchanges"].delete_rows(3)

    return edit


def _yaml_twin(ref: str) -> dict:
    """The same inventory as a data file: the grid record is ``{code: grid, dataset: REF}``."""
    data = model_to_dict(tiny_model())
    data["activities"] = [
        {"code": "grid", "dataset": ref} if a["code"] == "grid" else a for a in data["activities"]
    ]
    return data


@pytest.mark.parametrize("ref, missing", [("grid/FR", ()), ("grid/SG", ("WATER",))])
def test_dataset_activity_gives_the_same_results_as_the_data_file(tmp_path, ref, missing):
    book = load_workbook_model(tiny_workbook(tmp_path, edit=_grid_from(ref)))
    twin = model_from_dict(_yaml_twin(ref))
    assert model_to_dict(book) == model_to_dict(twin)
    grid = book.activities["grid"]
    assert grid.unit == "kWh" and grid.missing == missing  # the indicators the entry lacks
    assert book.info["datasets"] == {"version": lca.data.version(), "entries": [ref]}
    ours, theirs = lca.solve(book), lca.solve(twin)
    for code in INDICATORS:
        assert ours.total(code) == theirs.total(code)  # exactly
    if missing:
        assert sorted(ours.missing()["WATER"]) == ["gpu", "grid"]  # the GPU lists WATER missing too
    else:
        assert ours.total("GWP").magnitude == pytest.approx(GPU_SHARE + 400 * 0.098, rel=1e-12)
        assert ours.total("ADP").magnitude == pytest.approx(400 * 4.86e-8, rel=1e-12)


def test_an_exchange_on_gwp_replaces_the_dataset_gwp(tmp_path):
    # the grid keeps its own row Exchanges!3: GWP 0.057 kg CO2 eq per kWh (lognormal, gsd 1.1)
    model = load_workbook_model(tiny_workbook(tmp_path, edit=_grid_from("grid/FR", keep_gwp=True)))
    gwp = [e for e in model.activities["grid"].exchanges if e.input == "GWP"]
    assert [(e.amount, e.unit) for e in gwp] == [(0.057, "kg CO2 eq")]
    result = lca.solve(model)
    # 3.357507 + 400 kWh x 0.057 kg CO2 eq/kWh = 3.357507 + 22.8 = 26.157507 kg CO2 eq
    assert result.total("GWP").magnitude == pytest.approx(GWP_TOTAL, rel=1e-12)
    assert result.total("GWP").magnitude == pytest.approx(26.157507, abs=1e-6)
    # the other indicators still come from grid/FR: ADP 400 kWh x 4.86e-8 = 1.944e-5 kg Sb eq
    assert result.total("ADP").magnitude == pytest.approx(1.944e-5, rel=1e-12)


def test_import_export_import_gives_the_same_results(tmp_path):
    first = load_workbook_model(tiny_workbook(tmp_path, edit=_grid_from("grid/FR")))
    again = tmp_path / "again.xlsx"
    write_inventory(first, again)  # the expanded exchanges, no dataset cell
    assert openpyxl.load_workbook(again)["Activities"]["J3"].value is None
    second = load_workbook_model(again)
    assert model_to_dict(second) == model_to_dict(first)
    # provenance is lca's to record: the workbook holds values, each activity names its entry
    assert "datasets" not in second.info and first.info["datasets"]["entries"] == ["grid/FR"]
    assert second.activities["grid"].source == f"lca datasets {lca.data.version()}: grid/FR"
    for code in INDICATORS:
        assert lca.solve(second).total(code) == lca.solve(first).total(code)


def test_dataset_parameter_takes_the_entry_value(tmp_path):
    def edit(book):
        params = book["Parameters"]
        assert (params["S1"].value, params["T1"].value) == ("dataset", "field")
        params.append({"A": "pue", "S": "datacenter/hpc", "T": "pue"})

    model = load_workbook_model(tiny_workbook(tmp_path, edit=edit))
    pue = model.parameters["pue"]
    # datacenter.csv: hpc PUE 1.2 (Luccioni et al. 2023, Jean Zay), range 1.05-1.4
    assert (pue.amount, pue.unit) == (1.2, "")
    assert (pue.uncertainty.name, pue.uncertainty.minimum, pue.uncertainty.maximum) == (
        "triangular",
        1.05,
        1.4,
    )
    assert "datacenter/hpc, pue" in pue.source
    assert model.info["datasets"]["entries"] == ["datacenter/hpc"]


def test_problems_are_put_on_their_cells(tmp_path):
    def edit(book):
        _grid_from("grid/FX")(book)
        book["Activities"]["J4"], book["Activities"]["D4"] = "grid/FR", "item"  # job: unit contradicts
        params = book["Parameters"]
        params.append({"A": "pue", "S": "datacenter/hpc", "T": "pve"})
        params.append({"A": "pue2", "B": 1.3, "S": "datacenter/hpc", "T": "pue"})
        params.append({"A": "pue3", "B": 1.3, "T": "pue"})

    with pytest.raises(InputFileError) as info:
        load_workbook_model(tiny_workbook(tmp_path, edit=edit))
    assert [str(p) for p in info.value.problems] == [
        "tiny.xlsx, Parameters!T7: dataset 'datacenter/hpc' has no value 'pve' (it gives: pue)",
        "tiny.xlsx, Parameters!B8: 'amount' beside 'dataset': the entry gives the value, its unit, "
        "range and source; clear this cell or the dataset",
        "tiny.xlsx, Parameters!T9: 'field' without 'dataset'; give both or none",
        "tiny.xlsx, Activities!J3: no dataset entry 'grid/FX'; did you mean 'grid/FR'? "
        "('lca data list' prints them)",
        "tiny.xlsx, Activities!D4: unit 'item' differs from the unit of dataset 'grid/FR' ('kWh'); "
        "leave 'unit' out or scale the exchanges that use this activity",
    ]


def test_cli_exits_2_on_an_unknown_reference(tmp_path, capsys):
    path = tiny_workbook(tmp_path, "bad.xlsx", _grid_from("grid/FX"))
    assert main(["run", str(path)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: bad.xlsx, Activities!J3: no dataset entry 'grid/FX'; did you mean 'grid/FR'? "
        "('lca data list' prints them)"
    ]


def test_template_readme_documents_the_dataset_columns(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    rows = {(r[0], r[1]): r for r in openpyxl.load_workbook(path)["README"].iter_rows(values_only=True) if r}
    activity = rows[("Activities", "dataset")]
    assert activity[4] == "grid/FR" and "CATEGORY/NAME" in activity[3] and "missing" in activity[3]
    assert rows[("Activities", "unit")][2] == "yes, unless dataset"
    assert rows[("Parameters", "dataset")][4] == "datacenter/hpc"
    assert rows[("Parameters", "field")][4] == "pue"
    assert rows[("Parameters", "amount")][2] == "yes, unless dataset"
