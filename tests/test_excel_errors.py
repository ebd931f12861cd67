"""Malformed workbooks: every problem is reported at its exact ``file, Sheet!Cell``.

Each case starts from the tiny inventory of ``excel_cases`` (its cell layout is written
out there), breaks one cell with openpyxl and names the cell the error must point at.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from excel_cases import GWP_TOTAL, tiny_workbook

from lca.cli import main
from lca.errors import InputFileError
from lca.io import excel_cells
from lca.io.excel import load_workbook_model, write_template


def _set(sheet: str, coord: str, value):
    def edit(book):
        book[sheet][coord] = value

    return edit


def _both(*edits):
    def edit(book):
        for e in edits:
            e(book)

    return edit


def _delete_sheet(name: str):
    def edit(book):
        del book[name]

    return edit


# (edit, exact location, words the message must hold)
CORPUS = [
    (
        "unknown unit",
        _set("Exchanges", "D4", "kWhh"),
        "Exchanges!D4",
        ["'kWhh' is not a unit", "did you mean 'kWh'"],
    ),
    ("formula unit does not convert", _set("Exchanges", "D2", "kWh"), "Exchanges!D2", ["cannot convert"]),
    ("number unit vs supplier", _set("Exchanges", "D3", "kg"), "Exchanges!D3", ["cannot convert", "'kg'"]),
    (
        "text in number column",
        _set("Activities", "F3", "one"),
        "Activities!F3",
        ["text 'one'", "expected a number"],
    ),
    (
        "thousands separator",
        _set("Parameters", "B2", "1,000"),
        "Parameters!B2",
        ["text '1,000' looks like a number written with a comma"],
    ),
    ("date in number column", _set("Activities", "F2", dt.datetime(2024, 1, 5)), "Activities!F2", ["a date"]),
    ("missing column", _set("Exchanges", "C1", None), "Exchanges!1:1", ["missing required column 'amount'"]),
    (
        "unknown column",
        _set("Exchanges", "V1", "ammount"),
        "Exchanges!V1",
        ["unknown column 'ammount'", "'amount'"],
    ),
    (
        "duplicate activity code",
        _both(_set("Activities", "A5", "gpu"), _set("Activities", "D5", "item")),
        "Activities!A5",
        ["'gpu' is used twice", "first at Activities!A2"],
    ),
    (
        "duplicate parameter",
        _set("Parameters", "A3", "gpu_hours"),
        "Parameters!A3",
        ["'gpu_hours' is used twice"],
    ),
    ("input unknown", _set("Exchanges", "B4", "gird"), "Exchanges!B4", ["'gird'", "did you mean 'grid'"]),
    ("consumer unknown", _set("Exchanges", "A5", "jobb"), "Exchanges!A5", ["no activity 'jobb'", "'job'"]),
    (
        "bad phase",
        _set("Activities", "C4", "trainig"),
        "Activities!C4",
        ["'trainig' is not a life-cycle phase", "did you mean 'training'"],
    ),
    (
        "unknown distribution",
        _set("Parameters", "D5", "gaussian"),
        "Parameters!D5",
        ["'gaussian' is not supported"],
    ),
    (
        "triangular min above max",
        _set("Parameters", "H5", 400),
        "Parameters!H5",
        ["min (400) is above max (330)"],
    ),
    (
        "gsd below 1",
        _both(_set("Exchanges", "H3", 0.5), _set("Exchanges", "I3", None)),
        "Exchanges!H3",
        ["0.5; expected a geometric standard deviation >= 1"],
    ),
    (
        "gsd and sigma both",
        _set("Exchanges", "H3", 1.2),
        "Exchanges!I3",
        ["sigma is given beside gsd and they disagree"],
    ),
    (
        "normal without sd",
        _both(_set("Exchanges", "G3", "normal"), _set("Exchanges", "I3", None)),
        "Exchanges!J3",
        ["normal needs sd"],
    ),
    (
        "sd without a distribution",
        _set("Parameters", "G6", 20),
        "Parameters!G6",
        ["sd is not read by distribution 'fixed'"],
    ),
    (
        "sd for a uniform",
        _set("Parameters", "G5", 20),
        "Parameters!G5",
        ["sd is not read by distribution 'triangular'"],
    ),
    ("pedigree score 6", _set("Parameters", "K2", 6), "Parameters!K2", ["pedigree score 6", "1 to 5"]),
    (
        "partial pedigree",
        _set("Parameters", "K2", 2),
        "Parameters!L2",
        ["empty pedigree score 'completeness'"],
    ),
    (
        "lifetime <= 0",
        _set("Exchanges", "E5", "-1 year"),
        "Exchanges!E5",
        ["-1 yr must be > 0"],
    ),
    (
        "lifetime not a time",
        _set("Exchanges", "E5", 6),
        "Exchanges!E5",
        ["6 is not a time; give it a unit such as year"],
    ),
    ("utilisation above 1", _set("Exchanges", "F5", 1.5), "Exchanges!F5", ["1.5 is outside (0, 1]"]),
    (
        "utilisation 0 from a parameter",
        _set("Parameters", "B4", 0),
        "Exchanges!F5",
        ["0 (formula 'utilisation') is outside (0, 1]"],
    ),
    (
        "unknown name in formula",
        _set("Exchanges", "C4", "gpu_hours * gpu_tpd"),
        "Exchanges!C4",
        ["did you mean 'gpu_tdp'"],
    ),
    (
        "code in a formula",
        _set("Parameters", "B6", "__import__('os').system('echo hi')"),
        "Parameters!B6",
        ["is not allowed"],
    ),
    ("unknown parameter unit", _set("Parameters", "C6", "Wats"), "Parameters!C6", ["'Wats' is not a unit"]),
    ("bad activity unit", _set("Activities", "D3", "kwhh"), "Activities!D3", ["'kwhh' is not a unit"]),
    ("unknown missing indicator", _set("Activities", "G2", "ADP, PEE"), "Activities!G2", ["'PEE'", "'PE'"]),
    ("functional unit unknown", _set("Model", "B4", "jobs"), "Model!B4", ["'jobs'", "did you mean 'job'"]),
    ("unknown Model field", _set("Model", "A3", "descripton"), "Model!A3", ["unknown field 'descripton'"]),
    (
        "Excel formula without value",
        _set("Parameters", "B2", "=500*2"),
        "Parameters!B2",
        ["'=500*2' has no saved value"],
    ),
    ("empty required cell", _set("Exchanges", "B2", None), "Exchanges!B2", ["empty 'input'"]),
]


@pytest.mark.parametrize("edit, where, words", [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_each_fault_is_reported_at_its_cell(tmp_path, edit, where, words):
    path = tiny_workbook(tmp_path, "bad.xlsx", edit)
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    problems = info.value.problems
    assert [p.where for p in problems] == [f"bad.xlsx, {where}"], problems  # one fault, one line
    for word in words:
        assert word in problems[0].describe()


def test_missing_sheet_is_named(tmp_path):
    path = tiny_workbook(tmp_path, "bad.xlsx", _delete_sheet("Exchanges"))
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    assert [str(p) for p in info.value.problems] == [
        "bad.xlsx: missing sheet 'Exchanges'; expected sheets Model, Activities, Exchanges (see README)"
    ]


def test_empty_template_reports_what_is_missing(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_template(path)
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    assert [p.where for p in info.value.problems] == [
        "empty.xlsx, Model!B2",  # name
        "empty.xlsx, Model!B4",  # functional_unit.activity
        "empty.xlsx, Activities!A2",  # no activities
    ]
    assert "empty workbook" in info.value.problems[-1].describe()


def test_several_faults_are_all_reported_without_echoes(tmp_path):
    edit = _both(
        _set("Exchanges", "D4", "kWhh"),
        _set("Activities", "C4", "trainig"),
        _set("Activities", "F3", "one"),
        _set("Parameters", "H5", 400),
        _set("Exchanges", "F5", 1.5),
        _set("Exchanges", "B2", "GWPP"),
    )
    path = tiny_workbook(tmp_path, "bad.xlsx", edit)
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    # one line per fault: the row of an activity that cannot be read (grid, F3) is not
    # checked again (Exchanges!D4 points at grid), but a bad phase (job, C4) does not hide the
    # utilisation of job's own exchange (Exchanges!F5)
    assert sorted(p.where.split(", ")[1] for p in info.value.problems) == sorted(
        ["Activities!C4", "Activities!F3", "Parameters!H5", "Exchanges!B2", "Exchanges!F5"]
    )


def test_several_faults_in_exchanges_and_parameters(tmp_path):
    edit = _both(
        _set("Exchanges", "D3", "kg"),
        _set("Exchanges", "F5", 1.5),
        _set("Parameters", "C6", "Wats"),
        _set("Parameters", "K5", 7),
    )
    path = tiny_workbook(tmp_path, "bad.xlsx", edit)
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    # Exchanges!C4 uses gpu_tdp and Exchanges!C2 gpu_embodied, both broken: not reported twice
    assert [p.where.split(", ")[1] for p in info.value.problems] == [
        "Parameters!K5",
        "Parameters!C6",
        "Exchanges!D3",
        "Exchanges!F5",
    ]


def test_cli_exits_2_with_one_line_per_problem_and_writes_nothing(tmp_path, capsys):
    edit = _both(_set("Exchanges", "D3", "kg"), _set("Activities", "C4", "trainig"))
    path = tiny_workbook(tmp_path, "bad.xlsx", edit)
    out = tmp_path / "out.yaml"
    assert main(["export", str(path), "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert (
        lines[0]
        == "error: bad.xlsx, Activities!C4: 'trainig' is not a life-cycle phase; did you mean 'training'?"
    )
    assert lines[1] == (
        "error: bad.xlsx, Exchanges!D3: cannot convert 'kg' ([mass]) to 'kg CO2 eq' ([mass] * [global_warming])"
    )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    assert main(["run", str(path)]) == 2


def test_formula_with_a_saved_value_is_read_from_it(tmp_path):
    path = tiny_workbook(tmp_path, "cached.xlsx", _set("Parameters", "B2", "=500*2"))
    # openpyxl cannot save a computed value: put one in, as Excel would when saving
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"<f>500*2</f>" in data:
                # the empty value is written <v /> by the stdlib writer, <v/> or nothing with lxml
                data = re.sub(rb"<f>500\*2</f>(<v\s*/>|<v></v>)?", b"<f>500*2</f><v>1000</v>", data)
                assert b"<v>1000</v>" in data
            dst.writestr(item, data)
    import lca

    model = load_workbook_model(patched)
    assert model.parameters["gpu_hours"].amount == 1000.0
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(GWP_TOTAL, rel=1e-12)


# -- safety -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, payload, message",
    [
        ("inventory.xls", b"\xd0\xcf\x11\xe0rest", "'.xls' is not .xlsx"),
        ("inventory.csv", b"a,b\n", "'.csv' is not .xlsx"),
        ("inventory.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old .xls (OLE) file"),
        ("inventory.xlsx", b"name,amount\n", "not a zip container"),
    ],
)
def test_non_xlsx_files_are_refused(tmp_path, name, payload, message):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    assert message in str(info.value)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(InputFileError, match="no xl/workbook.xml part"):
        load_workbook_model(path)


def test_size_and_row_caps(tmp_path, monkeypatch):
    path = tiny_workbook(tmp_path)
    monkeypatch.setattr(excel_cells, "MAX_BYTES", 1000)
    with pytest.raises(InputFileError, match="larger than 0 MiB"):
        load_workbook_model(path)
    monkeypatch.undo()
    monkeypatch.setattr(excel_cells, "MAX_ROWS", 3)  # Exchanges has 4 data rows
    with pytest.raises(InputFileError) as info:
        load_workbook_model(path)
    assert "tiny.xlsx, Exchanges!5:5: row 5 is past the 3-row limit; split the inventory" in str(info.value)
    monkeypatch.setattr(excel_cells, "MAX_ROWS", 100)
    monkeypatch.setattr(excel_cells, "MAX_CELLS", 20)
    with pytest.raises(InputFileError, match="more than 20 cells"):
        load_workbook_model(path)


def test_defusedxml_protects_the_xml_parser():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl parses workbook XML without entity expansion
