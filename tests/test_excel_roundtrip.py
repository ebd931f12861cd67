"""Workbooks round trip: template -> filled -> import -> export -> import, BLOOM as a workbook.

Hand calculation of the tiny case (excel_cases): GWP = 150 kg x 1,000 h / (52,560 h x 0.85)
+ 1,000 h x 400 W x 0.057 kg/kWh = 3.357507 + 22.8 = 26.157507 kg CO2 eq.
BLOOM (Luccioni et al. 2023): the workbook and the data file give the same numbers.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from excel_cases import GWP_TOTAL, tiny_model

import lca
from lca.cli import main
from lca.io.datafile import load_model, model_to_dict
from lca.io.excel import load_workbook_model, write_inventory, write_results, write_template
from lca.io.excel_layout import SHEETS


def _fill_template(path):
    """What a practitioner types into the template: the tiny case, with text where allowed."""
    book = openpyxl.load_workbook(path)
    values = {
        "name": "tiny",
        "description": "a GPU job",
        "functional_unit.activity": "job",
        "functional_unit.amount": 1,
        "functional_unit.unit": "run",
    }
    model = book["Model"]
    for row in model.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    params = book["Parameters"]
    for row in [
        ["gpu_hours", 1000, "h", None, None, None, None, None, None, None, *[None] * 5, None, "test"],
        ["lifetime", 52560, "h"],
        ["utilisation", 0.85],
        ["gpu_embodied", 150, "kg CO2 eq", "lognormal", None, None, None, None, None, None, 2, 3, 1, 2, 4],
        ["gpu_tdp", "400", "W"],  # a number typed as text
        ["energy", "gpu_hours * gpu_tdp", "kWh"],  # an lca formula in a text cell
    ]:
        params.append(row)
    acts = book["Activities"]
    for row in [
        ["gpu", "GPU manufacturing", "manufacturing", "item", None, None, "ADP, PE, WATER"],
        ["grid", "electricity", None, "kWh"],
        ["job", "training job", "training", "run"],
    ]:
        acts.append(row)
    exchanges = book["Exchanges"]
    for row in [
        ["gpu", "GWP", "gpu_embodied", "kg CO2 eq"],
        ["grid", "GWP", 57, "g CO2 eq", None, None, "uniform", None, None, None, 40, 100],
        ["job", "grid", "energy", "kWh"],
        ["job", "gpu", "gpu_hours", "h", "lifetime", "utilisation"],
    ]:
        exchanges.append(row)
    book.save(path)


def test_template_documents_every_column(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["README", "Lists", *SHEETS]
    readme = {(r[0], r[1]) for r in book["README"].iter_rows(values_only=True) if r and r[0]}
    for sheet, columns in SHEETS.items():
        assert [c.value for c in book[sheet][1]] == [c.name for c in columns]
        assert book[sheet].freeze_panes == "A2"
        assert all((sheet, c.name) in readme for c in columns)
    rules = book["Activities"].data_validations.dataValidation
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in rules}
    assert lists["C"] == "Lists!$A$1:$A$7"  # phase: six phases + background
    assert book["Lists"].sheet_state == "hidden"


def test_template_filled_imported_exported_imported_is_identical(tmp_path):
    path = tmp_path / "mine.xlsx"
    write_template(path)
    _fill_template(path)
    first = load_workbook_model(path)
    # pedigree (2,3,1,2,4) with basic variance 0.0006: sigma^2 = 0.041825 (design.md section 7)
    assert first.parameters["gpu_embodied"].uncertainty.scale == pytest.approx(0.041825**0.5, rel=1e-12)
    result = lca.solve(first)
    assert result.total("GWP").magnitude == pytest.approx(GWP_TOTAL, rel=1e-12)
    assert result.by_phase()["manufacturing"]["GWP"].magnitude == pytest.approx(150e3 / 44676, rel=1e-12)

    again = tmp_path / "again.xlsx"
    write_inventory(first, again)
    second = load_workbook_model(again)
    assert model_to_dict(second) == model_to_dict(first)
    pd.testing.assert_frame_equal(lca.solve(second).phase_table(), result.phase_table())


def test_python_model_round_trips(tmp_path):
    model = tiny_model()
    path = tmp_path / "tiny.xlsx"
    write_inventory(model, path)
    assert model_to_dict(load_workbook_model(path)) == model_to_dict(model)


def test_bloom_workbook_matches_the_data_file(tmp_path):
    """datasets/cases/bloom.xlsx is bloom.yaml: regenerate it with
    ``python -m lca.io.excel datasets/cases/bloom.yaml datasets/cases/bloom.xlsx``."""
    cases = lca.datasets_dir() / "cases"
    from_yaml = load_model(cases / "bloom.yaml")
    from_xlsx = load_workbook_model(cases / "bloom.xlsx")
    assert model_to_dict(from_xlsx) == model_to_dict(from_yaml), "bloom.xlsx is stale: regenerate it"
    a, b = lca.solve(from_yaml), lca.solve(from_xlsx)
    pd.testing.assert_frame_equal(a.phase_table(), b.phase_table(), check_exact=True)
    # Luccioni et al. 2023: 11.2 t embodied (3.64 + 7.58 t), 24.69 t dynamic + 14.6 t idle training
    assert b.by_phase()["training"]["GWP"].to("t CO2 eq").magnitude == pytest.approx(24.69 + 14.63, abs=0.01)
    regenerated = tmp_path / "bloom.xlsx"
    write_inventory(from_yaml, regenerated)
    assert model_to_dict(load_workbook_model(regenerated)) == model_to_dict(from_yaml)


def test_results_workbook(tmp_path):
    model = tiny_model()
    result = lca.solve(model)
    stats = pd.DataFrame(
        {"phase": ["total"], "GWP mean [kg CO2 eq]": [26.2], "GWP p2.5 [kg CO2 eq]": [20.0]}
    ).set_index("phase")
    path = tmp_path / "results.xlsx"
    write_results(result, path, model=model, stats=stats, inventory="tiny.xlsx")
    book = openpyxl.load_workbook(path)
    # the layout of `lca report --format xlsx` (lca.report.xlsx): a sheet per table
    assert {"report", "results", "activities", "parameters", "exchanges", "montecarlo"} <= set(
        book.sheetnames
    )
    totals = list(book["results"].iter_rows(min_row=2, values_only=True))
    assert totals[0] == ("phase", "GWP [kg CO2 eq]", "ADP [kg Sb eq]", "PE [MJ]", "WATER [L]")
    total = next(r for r in totals if r[0] == "total")
    assert total[1] == pytest.approx(GWP_TOTAL, rel=1e-12)
    contributions = list(book["activities"].iter_rows(min_row=2, values_only=True))
    header = contributions[0]
    assert all("[" in h for h in header[5:])  # units in every numeric header
    job = next(r for r in contributions if r[0] == "job")
    assert job[header.index("GWP attributed [kg CO2 eq]")] == pytest.approx(22.8, rel=1e-12)
    parameters = list(book["parameters"].iter_rows(min_row=3, values_only=True))
    lifetime = next(r for r in parameters if r[0] == "lifetime")
    assert lifetime[1:3] == (52560, "h") and lifetime[5] == "6 years of 8,760 h"
    assert list(book["montecarlo"].iter_rows(min_row=3, values_only=True))[0] == ("total", 26.2, 20.0)


def test_cli_template_export_and_run(tmp_path, capsys):
    template = tmp_path / "t.xlsx"
    assert main(["template", str(template)]) == 0
    assert main(["template", str(template)]) == 2  # no silent overwrite
    workbook, yaml_file, results = tmp_path / "bloom.xlsx", tmp_path / "bloom.yaml", tmp_path / "r.xlsx"
    assert main(["export", "--out", str(workbook)]) == 0
    assert main(["export", str(workbook), "--format", "yaml", "--out", str(yaml_file)]) == 0
    assert model_to_dict(load_model(yaml_file)) == model_to_dict(lca.bloom())
    assert main(["export", str(workbook), "--results", "--out", str(results)]) == 0
    capsys.readouterr()
    assert main(["run", str(workbook)]) == 0
    printed = capsys.readouterr().out
    assert "50.89" in printed  # 50.9 t CO2 eq in all, as from bloom.yaml (GWP [t CO2 eq] column)
    totals = list(openpyxl.load_workbook(results)["results"].iter_rows(values_only=True))
    total = next(r for r in totals if r[0] == "total")
    assert total[1] == pytest.approx(lca.solve(lca.bloom()).total("GWP").magnitude, rel=1e-12)
    assert np.isfinite(total[1])


def test_flows_sheet_and_sheet_names_in_any_case(tmp_path):
    """A flow with a characterisation factor: 2 kg CH4 x 29.8 kg CO2 eq/kg (IPCC AR6 GWP100,
    fossil methane) = 59.6 kg CO2 eq on top of the tiny case."""
    from lca.model.records import Exchange, Flow

    model = tiny_model()
    model.add_flow(Flow("ch4", "methane, fossil", "kg", {"GWP": 29.8}, "IPCC AR6 WG1 table 7.15"))
    model.activities["job"].exchanges.append(Exchange("ch4", 2.0, "kg", comment="leak"))
    path = tmp_path / "flows.xlsx"
    write_inventory(model, path)
    book = openpyxl.load_workbook(path)
    book["Exchanges"].title = "renamed"
    book["renamed"].title = "exchanges"  # (openpyxl refuses a direct change of case)
    book.save(path)
    loaded = load_workbook_model(path)
    assert model_to_dict(loaded) == model_to_dict(model)
    assert lca.solve(loaded).total("GWP").magnitude == pytest.approx(GWP_TOTAL + 59.6, rel=1e-12)


def test_text_that_starts_with_equals_is_text_not_a_formula(tmp_path):
    model = tiny_model()
    model.parameters["gpu_hours"].comment = "= 1,000 h, from the job log"
    path = tmp_path / "text.xlsx"
    write_inventory(model, path)
    assert load_workbook_model(path).parameters["gpu_hours"].comment == "= 1,000 h, from the job log"


def test_blank_rows_keep_cell_references(tmp_path):
    path = tmp_path / "gaps.xlsx"
    write_inventory(tiny_model(), path)
    book = openpyxl.load_workbook(path)
    book["Exchanges"].append([])  # row 6 left blank
    book["Exchanges"]["A7"], book["Exchanges"]["B7"] = "job", "grid"
    book["Exchanges"]["C7"], book["Exchanges"]["D7"] = 5, "kWhh"
    book.save(path)
    with pytest.raises(lca.InputFileError) as info:
        load_workbook_model(path)
    assert [p.where for p in info.value.problems] == ["gaps.xlsx, Exchanges!D7"]


def test_module_command_regenerates_a_workbook(tmp_path):
    from lca.io.excel import main as convert

    target = tmp_path / "bloom.xlsx"
    assert convert([str(lca.datasets_dir() / "cases" / "bloom.yaml"), str(target)]) == 0
    assert model_to_dict(load_workbook_model(target)) == model_to_dict(lca.bloom())
    assert convert([str(target)]) == 2  # usage
