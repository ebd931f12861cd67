"""Looking up entries, user overrides, and the `lca data` command."""

from __future__ import annotations

import subprocess
import sys

import pytest

import lca.data
from lca.cli import main
from lca.data.catalogue import load_catalogue
from lca.data.describe import coverage_markdown
from lca.data.paths import datasets_dir
from lca.errors import DataNotFound, InputFileError


def test_nothing_is_read_at_import():
    code = "import lca, lca.data, lca.io.datafile; print(lca.data._CATALOGUE)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_lookups_by_category():
    assert lca.data.hardware("T4").attributes["kind"] == "gpu"
    assert lca.data.grid("fr").name == "FR"  # case-insensitive when unambiguous
    assert lca.data.transport("sea").unit == "t*km"
    assert lca.data.eol("weee-treatment").unit == "kg"
    assert lca.data.entry("H200").ref == "hardware/H200"  # a bare name found in one dataset


def test_unknown_names_suggest_the_closest():
    with pytest.raises(DataNotFound, match=r"no hardware entry 'A100-80G'; did you mean 'A100-80GB'"):
        lca.data.hardware("A100-80G")
    with pytest.raises(DataNotFound, match=r"no dataset 'grids'; did you mean 'grid'"):
        lca.data.names("grids")


def test_user_folder_adds_and_overrides_entries(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "name,description,unit,gwp,gwp_low,gwp_high,gwp_source\n"
        "FR,my supplier's mix,kWh,0.05,0.04,0.06,supplier contract 2025\n"
        "my-ppa,wind power purchase agreement,kWh,0.012,,,PPA certificate 2025\n",
        encoding="utf-8",
    )
    cat = load_catalogue([tmp_path])
    assert cat.version.endswith("+local")
    fr = cat.get("grid", "FR")
    assert (fr.impacts["GWP"].amount, fr.origin) == (0.05, str(tmp_path / "grid.csv"))
    assert fr.missing(["GWP", "ADP", "PE", "WATER"]) == ("ADP", "PE", "WATER")
    assert cat.get("grid", "my-ppa").impacts["GWP"].source == "PPA certificate 2025"
    assert cat.get("grid", "DE").impacts["GWP"].amount == 0.422  # shipped entries stay


def test_malformed_user_rows_are_located(tmp_path):
    (tmp_path / "hardware.csv").write_text(
        "name,description,unit,gwp,gwp_source\nX,broken,item,lots,me\nX,twice,item,1,me\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError) as err:
        load_catalogue([tmp_path])
    assert [str(p) for p in err.value.problems] == [
        "hardware.csv, line 2: column gwp: 'lots' is not a number",
    ]


def test_duplicate_user_rows_are_refused(tmp_path):
    (tmp_path / "eol.csv").write_text("name,unit\nX,kg\nX,kg\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="eol.csv, line 3: name 'X' is used twice"):
        load_catalogue([tmp_path])


def test_cli_list_shows_coverage(capsys):
    assert main(["data", "list", "grid"]) == 0
    lines = capsys.readouterr().out.splitlines()
    sg = next(line for line in lines if line.split()[:1] == ["SG"])
    assert sg.split()[1:5] == ["x", "x", "x", "-"]  # GWP ADP PE, no WATER


def test_cli_show_gives_values_units_ranges_sources(capsys):
    assert main(["data", "show", "grid/FR-jean-zay"]) == 0
    out = capsys.readouterr().out
    # 57 g (Luccioni et al. 2023), 0.9 x 44.18 g (EcoLogits) to 1.1 x 98 g (Boavizta), read as the
    # 95% interval of a lognormal of median 57 g: sigma = ln(107.8 / 57) / 1.959964 = 0.3251, GSD 1.38
    assert "gwp: 0.057 kg CO2 eq/kWh (0.03976 to 0.1078, lognormal, median 0.057, GSD 1.38," in out
    assert "source: Luccioni, Viguier & Ligozat 2023" in out
    assert "missing indicators: none" in out


def test_cli_show_unknown_exits_2_with_a_suggestion(capsys):
    assert main(["data", "show", "grid/FRA"]) == 2
    assert capsys.readouterr().err.strip() == "error: no grid entry 'FRA'; did you mean 'FR'?"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("grid/XX", "error: no grid entry 'XX' (`lca data list grid` lists them)"),
        ("zzzzzz", "error: no dataset entry 'zzzzzz' (`lca data list` lists them)"),
    ],
)
def test_cli_show_unknown_without_a_close_name_says_where_to_look(capsys, name, expected):
    assert main(["data", "show", name]) == 2
    assert capsys.readouterr().err.strip() == expected


def test_docs_coverage_table_matches_the_data():
    docs = (datasets_dir().parent / "docs" / "data.md").read_text(encoding="utf-8")
    assert coverage_markdown() in docs


def test_a_user_file_that_is_not_utf8_is_located(tmp_path):
    # was a UnicodeDecodeError traceback: 0xff never starts a UTF-8 character
    (tmp_path / "grid.csv").write_bytes(b"name,unit\nFR,\xff\n")
    with pytest.raises(InputFileError) as info:
        load_catalogue([tmp_path])
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'grid.csv'}: cannot be read as a UTF-8 CSV file (invalid start byte)"
    ]


def test_user_rows_with_too_many_or_too_few_cells_are_located(tmp_path):
    # extra cells were dropped silently (csv.DictReader keeps them under None), missing ones read as blank
    (tmp_path / "eol.csv").write_text("name,unit,gwp\nX,kg,1,2,3\nY,kg\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_catalogue([tmp_path])
    assert [str(p) for p in info.value.problems] == [
        "eol.csv, line 2: 5 cells, but the header has 3 columns",
        "eol.csv, line 3: 2 cells, but the header has 3 columns",
    ]


def test_data_list_names_the_shipped_cases(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    block = out.split("cases (datasets/cases")[1]
    for name in ("bloom", "bloom-full", "gpt3"):
        assert f"\n  {name} " in block
