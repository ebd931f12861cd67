"""Brightway Excel workbooks in and out: lca's results equal bw2calc's on what bw2io imports.

bw2io's own example workbooks (shipped in its ``data/examples`` folder) and a small
database written here (tests/bw_excel_cases.py) are imported with bw2io into a Brightway
project in a temporary folder (no network) and computed with bw2calc; lca reads the same
workbook with its own reader (no bw2io) and must give the same scores to float32 precision.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

pytest.importorskip("bw2calc")

from bw_cases import EF_ACID, IPCC_GWP100, brightway_dir
from bw_excel_cases import ITEM_GWP, case_rows, edited, write_workbook

import lca
from lca.errors import InputFileError
from lca.io.bw_excel import is_brightway_workbook, load_brightway_workbook

FLOAT32 = 2e-7  # Brightway stores amounts as float32
PROJECT = "lca-bw-excel-tests"


@pytest.fixture(scope="module")
def bw(tmp_path_factory):
    bd = brightway_dir(tmp_path_factory.mktemp("brightway-excel"))
    from lca.io.bw_project import setup_project

    setup_project(PROJECT, [IPCC_GWP100, EF_ACID])
    return bd


def _examples() -> Path:
    import bw2io

    return Path(bw2io.__file__).parent / "data" / "examples"


def _import(path: Path, fields=("name", "unit", "location")) -> None:
    """bw2io's ExcelImporter, as a practitioner runs it; ``fields`` link what its default
    strategies leave unlinked (an exchange gives no reference product, its activity gets one)."""
    import bw2io

    importer = bw2io.ExcelImporter(path)
    importer.apply_strategies()
    importer.match_database(fields=list(fields))
    assert importer.statistics(print_stats=False)[2] == 0  # every exchange linked
    importer.write_database(activate_parameters=True)


def _score(bd, node, method, amount: float = 1.0) -> float:
    import bw2calc as bc

    calc = bc.LCA({node: amount}, method)
    calc.lci()
    calc.lcia()
    return float(calc.score)


# -- bw2io's example workbooks ------------------------------------------------------------------
def test_bw2io_example_workbook_equals_bw2calc(bw):
    path = _examples() / "example.xlsx"
    assert is_brightway_workbook(path)
    _import(path)
    model = load_brightway_workbook(path)
    model.info["methods"] = {"acidification": list(EF_ACID)}
    for node in bw.Database("BW2 Excel example"):
        result = lca.solve(model, {node["code"]: 1.0})
        for code, method in (("GWP", IPCC_GWP100), ("acidification", EF_ACID)):
            assert result.total(code).magnitude == pytest.approx(
                _score(bw, node, method), rel=FLOAT32, abs=1e-15
            )
    # by hand: acetic acid takes 0.539 kg of methanol, which emits 0.53 kg of fossil CO2 (factor 1)
    acetic = model.functional_unit.activity
    assert model.activities[acetic].name == "Acetic acid, at plant"  # the one activity no other uses
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(0.539 * 0.53, rel=1e-12)


def test_bw2io_parameterized_example_equals_bw2calc(bw, tmp_path):
    import bw2io

    original = _examples() / "sample_parameterized_database.xlsx"
    with pytest.raises(InputFileError) as caught:
        load_brightway_workbook(original)
    lines = str(caught.value).splitlines()
    # its battery_capacity is 50 kWh with a uniform distribution from 0 to 1: refused, not drawn
    assert lines[0] == (
        "sample_parameterized_database.xlsx, Electric car!J8: uniform range 0 to 1 does not contain the amount 50"
    )
    assert lines[1].startswith(
        "sample_parameterized_database.xlsx, Electric car!A1: 2 activities are not used"
    )
    book = openpyxl.load_workbook(original)
    book["Electric car"]["F8"] = 0  # its uncertainty type: none (the deterministic results do not change)
    fixed = tmp_path / "sample_parameterized_database.xlsx"
    book.save(fixed)
    model = load_brightway_workbook(fixed, activity="Driving an electric car")
    model.flows["CO2"].factors["GWP"] = 1.0  # the method ("IPCC", "simple") of add_example_database
    bw2io.add_example_database()  # bw2io's own import of the original workbook, its formulas evaluated
    nodes = {n["name"]: n for n in bw.Database("Mobility example") if n["type"] != "emission"}
    assert set(nodes) == {a.name for a in model.activities.values()}
    for code, activity in model.activities.items():
        ours = lca.solve(model, {code: 1.0}).total("GWP").magnitude
        assert ours == pytest.approx(_score(bw, nodes[activity.name], ("IPCC", "simple")), rel=FLOAT32), code
    # by hand: 1/200,000 car per km (4,096.32 kg) and 0.27 kWh of electricity (0.6 kg/kWh)
    car = 1.5 * (1931 - 0.2 * 50) + 1.5 * 0.2 * 50 * (1 - 0.012) + 0.6 * 50 / 0.2 * 8
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(car / 200_000 + 0.27 * 0.6, rel=1e-12)
    # a Brightway formula is a number in its exchange's unit: one_kg gives it that unit
    steel = model.activities["Electric car"].exchanges[1]
    assert (steel.amount, steel.unit) == (
        "(electric_car_mass - battery_energy_density * battery_capacity) * one_kg",
        "kg",
    )
    assert model.parameters["battery_energy_density"].comment == "From carculator; Brightway unit: kWh/kg"


# -- a database with every convention --------------------------------------------------------------
def test_case_workbook_equals_bw2calc_deterministic_and_monte_carlo(bw, tmp_path):
    import bw2calc as bc

    path = write_workbook(tmp_path / "case.xlsx", case_rows())
    _import(path, fields=("name",))
    model = load_brightway_workbook(path)
    assert model.functional_unit.activity == "item"
    assert model.activities["landfill"].production == -1.0  # Brightway's signs: a waste treatment
    assert model.activities["item"].exchanges[1].amount == -0.2  # 0.2 kg sent to it
    assert model.activities["item"].exchanges[2].amount == -0.1  # the substitution, a credit
    nodes = {n["code"]: n for n in bw.Database("case")}
    for code in ("elec", "item"):
        assert lca.solve(model, {code: 1.0}).total("GWP").magnitude == pytest.approx(
            _score(bw, nodes[code], IPCC_GWP100), rel=FLOAT32
        )
    # a demand of -1 kg of a waste treatment (its production is -1) is 1 kg treated, in both
    treated = _score(bw, nodes["landfill"], IPCC_GWP100, -1.0)
    assert lca.solve(model, {"landfill": -1.0}).total("GWP").magnitude == pytest.approx(treated, rel=FLOAT32)
    assert treated == pytest.approx(0.05 + 0.01 * 0.5, rel=FLOAT32)  # by hand
    model.functional_unit = lca.FunctionalUnit("landfill", 1.0, "kg")  # a functional unit: the amount treated
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(treated, rel=FLOAT32)
    model.functional_unit = lca.FunctionalUnit("item", 1.0, "")
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(ITEM_GWP, rel=1e-12)  # by hand
    # Monte Carlo: bw2calc draws the exchanges, not the parameters; fix hours to compare the means
    model.parameters["hours"].uncertainty = None
    iterations = 5000
    ours = lca.monte_carlo(model, iterations, seed=3).samples("GWP")
    mc = bc.LCA({nodes["item"]: 1}, IPCC_GWP100, use_distributions=True, seed_override=3)
    mc.lci()
    mc.lcia()
    theirs = np.array([mc.score] + [(next(mc), mc.score)[1] for _ in range(iterations - 1)])
    se = math.sqrt(ours.var() / iterations + theirs.var() / iterations)
    assert abs(ours.mean() - theirs.mean()) < 3 * se
    assert ours.std() == pytest.approx(theirs.std(), rel=0.1)
    # the triangular waste (mode -0.2, -0.3 to -0.15) moves the mean: E = -0.65 / 3 kg
    assert ours.mean() > ITEM_GWP


def test_export_bw2io_excel_imports_and_equals_bw2calc_with_live_formulas(bw, tmp_path):
    from bw2data.parameters import DatabaseParameter

    from lca.cli import main
    from lca.io.bw_excel_write import workbook_methods
    from lca.scenarios import apply_settings

    model = lca.bloom()
    out = tmp_path / "bloom-bw.xlsx"
    assert main(["export", "--format", "bw2io-excel", "--out", str(out), "--database", "bloom-xl"]) == 0
    import bw2io

    importer = bw2io.ExcelImporter(out)
    importer.apply_strategies()  # bw2io's default strategies link everything: inputs are keys
    assert importer.statistics(print_stats=False)[2] == 0
    importer.write_database(activate_parameters=True)
    for name, cfs in workbook_methods(model, "bloom-xl").items():
        method = bw.Method(name)
        method.register()
        method.write(cfs)
    fu = bw.get_node(database="bloom-xl", code=model.functional_unit.activity)
    result = lca.solve(model)
    for indicator in result.matrices.indicators:
        score = _score(bw, fu, ("lca", "bloom-xl", indicator.code))
        assert score == pytest.approx(result.total(indicator.code).magnitude, rel=FLOAT32), indicator.code
    assert bw.get_node(database="bloom-xl", code="training_dynamic")["phase"] == "training"
    # the formulas are live: double the GPU hours in Brightway and recalculate (SI base units: s)
    for node in bw.Database("bloom-xl"):  # as docs/brightway.md says
        bw.parameters.add_exchanges_to_group("lca exchanges", node)
    hours = DatabaseParameter.get(database="bloom-xl", name="gpu_hours")
    hours.amount *= 2
    hours.save()
    bw.parameters.recalculate()
    doubled = lca.solve(apply_settings(model, {"gpu_hours": str(2 * 1_082_990)})).total("GWP").magnitude
    assert _score(bw, fu, ("lca", "bloom-xl", "GWP")) == pytest.approx(doubled, rel=FLOAT32)
    assert doubled > 1.5 * result.total("GWP").magnitude


def test_export_elementary_flows_uncertainty_and_waste_round_trip(bw, tmp_path):
    from lca.io.bw_excel_write import write_brightway_workbook

    path = write_workbook(tmp_path / "case.xlsx", case_rows())
    model = load_brightway_workbook(path)
    out = tmp_path / "case-out.xlsx"
    info = write_brightway_workbook(model, out, "case-out")
    assert info["formulas"] == 1 and info["frozen"] == []
    _import(out, fields=("name",))  # keys everywhere: nothing for bw2io to match
    node = bw.get_node(database="case-out", code="item")
    assert _score(bw, node, IPCC_GWP100) == pytest.approx(ITEM_GWP, rel=FLOAT32)
    exchanges = {(e.input["code"], e["type"]): e for e in node.exchanges()}
    waste = exchanges[("landfill", "technosphere")]
    assert (waste["amount"], waste["uncertainty type"], waste["minimum"]) == (-0.2, 5, -0.3)
    # the credit is a negative technosphere input (the same matrix as a substitution)
    assert sorted(e["amount"] for e in node.exchanges() if e.input["code"] == "elec") == pytest.approx(
        [-0.1, 3]
    )
    back = load_brightway_workbook(out)
    assert lca.solve(back).total("GWP").magnitude == pytest.approx(ITEM_GWP, rel=1e-12)
    for ours, theirs in ((back, model),):
        a = lca.monte_carlo(ours, 500, seed=5).samples("GWP")
        b = lca.monte_carlo(theirs, 500, seed=5).samples("GWP")
        assert a == pytest.approx(b, rel=1e-9)  # the same distributions, drawn the same


def test_frozen_parameter_names_are_said(tmp_path):
    from lca.io.bw_excel_write import write_brightway_workbook

    model = lca.Model("frozen")
    model.add_parameter(lca.Parameter("power", 400.0, "W"))  # numpy's power: not a Brightway name
    model.add_parameter(lca.Parameter("hours", 10.0, "h"))
    model.add_parameter(lca.Parameter("idle", 2.0, "kWh"))
    grid = [lca.Exchange("GWP", 0.05, "kg CO2 eq")]
    model.add_activity(lca.Activity("grid", "grid", None, "kWh", grid))
    job = [lca.Exchange("grid", "power * hours", "kWh"), lca.Exchange("grid", "idle * 2", "kWh")]
    model.add_activity(lca.Activity("job", "job", "training", "run", job))
    model.functional_unit = lca.FunctionalUnit("job", 1, "run")
    info = write_brightway_workbook(model, tmp_path / "frozen.xlsx")
    assert info["frozen"] == ["power"] and info["formulas"] == 1
    rows = list(openpyxl.load_workbook(tmp_path / "frozen.xlsx").active.iter_rows(values_only=True))
    grid_rows = [r for r in rows if r[0] == "grid" and r[6] == "technosphere"]
    assert grid_rows[0][8] is None and "frozen: power" in grid_rows[0][-1]  # 4 kWh, as a value
    assert grid_rows[0][1] == pytest.approx(4.0)
    back = load_brightway_workbook(tmp_path / "frozen.xlsx")
    assert lca.solve(back).total("GWP").magnitude == pytest.approx(0.05 * (4.0 + 4.0), rel=1e-12)


# -- files and commands ------------------------------------------------------------------------
def test_run_recognises_a_bw2io_workbook_and_import_writes_an_inventory(bw, tmp_path, capsys):
    from lca.cli import main

    path = shutil.copy(_examples() / "example.xlsx", tmp_path / "example.xlsx")
    assert main(["run", str(path)]) == 0
    assert "GWP [g CO2 eq]" in (out := capsys.readouterr().out) and "285.7" in out  # 0.539 x 0.53 kg
    for suffix in ("yaml", "xlsx"):
        out = tmp_path / f"acetic.{suffix}"
        assert main(["import", "brightway-excel", str(path), "--out", str(out)]) == 0
        assert lca.solve(lca.load(out)).total("GWP").magnitude == pytest.approx(0.539 * 0.53, rel=1e-12)
    assert main(["import", "brightway-excel", str(path), "--out", str(out)]) == 2  # exists: --force
    sample = _examples() / "sample_parameterized_database.xlsx"
    assert main(["run", str(sample)]) == 2
    err = capsys.readouterr().err
    assert "error: sample_parameterized_database.xlsx, Electric car!J8: uniform range 0 to 1" in err


def test_links_to_another_database_resolve_in_the_project(bw, tmp_path, capsys):
    from bw_cases import background

    from lca.cli import main

    if "bg" not in bw.databases:
        bw.Database("bg").write(background())
    rows = case_rows()
    rows += [
        [],
        ["Activity", "chassis"],
        ["code", "chassis"],
        ["unit", "unit"],
        ["Exchanges"],
        ["name", "amount", "unit", "database", "type", "reference product", "location"],
        ["chassis", 1, "unit", "case", "production"],
        ["item", 1, "unit", "case", "technosphere"],
        ["steel production", 2, "kilogram", "bg", "technosphere", "steel", "RER"],
    ]
    path = write_workbook(tmp_path / "linked.xlsx", rows)
    out = tmp_path / "linked.yaml"
    assert main(["import", "brightway-excel", str(path), "--out", str(out)]) == 2
    assert "links to Brightway database(s) bg; name the project" in capsys.readouterr().err
    assert main(["import", "brightway-excel", str(path), "--out", str(out), "--project", PROJECT]) == 0
    model = lca.load(out)  # the file names its project: linked when read
    steel = _score(bw, bw.get_node(database="bg", code="steel"), IPCC_GWP100)
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(ITEM_GWP + 2 * steel, rel=FLOAT32)


# -- bad input, at its cell -------------------------------------------------------------------------
def _problems(tmp_path, rows) -> list[str]:
    path = write_workbook(tmp_path / "bad.xlsx", rows)
    with pytest.raises(InputFileError) as caught:
        load_brightway_workbook(path)
    return str(caught.value).splitlines()


def _row(rows, name: str, kind: str) -> int:
    """The Excel row of the exchange ``name`` of type ``kind`` (the first one)."""
    return next(n for n, r in enumerate(rows, start=1) if len(r) > 6 and r[0] == name and r[6] == kind)


def test_an_unsupported_uncertainty_is_named_with_its_activity(tmp_path):
    rows = case_rows()
    n = _row(rows, "Carbon dioxide, fossil", "biosphere")
    rows[n - 1] = rows[n - 1][:8] + [8, 1.0, 1.0, None, None, None, None]  # Weibull
    assert _problems(tmp_path, rows) == [
        f"bad.xlsx, case!I{n}: exchange 'Carbon dioxide, fossil' of activity 'electricity': uncertainty type 8 "
        "(Weibull) is not supported; expected 0 or 1 (none), 2 lognormal, 3 normal, 4 uniform or 5 triangular"
    ]


def test_unit_name_formula_and_parameter_problems_are_at_their_cells(tmp_path):
    rows = case_rows()
    elec = _row(rows, "electricity", "technosphere")
    rows[elec - 1][2] = "kilowatt-hourz"  # not a unit
    item = next(
        n for n, r in enumerate(rows, start=1) if r[:1] == ["electricity"] and r[7] == "elec_per_item"
    )
    rows[item - 1][7] = "elec_per_item if hours > 1 else 0"
    rows = edited(rows, "draw", 3, "hours * voltage")  # an unknown name
    substitution = _row(rows, "electricity", "substitution")
    rows[substitution - 1][0] = "electricty"
    problems = _problems(tmp_path, rows)
    assert (
        f"bad.xlsx, case!A{substitution}: no activity 'electricty' in 'case'; did you mean 'electricity'?"
        in problems
    )
    assert any(
        p.startswith(f"bad.xlsx, case!H{item}: formula 'elec_per_item if hours > 1 else 0'") for p in problems
    )
    assert any(p.startswith(f"bad.xlsx, case!C{elec}: ") and "kilowatt-hourz" in p for p in problems)
    assert any(
        p.startswith("bad.xlsx, case!D7: formula 'hours * voltage' uses unknown name 'voltage'")
        for p in problems
    )


def test_an_elementary_flow_in_another_unit_is_converted(tmp_path):
    rows = case_rows()
    n = _row(rows, "Sulfur dioxide", "biosphere")
    rows[n - 1][1:3] = [2.0, "gram"]  # bw2io would leave it unlinked (biosphere3 has it in kilogram)
    grams = load_brightway_workbook(write_workbook(tmp_path / "g.xlsx", rows))
    kilograms = load_brightway_workbook(write_workbook(tmp_path / "kg.xlsx", case_rows()))
    for model in (grams, kilograms):
        model.info["methods"] = {"acidification": list(EF_ACID)}
    acid = [lca.solve(m, {"elec": 1.0}).total("acidification").magnitude for m in (grams, kilograms)]
    assert acid[0] == pytest.approx(acid[1], rel=1e-12) and acid[0] > 0


def test_an_unknown_elementary_flow_suggests_the_closest(tmp_path):
    rows = case_rows()
    n = _row(rows, "Sulfur dioxide", "biosphere")
    rows[n - 1][0] = "Sulphur dioxide"
    problems = _problems(tmp_path, rows)
    assert len(problems) == 1 and problems[0].startswith(f"bad.xlsx, case!A{n}: ")
    assert "did you mean 'Sulfur dioxide (air) [kg]'" in problems[0]


def test_workbook_structure_problems_are_located(tmp_path):
    rows = [*case_rows(), [], ["Database", "other"]]
    assert _problems(tmp_path, rows)[0].startswith(f"bad.xlsx, case!A{len(rows)}: a second Database block")
    rows = edited(case_rows(), "hours", 0, "draw")  # the same parameter twice
    assert _problems(tmp_path, rows)[0].startswith("bad.xlsx, case!A7: parameter 'draw' is defined twice")
    book = openpyxl.Workbook()
    book.active.append(["Database", "x"])
    other = book.create_sheet("notes")
    other["B2"] = "data below an empty A1"
    book.active["B2"] = "=1+1"  # a formula Excel never computed (written by openpyxl)
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputFileError) as caught:
        load_brightway_workbook(tmp_path / "bad.xlsx")
    text = str(caught.value)
    assert "bad.xlsx, Sheet!B2: Excel formula '=1+1' has no saved value" in text
    assert "bad.xlsx, notes!A1: A1 is empty: bw2io skips a sheet" in text


def test_an_lca_workbook_is_not_taken_for_a_bw2io_one(tmp_path):
    from lca.io.excel import write_inventory, write_template

    write_template(tmp_path / "template.xlsx")
    write_inventory(lca.bloom(), tmp_path / "bloom.xlsx")
    plain = write_workbook(tmp_path / "plain.xlsx", [["notes"], ["database of my projects"]])
    assert not any(is_brightway_workbook(tmp_path / n) for n in ("template.xlsx", "bloom.xlsx", plain.name))
    with pytest.raises(InputFileError, match="missing sheet 'Model'"):  # lca's reader says what it expects
        lca.load(plain)


def test_skip_and_cutoff_sheets_are_read_as_bw2io_reads_them(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "case"
    for row in [["cutoff", 7], *case_rows()]:  # columns A-G: no formula, no uncertainty
        ws.append(row)
    notes = book.create_sheet("notes")
    for row in [["skip"], ["Database", "a draft, never read"]]:
        notes.append(row)
    book.save(tmp_path / "cut.xlsx")
    model = load_brightway_workbook(tmp_path / "cut.xlsx")
    item = model.activities["item"]
    assert item.exchanges[0].amount == 3.0  # the formula column was cut off: the amount stays
    assert all(e.uncertainty is None for e in item.exchanges)
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(ITEM_GWP, rel=1e-12)


def test_project_and_activity_parameters_equal_bw2calc(bw, tmp_path):
    import bw2io
    from bw_excel_cases import EXCHANGE_LABELS, exchange

    rows = [
        ["Project parameters"],
        ["name", "amount", "formula"],
        ["total_hours", 40, None],
        ["jobs", 4, None],
        [],
        *case_rows(),
        [],
        ["Activity", "training"],
        ["code", "training"],
        ["unit", "unit"],
        ["Parameters", "training group"],
        ["name", "amount", "formula"],
        ["hours_per_job", 10, "total_hours / jobs"],
        ["Exchanges"],
        EXCHANGE_LABELS,
        exchange("training", 1, "unit", "production"),
        # amount 0, as in bw2io's own sample: Brightway gives 7.5 kg only if it evaluates the formula
        exchange(
            "electricity", 0, "kilowatt hour", "technosphere", location="FR", formula="hours_per_job * draw"
        ),
    ]
    path = write_workbook(tmp_path / "scoped.xlsx", rows)
    importer = bw2io.ExcelImporter(path)
    importer.apply_strategies()
    importer.match_database(fields=["name"])
    importer.write_project_parameters()
    importer.write_database(activate_parameters=True)  # the training group's exchanges are live
    bw.parameters.recalculate()
    model = load_brightway_workbook(path, activity="training")
    assert model.parameters["hours_per_job"].amount == "total_hours / jobs"
    node = bw.get_node(database="case", code="training")
    # by hand: 40 h / 4 jobs x 1.5 kW = 15 kWh of electricity at 0.5 kg CO2 per kWh
    assert lca.solve(model).total("GWP").magnitude == pytest.approx(15 * 0.5, rel=1e-12)
    assert _score(bw, node, IPCC_GWP100) == pytest.approx(15 * 0.5, rel=FLOAT32)


# -- hostile workbooks (the readers' streaming, tests/hostile for lca's own workbooks) -----------
def _edited_part(path: Path, out: Path, edit) -> Path:
    """``path`` with its one sheet's XML changed by ``edit(text) -> text``."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out


def test_a_stale_dimension_a_bad_number_and_damaged_xml_are_handled(tmp_path):
    import re

    path = write_workbook(tmp_path / "case.xlsx", case_rows())
    stale = _edited_part(
        path,
        tmp_path / "stale.xlsx",
        lambda t: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B2"', t),
    )
    assert is_brightway_workbook(stale)
    assert lca.solve(lca.load(stale)).total("GWP").magnitude == pytest.approx(
        ITEM_GWP, rel=1e-12
    )  # every row read
    n = _row(case_rows(), "Carbon dioxide, fossil", "biosphere")
    nan = _edited_part(
        path,
        tmp_path / "nan.xlsx",
        lambda t: re.sub(rf'<c r="B{n}"[^>]*>.*?</c>', f'<c r="B{n}" t="n"><v>NaN</v></c>', t, count=1),
    )
    assert _problems_of(nan) == [f"nan.xlsx, case!B{n}: 'NaN', not a number Excel can store"]
    cut = _edited_part(path, tmp_path / "cut.xlsx", lambda t: t[: t.index(f'<row r="{n}"') + 20])
    problems = _problems_of(cut)
    assert len(problems) == 1 and problems[0].startswith(
        f"cut.xlsx, case!{n}:{n}: the sheet's XML is damaged"
    )


def _problems_of(path: Path) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        load_brightway_workbook(path)
    return str(caught.value).splitlines()
