"""Bad input gets a clear error saying what and where; the CLI exits 2 with one line."""

import textwrap
from pathlib import Path

import pytest

import lca
from lca.cli import main
from lca.errors import FormulaError, InputFileError, InventoryError, UnitError
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from tests.conftest import grid_and_job


def hardware_model(**params) -> Model:
    """A job amortising one GPU; ``params`` override (amount, unit) of the parameters."""
    model = Model("hardware")
    values = {"lifetime": (6, "year"), "utilisation": (0.85, ""), "hours": (1000, "h")}
    values.update(params)
    for name, (amount, unit) in values.items():
        model.add_parameter(Parameter(name, amount, unit))
    model.add_activity(
        Activity("gpu", "GPU manufacturing", "manufacturing", "item", [Exchange("GWP", 150, "kg CO2 eq")])
    )
    model.add_activity(
        Activity(
            "job",
            "job",
            "training",
            "run",
            [Exchange("gpu", "hours", "h", lifetime="lifetime", utilisation="utilisation")],
        )
    )
    model.functional_unit = FunctionalUnit("job", 1, "run")
    return model


def test_amortised_exchange_by_hand():
    # 150 kg x 1,000 h / (6 x 8,760 h x 0.85) = 3.3568 kg
    total = lca.solve(hardware_model()).total("GWP").magnitude
    assert total == pytest.approx(150 * 1000 / (6 * 8760 * 0.85))


def test_negative_lifetime():
    with pytest.raises(
        InventoryError,
        match=r"activity 'job', exchange 1 \(input 'gpu'\) lifetime: -6 yr \(formula 'lifetime'\) must be > 0",
    ):
        lca.build_matrices(hardware_model(lifetime=(-6, "year")))


def test_utilisation_above_one():
    with pytest.raises(
        InventoryError,
        match=r"exchange 1 \(input 'gpu'\) utilisation: 1.2 \(formula 'utilisation'\) is outside \(0, 1\]",
    ):
        lca.build_matrices(hardware_model(utilisation=(1.2, "")))


def test_utilisation_zero():
    with pytest.raises(InventoryError, match=r"utilisation: 0 \(formula 'utilisation'\) is outside \(0, 1\]"):
        lca.build_matrices(hardware_model(utilisation=(0.0, "")))


def test_lifetime_without_time_unit():
    with pytest.raises(UnitError, match="lifetime.*not a time"):
        lca.build_matrices(hardware_model(lifetime=(6, "")))


def test_unknown_unit_names_the_exchange():
    model = grid_and_job()
    model.activities["grid"].exchanges[0].unit = "g CO2 eqq"
    with pytest.raises(
        UnitError,
        match=r"activity 'grid', exchange 1 \(input 'GWP'\) unit: unit 'g CO2 eqq' is not a unit",
    ):
        lca.build_matrices(model)


def test_incompatible_unit_names_the_exchange_and_both_units():
    model = grid_and_job()
    model.parameters["energy"].unit = "kg"
    with pytest.raises(UnitError) as info:
        lca.build_matrices(model)
    message = str(info.value)
    assert "activity 'job', exchange 1 (input 'grid')" in message
    assert "'kg'" in message and "'kWh'" in message


def test_formula_with_a_call():
    model = grid_and_job()
    model.activities["job"].exchanges[0].amount = "open('x')"
    with pytest.raises(
        FormulaError,
        match=r"activity 'job', exchange 1 \(input 'grid'\) amount: formula 'open\('x'\)' calls 'open'",
    ):
        lca.build_matrices(model)


def test_formula_with_an_unknown_name():
    model = grid_and_job()
    model.activities["job"].exchanges[0].amount = "energi * 2"
    with pytest.raises(FormulaError, match="uses unknown name 'energi'; did you mean 'energy'"):
        lca.build_matrices(model)


def test_exchange_to_a_missing_activity():
    model = grid_and_job()
    model.activities["job"].exchanges[0].input = "gird"
    with pytest.raises(
        InventoryError, match="input: no activity, flow or indicator 'gird'; did you mean 'grid'"
    ):
        lca.build_matrices(model)


def test_bad_phase():
    model = grid_and_job()
    model.activities["job"].phase = "trainig"
    with pytest.raises(
        InventoryError, match="phase: 'trainig' is not a life-cycle phase; did you mean 'training'"
    ):
        lca.build_matrices(model)


def test_parameter_loop():
    model = grid_and_job()
    model.add_parameter(Parameter("a", "b * 2", ""))
    model.add_parameter(Parameter("b", "a / 2", ""))
    with pytest.raises(FormulaError, match="loop"):
        lca.build_matrices(model)


# -- data files and the CLI ----------------------------------------------------------------
GOOD = """
format: lca-inventory/1
name: job
functional_unit: {activity: job, amount: 1, unit: run}
parameters:
  energy: {amount: 1000, unit: kWh, source: test}
activities:
  - {code: grid, name: grid, unit: kWh, exchanges: [{input: GWP, amount: 57, unit: g CO2 eq}]}
  - {code: job, name: job, phase: training, unit: run, exchanges: [{input: grid, amount: energy, unit: kWh}]}
"""


def write(tmp_path, text, name="inv.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_cli_runs_a_file(tmp_path, capsys):
    assert main(["run", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "training" in out and "57" in out  # 1,000 kWh x 57 g = 57 kg
    # the GWP column of each row: 1,000 kWh x 57 g CO2 eq/kWh = 57 kg (training is all of it)
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:1].isalpha()}
    assert rows["training"][0] == "57" and rows["total"][0] == "57"
    assert "GWP [kg CO2 eq]" in out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("unit: kWh, source", "unit: kWhh, source", "unit 'kWhh' is not a unit; did you mean 'kWh'?"),
        ("amount: energy", "amount: energy.real", "attribute access"),
        ("input: grid, amount", "input: gridd, amount", "no activity, flow or indicator 'gridd'"),
        ("phase: training", "phase: train", "phase: 'train' is not a life-cycle phase"),
        (
            "amount: 1000, unit: kWh",
            "amount: 1000, unit: kg",
            "gives 'kg' ([mass]), which cannot convert to 'kWh'",
        ),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, old, new, expected):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and expected in err[0]
    assert "Traceback" not in err[0]


def test_data_file_reports_every_problem_with_its_place(tmp_path):
    bad = GOOD.replace("{amount: 1000, unit: kWh, source: test}", "{amount: 1000, unit: kWh, sorce: test}")
    bad = bad.replace("- {code: grid, name: grid,", "- {code: grid, name: grid, phase: 3,")
    bad = bad.replace("exchanges: [{input: grid, amount: energy", "exchanges: [{input: grid, amont: energy")
    with pytest.raises(InputFileError) as info:
        lca.load(write(tmp_path, bad))
    places = [p.where for p in info.value.problems]
    assert "inv.yaml, parameters.energy" in places
    assert "inv.yaml, activities.job.exchanges[0]" in places
    assert any("sorce" in p.message for p in info.value.problems)


def test_not_yaml(tmp_path):
    with pytest.raises(InputFileError, match=r"inv.yaml, line 2: not valid YAML"):
        lca.load(write(tmp_path, "a: [1\nb: 2\n"))


def test_unsupported_file_type(tmp_path, capsys):
    path = write(tmp_path, "x", name="inv.csv")
    assert main(["run", str(path)]) == 2
    assert "unsupported file type '.csv'" in capsys.readouterr().err


def test_a_parameter_that_overflows_in_si_units_is_named():
    # 1e308 kWh is a float, but in SI units (Monte Carlo evaluates formulas in them) it is
    # 1e308 x 3.6e6 J = 3.6e314 J > 1.8e308, the largest float
    model = grid_and_job()
    model.parameters["energy"].amount = 1e308
    with pytest.raises(
        InventoryError, match=r"^parameter 'energy' amount: 1e\+308 kWh overflows once converted to SI units"
    ):
        lca.build_matrices(model)


def test_an_amount_that_overflows_once_converted_is_named():
    # 1e306 MWh is a float, but in the grid's Wh it is 1e306 x 1e6 = 1e312 Wh > 1.8e308
    model = grid_and_job()
    model.activities["grid"].unit = "Wh"
    model.activities["job"].exchanges[0] = Exchange("grid", 1e306, "MWh")
    with pytest.raises(
        InventoryError,
        match=r"^activity 'job', exchange 1 \(input 'grid'\) amount: the amount 1e\+306 is inf in the input's unit",
    ):
        lca.build_matrices(model)


# -- paths and options given to the CLI ------------------------------------------------------
def one_error_line(capsys) -> str:
    """The single ``error: ...`` line the CLI printed (no traceback, nothing else)."""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    return err[0]


@pytest.mark.parametrize("name", ["inv.yaml", "inv.xlsx"])
def test_cli_input_that_is_a_folder(tmp_path, capsys, name):
    (tmp_path / name).mkdir()
    assert main(["run", str(tmp_path / name)]) == 2
    assert one_error_line(capsys) == f"error: {tmp_path / name}: is a folder; expected a file"


@pytest.mark.parametrize(
    "command",
    [
        ["report", "{inv}", "--out", "{out}.html"],
        ["compare", "{inv}", "{inv}", "--out", "{out}.html"],
        ["export", "{inv}", "--out", "{out}.xlsx"],
        ["export", "{inv}", "--out", "{out}.yaml"],
        ["template", "{out}.xlsx"],
    ],
)
def test_cli_output_in_a_missing_folder(tmp_path, capsys, command):
    inv, out = write(tmp_path, GOOD), tmp_path / "nodir" / "result"
    argv = [a.format(inv=inv, out=out) for a in command]
    assert main(argv) == 2
    assert (
        one_error_line(capsys) == f"error: {argv[-1]}: folder '{out.parent}' does not exist; create it first"
    )
    assert not (tmp_path / "nodir").exists()


@pytest.mark.parametrize(
    "command",
    [["export", "{inv}", "--out", "{out}.yaml", "--force"], ["template", "{out}.xlsx", "--force"]],
)
def test_cli_output_that_is_a_folder(tmp_path, capsys, command):
    inv, out = write(tmp_path, GOOD), tmp_path / "result"
    argv = [a.format(inv=inv, out=out) for a in command]
    folder = Path(argv[argv.index("--force") - 1])
    folder.mkdir()
    assert main(argv) == 2
    assert one_error_line(capsys) == f"error: {folder}: is a folder; expected a file name"
    assert folder.is_dir() and not list(folder.iterdir())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("command", ["report", "compare"])
def test_cli_report_with_an_unknown_suffix_writes_nothing(tmp_path, capsys, command):
    inv, out = write(tmp_path, GOOD), tmp_path / "report.pdf"
    argv = ["report", str(inv)] if command == "report" else ["compare", str(inv), str(inv)]
    assert main([*argv, "--out", str(out)]) == 2
    assert one_error_line(capsys) == f"error: {out}: expected a file name ending in .html, .md or .xlsx"
    assert not out.exists()


@pytest.mark.parametrize("command", ["run", "report", "compare"])
def test_cli_seed_without_iterations(tmp_path, capsys, command):
    inv, out = write(tmp_path, GOOD), tmp_path / "report.html"
    argv = {"run": ["run", str(inv)], "report": ["report", str(inv), "--out", str(out)]}
    argv["compare"] = ["compare", str(inv), str(inv)]
    assert main([*argv[command], "--iterations", "0", "--seed", "3"]) == 2
    # about an option, so not prefixed with the inventory's name
    assert (
        one_error_line(capsys)
        == "error: --seed 3 needs --iterations (e.g. 10000): a seed only applies to Monte Carlo"
    )
    assert not out.exists()


@pytest.mark.parametrize("iterations", ["-5", "1"])
def test_cli_run_with_too_few_iterations(tmp_path, capsys, iterations):
    assert main(["run", str(write(tmp_path, GOOD)), "--iterations", iterations]) == 2
    expected = f"error: --iterations {iterations}: expected 0 (none) or at least 2 (e.g. 10000)"
    assert one_error_line(capsys) == expected


def test_a_formula_that_overflows_says_so():
    # 10**400 > 1.8e308, the largest float: Python raises OverflowError (errno 34) on float powers
    model = grid_and_job()
    model.parameters["energy"].amount = "10.0 ** 400"
    with pytest.raises(
        FormulaError,
        match=r"parameter 'energy' amount: formula '10.0 \*\* 400' gives a number too large for a float",
    ):
        lca.build_matrices(model)


@pytest.mark.parametrize("command", ["compare", "report"])
def test_cli_two_inventories_name_the_one_at_fault(tmp_path, capsys, command):
    good = write(tmp_path, GOOD)
    bad = write(tmp_path, GOOD.replace("phase: training", "phase: train"), name="bad.yaml")
    out = tmp_path / "report.html"
    argv = ["compare", str(good), str(bad)] if command == "compare" else ["report", str(good)]
    if command == "report":
        argv += ["--compare", str(bad), "--out", str(out)]
    assert main(argv) == 2
    line = one_error_line(capsys)  # located in bad.yaml, not in the first file, which is good
    assert (
        line
        == "error: bad.yaml, activities.job.phase: 'train' is not a life-cycle phase; did you mean 'training'?"
    )
    assert not out.exists()


def test_unknown_unit_message_is_the_style_guide_s():
    # style.md: "unit 'kWhh' is not a unit; did you mean 'kWh'?", with nothing after it
    model = grid_and_job()
    model.parameters["energy"].unit = "kWhh"
    with pytest.raises(UnitError) as info:
        lca.build_matrices(model)
    assert str(info.value) == "parameter 'energy' unit: unit 'kWhh' is not a unit; did you mean 'kWh'?"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("info: 3", "inv.yaml, info: expected a mapping of field: text"),
        ("sources: 3", "inv.yaml, sources: expected a mapping of key: reference"),
        ("indicators: 3", "inv.yaml, indicators: expected a list"),
        ("indicators: GWP", "inv.yaml, indicators: expected a list"),  # not ['G', 'W', 'P']
    ],
)
def test_top_level_fields_of_the_wrong_kind_are_located(tmp_path, capsys, field, expected):
    path = write(tmp_path, GOOD + field + "\n")
    with pytest.raises(InputFileError) as info:
        lca.load(path)
    assert [str(p) for p in info.value.problems] == [expected]
    assert main(["run", str(path)]) == 2
    assert one_error_line(capsys) == f"error: {expected}"


@pytest.mark.parametrize("amount", [0, -1])
def test_functional_unit_amount_must_be_positive(tmp_path, amount):
    # 0 was read as 1 (an `or` default) and -1 gave negative impacts
    text = GOOD.replace(
        "functional_unit: {activity: job, amount: 1,", f"functional_unit: {{activity: job, amount: {amount},"
    )
    with pytest.raises(InputFileError) as info:
        lca.load(write(tmp_path, text))
    assert str(info.value) == f"inv.yaml, functional_unit.amount: {amount}; expected a number > 0"


def test_a_field_error_is_located_once(tmp_path):
    text = GOOD.replace("{code: job, name: job,", "{code: job, name: job, production: abc,")
    with pytest.raises(InputFileError) as info:
        lca.load(write(tmp_path, text))
    assert [str(p) for p in info.value.problems] == [
        "inv.yaml, activities.job.production: 'abc' is not a number"
    ]


def test_an_amount_no_inventory_holds_is_refused_at_its_place():
    # 1e306 kg CO2 eq/kWh is a float, but x 1,000 kWh = 1e309 kg > 1.8e308 (0.1.0 printed 'inf');
    # no physical amount comes near 1e100 in its unit: refused where it is written
    model = grid_and_job()
    model.activities["grid"].exchanges[0].amount = 1e306
    model.activities["grid"].exchanges[0].unit = "kg CO2 eq"
    with pytest.raises(InventoryError) as info:
        lca.solve(model)
    assert str(info.value) == (
        "activity 'grid', exchange 1 (input 'GWP') amount: the amount 1e+306 is 1e+306 in the input's unit, "
        "above 1e+100; expected a physical amount (is it too large?)"
    )


def test_an_impact_that_overflows_is_named():
    # a chain of 1e99: each amount is below 1e100, the supply of a3 is 1e297 (a float), but its
    # 1e99 kg CO2 eq per item make 1e396 kg > 1.8e308
    model = Model("chain")
    for k in range(3):
        model.add_activity(
            Activity(f"a{k}", f"a{k}", "training", "item", [Exchange(f"a{k + 1}", 1e99, "item")])
        )
    model.add_activity(Activity("a3", "a3", "training", "item", [Exchange("GWP", 1e99, "kg CO2 eq")]))
    model.functional_unit = FunctionalUnit("a0", 1)
    with pytest.raises(InventoryError) as info:
        lca.solve(model)
    assert str(info.value) == (
        "activity 'a3': its GWP impact is inf (too large for a float); "
        "check its amounts and those of what it uses for a huge number"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # 5 was a TypeError; "WATER" was read as the codes W, A, T, E, R
        ("{code: job, name: job,", "{code: job, name: job, missing: 5,", "activities.job.missing: 5 is not"),
        ("{code: job, name: job,", "{code: job, name: job, missing: WATER,", "missing: 'WATER' is not"),
        (
            "name: job\n",
            "name: job\nindicators: [5]\n",
            "indicators: expected indicator codes such as GWP, got [5]",
        ),
    ],
)
def test_lists_of_indicator_codes_are_checked(tmp_path, old, new, expected):
    assert old in GOOD
    with pytest.raises(InputFileError) as info:
        lca.load(write(tmp_path, GOOD.replace(old, new, 1)))
    assert len(info.value.problems) == 1 and expected in str(info.value.problems[0])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["run", "{long}.yaml"], "cannot be read (File name too long)"),
        (["run", "{long}.xlsx"], "cannot be read (File name too long)"),
        (["template", "{long}.xlsx"], "cannot write it (File name too long)"),
        (["report", "{inv}", "--out", "{long}.html"], "cannot write it (File name too long)"),
    ],
)
def test_cli_file_name_too_long(tmp_path, capsys, command, expected):
    # 300 characters > 255, the longest file name of common file systems (ENAMETOOLONG)
    long = tmp_path / ("a" * 300)
    argv = [a.format(long=long, inv=write(tmp_path, GOOD)) for a in command]
    assert main(argv) == 2
    path = next(a for a in argv if "aaaa" in a)
    assert one_error_line(capsys) == f"error: {path}: {expected}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.yaml"]


@pytest.mark.parametrize("name", ["inv.yaml", "inv.xlsx"])
def test_cli_input_that_cannot_be_read(tmp_path, capsys, monkeypatch, name):
    # as a file without read permission does (the tests may run as root, who reads anything)
    path = write(tmp_path, GOOD, name=name)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "open", refuse)
    assert main(["run", str(path)]) == 2
    assert one_error_line(capsys) == f"error: {name}: cannot be read (Permission denied)"
