"""A workbook names its impact methods as a data file does (the Model sheet's ``methods`` row), and
its Flows sheet names elementary flows (``categories``, ``uuid``): the same model read from YAML
and from the workbook gives the same methods, the same results, and the same problems at the
matching places.
"""

from __future__ import annotations

import pytest
import yaml

pytest.importorskip("bw2io")  # the packaged methods and elementary flows

import lca
from lca.errors import InputFileError
from lca.io.excel import load_workbook_model, write_inventory

EF_ACID = ["EF v3.1", "acidification", "accumulated exceedance (AE)"]


def _data(methods) -> dict:
    """Sulfur dioxide and fossil CO2 to air (by name and categories, by UUID) from one activity."""
    return {
        "name": "methods",
        "methods": methods,
        "functional_unit": {"activity": "use"},
        "flows": [
            {"code": "so2", "name": "Sulfur dioxide", "unit": "g", "categories": ["air"]},
            {"code": "co2", "name": "Carbon dioxide, fossil", "unit": "kg"}
            | {"uuid": "349b29d1-3e58-4c66-98b9-9d1a076efd2e"},
        ],
        "activities": [
            {
                "code": "use",
                "phase": "deployment",
                "unit": "item",
                "exchanges": [{"input": "so2", "amount": 10, "unit": "g"}, {"input": "co2", "amount": 2}],
            }
        ],
    }


def _both(tmp_path, methods):
    """The model read from its YAML file, and from the workbook ``write_inventory`` makes of it."""
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(_data(methods)))
    model = lca.load(path)
    write_inventory(model, tmp_path / "m.xlsx")
    return model, load_workbook_model(tmp_path / "m.xlsx")


def test_a_workbook_names_its_methods_as_a_data_file_does(tmp_path):
    from lca.methods import impact_category

    model, book = _both(tmp_path, [EF_ACID])
    assert book.flows["so2"].categories == ("air",) and book.flows["co2"].uuid == model.flows["co2"].uuid
    ours, theirs = lca.solve(model), lca.solve(book)
    # by hand: 10 g = 0.01 kg of SO2 times its EF 3.1 factor (mol H+ eq per kg), from bw2io's data
    so2 = impact_category(tuple(EF_ACID)).factors["fd7aa71c-508c-480d-81a6-8052aad92646"]
    assert theirs.total("acidification").magnitude == pytest.approx(0.01 * so2, rel=1e-12)
    for code in ("GWP", "acidification"):
        assert theirs.total(code).magnitude == ours.total(code).magnitude
    assert theirs.total("GWP").magnitude == pytest.approx(2.0, rel=1e-12)  # 2 kg CO2, IPCC 2021 factor 1


def test_a_method_mapping_keeps_its_codes(tmp_path):
    _, book = _both(tmp_path, {"GWP": ["EF v3.1", "climate change", "global warming potential (GWP100)"]})
    assert list(book.info["methods"]) == ["GWP"]


def _methods_cell(tmp_path) -> str:
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["Model"]
    return next(f"B{c.row}" for c in ws["A"] if c.value == "methods")


def test_an_unknown_method_is_at_its_place_in_both(tmp_path):
    import openpyxl

    _both(tmp_path, [EF_ACID])  # a good data file and its workbook; then each gets a misspelt method
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(_data([["EF v3.1", "acidifcation", "accumulated exceedance (AE)"]])))
    with pytest.raises(InputFileError) as from_yaml:
        lca.load(path)
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    cell = _methods_cell(tmp_path)
    wb["Model"][cell] = "[[EF v3.1, acidifcation, accumulated exceedance (AE)]]"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputFileError) as from_book:
        load_workbook_model(tmp_path / "bad.xlsx")
    hint = "did you mean 'EF v3.1 | acidification | accumulated exceedance (AE)'?"
    assert str(from_yaml.value).startswith("m.yaml, methods: impact method") and hint in str(from_yaml.value)
    assert str(from_book.value).startswith(f"bad.xlsx, Model!{cell}: impact method") and hint in str(
        from_book.value
    )


def test_a_malformed_methods_cell_is_located(tmp_path):
    import openpyxl

    _both(tmp_path, [EF_ACID])
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    cell = _methods_cell(tmp_path)
    wb["Model"][cell] = "IPCC 2021"  # a name, not a list of names
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(
        InputFileError, match=rf"bad.xlsx, Model!{cell}: methods: expected a list of method names"
    ):
        load_workbook_model(tmp_path / "bad.xlsx")
