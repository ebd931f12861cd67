"""`lca run --set NAME=VALUE` and `lca scenarios MODEL SCENARIOS.csv`."""

import csv
import io
import json
import re

import jsonschema
import pytest

import lca
from lca.cli import main
from lca.errors import InputFileError, LcaError
from lca.scenarios import apply_settings, read_scenarios

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"
SCHEMA = json.loads((lca.datasets_dir().parent / "docs" / "results.schema.json").read_text(encoding="utf-8"))
TEXT = EXAMPLE.read_text(encoding="utf-8")
LIFETIME = """  lifetime:
    {amount: 6, unit: year, distribution: triangular, min: 4, max: 7,
     source: "luccioni2023, section 4.1; range issue8"}"""
PUE = """  pue:
    {amount: 1.2, unit: "", distribution: uniform, min: 1.1, max: 1.3,
     source: "issue8"}"""


def output(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def values(text: str) -> dict[tuple, str]:
    rows = csv.DictReader(io.StringIO(text))
    return {(r.get("scenario"), r["phase"], r["indicator"], r["statistic"]): r["value"] for r in rows}


def edited(tmp_path, lifetime: str | None = None, pue: str | None = None):
    """The example with its parameters edited in the file, as a practitioner would."""
    assert LIFETIME in TEXT and PUE in TEXT
    text = TEXT
    if lifetime:
        text = text.replace(LIFETIME, f"  lifetime: {{{lifetime}}}")
    if pue:
        text = text.replace(PUE, f"  pue: {{{pue}}}")
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


# -- --set ---------------------------------------------------------------------------------------
def test_set_gives_the_numbers_of_editing_the_file(capsys, tmp_path):
    by_set = output(
        capsys, "run", str(EXAMPLE), "--set", "pue=1.4", "--set", "lifetime=4 year", "--format", "csv"
    )
    path = edited(tmp_path, lifetime="amount: 4, unit: year", pue='amount: 1.4, unit: ""')
    by_edit = output(capsys, "run", str(path), "--format", "csv")
    assert values(by_set) == values(by_edit)  # the same floats, to the last digit
    # and with Monte Carlo: a set parameter is fixed, as in the edited file (no distribution)
    mc = ["--iterations", "300", "--seed", "5", "--format", "csv"]
    by_set = output(capsys, "run", str(EXAMPLE), "--set", "pue=1.4", "--set", "lifetime=4 year", *mc)
    assert values(by_set) == values(output(capsys, "run", str(path), *mc))


def test_set_changes_only_what_it_names():
    model = lca.load(EXAMPLE)
    changed = apply_settings(model, {"lifetime": "4 year"})
    assert model.parameters["lifetime"].amount == 6  # the inventory is untouched
    assert changed.parameters["lifetime"].amount == 4 and changed.parameters["lifetime"].uncertainty is None
    others = [n for n in model.parameters if n != "lifetime"]
    assert all(changed.parameters[n] == model.parameters[n] for n in others)
    assert changed.activities == model.activities and changed.functional_unit == model.functional_unit
    # manufacturing is amortised over the lifetime: 6 -> 4 years multiplies it by 6/4 exactly,
    # training does not depend on it
    base, new = lca.solve(model).phase_table(False), lca.solve(changed).phase_table(False)
    assert new.loc["manufacturing", "GWP"] == pytest.approx(
        base.loc["manufacturing", "GWP"] * 6 / 4, rel=1e-12
    )
    assert new.loc["training", "GWP"] == base.loc["training", "GWP"]


def test_a_bare_number_is_in_the_parameter_s_unit_and_units_convert():
    model = lca.load(EXAMPLE)

    def total(**settings):
        return lca.solve(apply_settings(model, settings)).total("GWP").magnitude

    assert total(lifetime="4") == pytest.approx(total(lifetime="4 year"), rel=1e-12)
    assert total(lifetime="48 month") == pytest.approx(total(lifetime="4 year"), rel=1e-12)
    assert total(tdp="400 W") == pytest.approx(lca.solve(model).total("GWP").magnitude, rel=1e-12)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("pu=1.4", "error: --set pu=1.4: no parameter 'pu'; did you mean 'pue'?"),
        ("lifetme=4 year", "error: --set lifetme=4 year: no parameter 'lifetme'; did you mean 'lifetime'?"),
        (
            "lifetime=4 kg",
            "error: --set lifetime=4 kg: cannot convert 'kg' ([mass]) to the parameter's unit 'year' ([time])",
        ),
        (
            "pue=1.4 kWh",
            "error: --set pue=1.4 kWh: cannot convert 'kWh' ([mass] * [length] ** 2 / [time] ** 2) "
            "to the parameter's unit 'dimensionless' (dimensionless)",
        ),
        (
            "pue=__import__('os')",
            "error: --set pue=__import__('os'): expected a number with an optional unit",
        ),
        ("pue", "error: --set pue: expected NAME=VALUE"),
        ("lifetime=4 yeer", "error: --set lifetime=4 yeer: unit 'yeer' is not a unit"),
    ],
)
def test_bad_settings_are_one_located_line(capsys, setting, expected):
    assert main(["run", str(EXAMPLE), "--set", setting]) == 2
    assert one_error(capsys).startswith(expected)


def test_a_setting_given_twice_is_refused(capsys):
    assert main(["run", str(EXAMPLE), "--set", "pue=1.4", "--set", "pue=1.5"]) == 2
    assert one_error(capsys) == "error: --set pue is given twice (1.4 and 1.5)"


# -- lca scenarios -------------------------------------------------------------------------------
SCENARIOS = "scenario,pue,lifetime [year],grid\nbaseline,,,\nefficient,1.1,,30 g CO2 eq/kWh\nshort life,,4,\n"


def test_each_scenario_gives_the_numbers_of_run_with_set(capsys, tmp_path):
    table = tmp_path / "s.csv"
    table.write_text(SCENARIOS, encoding="utf-8")
    got = values(output(capsys, "scenarios", str(EXAMPLE), str(table), "--format", "csv"))
    runs = {
        "baseline": [],
        "efficient": ["--set", "pue=1.1", "--set", "grid=30 g CO2 eq/kWh"],
        "short life": ["--set", "lifetime=4 year"],
    }
    for name, settings in runs.items():
        alone = values(output(capsys, "run", str(EXAMPLE), *settings, "--format", "csv"))
        assert {k[1:]: v for k, v in got.items() if k[0] == name} == {k[1:]: v for k, v in alone.items()}
    assert {k[0] for k in got} == set(runs)


def test_monte_carlo_scenarios_share_the_draws_of_what_they_do_not_set(capsys, tmp_path):
    table = tmp_path / "s.csv"
    table.write_text(SCENARIOS, encoding="utf-8")
    mc = ["--iterations", "400", "--seed", "9", "--format", "csv"]
    got = values(output(capsys, "scenarios", str(EXAMPLE), str(table), *mc))
    alone = values(output(capsys, "run", str(EXAMPLE), *mc))
    # the baseline row is `lca run` with the same seed; "efficient" sets only energy
    # parameters, so its manufacturing band is the baseline's, draw for draw
    assert {k[1:]: v for k, v in got.items() if k[0] == "baseline"} == {k[1:]: v for k, v in alone.items()}
    for stat in ("mean", "p2.5", "p97.5"):
        assert (
            got[("efficient", "manufacturing", "GWP", stat)]
            == got[("baseline", "manufacturing", "GWP", stat)]
        )
        assert got[("efficient", "training", "GWP", stat)] != got[("baseline", "training", "GWP", stat)]


def test_scenarios_table_is_tidy_and_readable(capsys, tmp_path):
    table = tmp_path / "s.csv"
    table.write_text("\ufeff" + SCENARIOS, encoding="utf-8")  # with the BOM of Excel's "CSV UTF-8"
    out = output(capsys, "scenarios", str(EXAMPLE), str(table))
    assert "3 scenarios of s.csv" in out
    assert re.search(r"^short life\s+manufacturing\s+\S+", out, re.M)
    for mc in ([], ["--iterations", "50", "--seed", "3"]):
        document = json.loads(output(capsys, "scenarios", str(EXAMPLE), str(table), "--format", "json", *mc))
        jsonschema.validate(document, SCHEMA)
        assert document["scenarios_file"] == "s.csv"
        assert document["scenarios"][1] == {
            "name": "efficient",
            "settings": {"pue": "1.1", "grid": "30 g CO2 eq/kWh"},
        }
        assert document["scenarios"][2]["settings"] == {"lifetime": "4 year"}  # the header's unit
        assert document["seed"] == (3 if mc else None)


def test_scenarios_without_a_name_column_are_numbered(tmp_path):
    (tmp_path / "s.csv").write_text("pue,lifetime\n1.3,5 year\n1.1,\n", encoding="utf-8")
    scenarios = read_scenarios(tmp_path / "s.csv", lca.load(EXAMPLE))
    assert [(s.name, s.settings) for s in scenarios] == [
        ("scenario 1", {"pue": "1.3", "lifetime": "5 year"}),
        ("scenario 2", {"pue": "1.1"}),
    ]


def test_bad_scenario_tables_list_every_problem_at_its_place(capsys, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("pue,lifetim,gpu_hours,tdp [kg]\n1.1,4,x,\n1,2\n7 kg,,,\n", encoding="utf-8")
    assert main(["scenarios", str(EXAMPLE), str(table)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: bad.csv, line 1, column lifetim: no parameter 'lifetim'; did you mean 'lifetime'?",
        "error: bad.csv, line 1, column tdp: cannot convert 'kg' ([mass]) to the parameter's unit 'kW' "
        "([mass] * [length] ** 2 / [time] ** 3)",
        "error: bad.csv, line 2, column gpu_hours: expected a number with an optional unit (e.g. 1.4 or 4 year)",
        "error: bad.csv, line 3: 2 cells, but the header has 4",
        "error: bad.csv, line 4, column pue: cannot convert 'kg' ([mass]) to the parameter's unit "
        "'dimensionless' (dimensionless)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "error: {path}: empty: expected a header of parameter names"),
        (
            "pue\n",
            "error: s.csv: no scenarios: expected a header of parameter names and one row per scenario",
        ),
        ("scenario,pue\na,1.1\na,1.2\n", "error: s.csv, line 3: scenario 'a' is named twice"),
    ],
)
def test_empty_or_ambiguous_scenario_tables(capsys, tmp_path, text, expected):
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["scenarios", str(EXAMPLE), str(path)]) == 2
    assert one_error(capsys) == expected.format(path="s.csv")


def test_read_scenarios_raises_input_file_error_not_a_traceback(tmp_path):
    (tmp_path / "s.csv").write_bytes(b"pue\n\xff\n")
    with pytest.raises(InputFileError, match="cannot be read as a UTF-8 CSV file"):
        read_scenarios(tmp_path / "s.csv", lca.load(EXAMPLE))
    with pytest.raises(LcaError):
        apply_settings(lca.load(EXAMPLE), {"pue": "nan"})
