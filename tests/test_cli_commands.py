"""`lca validate`, `lca data search`, suggestions, help texts, the progress bar, start-up."""

import subprocess
import sys
import textwrap

import pytest

import lca
from lca.cli import main
from lca.model.records import PHASE_SYNONYMS, PHASES, suggest_phase

BLOOM = lca.datasets_dir() / "cases" / "bloom.yaml"
GPT3 = lca.datasets_dir() / "cases" / "gpt3.yaml"


# -- lca validate --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["bloom.yaml", "bloom.xlsx"])
def test_validate_only_checks(capsys, case):
    assert main(["validate", str(lca.datasets_dir() / "cases" / case)]) == 0
    out = capsys.readouterr()
    model = lca.bloom()
    lines = out.out.splitlines()
    assert lines[0] == (
        f"{case}: valid ({len(model.activities)} activities, {len(model.parameters)} parameters, 4 indicators)"
    )
    # the A100 and node entries of datasets/hardware.csv give no WATER figure
    assert lines[1:] == ["note: WATER is incomplete: no data for a100_manufacturing, node_manufacturing"]
    assert out.err == ""


def test_validate_states_incomplete_indicators(capsys):
    assert main(["validate", str(GPT3)]) == 0
    assert "note: WATER is incomplete: no data for electricity_msft, gpt3_training" in capsys.readouterr().out


def test_validate_exits_2_on_a_bad_inventory_and_prints_no_result(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BLOOM.read_text(encoding="utf-8").replace("unit: kWh", "unit: kWhh", 1), encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "unit 'kWhh' is not a unit; did you mean 'kWh'?" in out.err


# -- lca data ------------------------------------------------------------------------------------
def test_data_search_finds_entries_by_description(capsys):
    assert main(["data", "search", "germany"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["grid/DE"]
    assert main(["data", "search", "A100", "--category", "hardware"]) == 0
    refs = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert refs and all(r.startswith("hardware/") and "A100" in r for r in refs)


def test_data_search_without_a_match_says_so(capsys):
    assert main(["data", "search", "zzzz-nothing"]) == 0
    out = capsys.readouterr()
    assert (
        out.out == ""
        and out.err.strip() == "no dataset entry matches 'zzzz-nothing' (`lca data list` lists them all)"
    )


def test_data_search_refuses_an_unknown_category(capsys):
    assert main(["data", "search", "x", "--category", "grd"]) == 2
    assert capsys.readouterr().err.strip().startswith("error: no dataset 'grd'; did you mean 'grid'?")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("grid/Germany", "did you mean 'DE' (electricity, Germany grid mix (consumption, average))?"),
        ("grid/germany", "did you mean 'DE' (electricity, Germany grid mix (consumption, average))?"),
        ("grid/DEU", "did you mean 'DE'?"),  # the ISO 3166 alpha-3 code: a close spelling
        ("grid/Austria", "did you mean 'AT' (electricity, Austria grid mix (consumption, average))?"),
    ],
)
def test_data_show_suggests_the_code_of_a_country_name(capsys, name, expected):
    assert main(["data", "show", name]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: no grid entry '{name.split('/')[1]}'; {expected}"


def test_data_list_refuses_an_unknown_category_with_a_suggestion(capsys):
    assert main(["data", "list", "hardwar"]) == 2
    assert "did you mean 'hardware'?" in capsys.readouterr().err


# -- phases --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("use", "deployment"),
        ("use phase", "deployment"),
        ("Use-Phase", "deployment"),
        ("inference", "deployment"),
        ("production", "manufacturing"),
        ("disposal", "end_of_life"),
        ("end of life", "end_of_life"),
        ("EoL", "end_of_life"),
        ("trainig", "training"),
        ("deploymnet", "deployment"),
        ("raw materials", "extraction"),
    ],
)
def test_practitioners_phase_names_suggest_ours(text, phase):
    assert suggest_phase(text) == phase


@pytest.mark.parametrize(
    ("written", "meant"), [("use", "deployment"), ("Use Phase", "deployment"), ("disposal", "end_of_life")]
)
def test_an_inventory_with_a_practitioner_s_phase_name_gets_ours_suggested(tmp_path, capsys, written, meant):
    path = tmp_path / "p.yaml"
    path.write_text(
        "format: lca-inventory/1\nname: x\nfunctional_unit: {activity: job, amount: 1, unit: run}\n"
        f"activities:\n  - {{code: job, name: job, phase: {written}, unit: run}}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: p.yaml, activities.job.phase: '{written}' is not a life-cycle phase; did you mean '{meant}'?\n"
    )


def test_every_synonym_names_a_phase_and_nonsense_suggests_nothing():
    assert set(PHASE_SYNONYMS.values()) <= set(PHASES)
    assert suggest_phase("banana") is None and suggest_phase("") is None
    assert suggest_phase("x" * 100_000) is None  # bounded work on hostile text


# -- help texts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["report", "compare", "run", "validate", "scenarios"])
def test_help_says_yaml_and_xlsx(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert ".yaml or .xlsx" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"lca {lca.__version__}\n"


# -- progress bar (drawn on a terminal: tests/test_cli_montecarlo.py) ----------------------------
def test_progress_bar_is_off_when_stderr_is_not_a_terminal(capsys):
    args = ["run", str(lca.datasets_dir() / "examples" / "bloom_parametric.yaml"), "--iterations", "3000"]
    assert main([*args, "--seed", "2"]) == 0
    assert capsys.readouterr().err == ""


# -- start-up ------------------------------------------------------------------------------------
def test_the_cli_module_imports_only_the_standard_library():
    # lca/__init__.py is stubbed out (it is made lazy separately): what lca.cli itself
    # imports at its top and when it builds the parser must be the standard library only
    code = textwrap.dedent(
        f"""
        import sys, types
        package = types.ModuleType("lca")
        package.__path__ = [{str(lca.datasets_dir().parent / "lca")!r}]
        sys.modules["lca"] = package
        before = set(sys.modules)
        import lca.cli
        lca.cli._parser().format_help()
        loaded = sorted(set(sys.modules) - before)
        print(" ".join(loaded))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    # lca.commands and lca.terminal (the output formats, printing) import the standard library only
    assert sorted(m for m in loaded if m.startswith("lca.")) == ["lca.cli", "lca.commands", "lca.terminal"]
    third_party = [m for m in loaded if m.split(".")[0] not in (*sys.stdlib_module_names, "lca")]
    assert third_party == []
