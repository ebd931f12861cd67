"""`lca run --format table|csv|json|md`: one tidy table, full precision in CSV and JSON."""

import csv
import io
import json
import math

import jsonschema
import pandas as pd
import pytest

import lca
from lca.cli import main
from lca.io.results import to_csv, to_json, to_markdown

EXAMPLE = lca.datasets_dir() / "examples" / "bloom_parametric.yaml"
GPT3 = lca.datasets_dir() / "cases" / "gpt3.yaml"
SCHEMA = json.loads((lca.datasets_dir().parent / "docs" / "results.schema.json").read_text(encoding="utf-8"))
DATASET_VERSION = (lca.datasets_dir() / "VERSION").read_text(encoding="utf-8").strip()


def run(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def key(row: dict) -> tuple:
    return tuple(str(row.get(k, "")) for k in ("scenario", "phase", "indicator", "statistic"))


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],  # BLOOM, deterministic
        ["run", str(EXAMPLE), "--iterations", "200", "--seed", "11", "--activity", "dynamic"],
        ["run", str(GPT3)],  # incomplete indicators
        ["run", str(EXAMPLE), "--set", "pue=1.4", "--set", "lifetime=4 year"],
    ],
)
def test_json_validates_and_round_trips_the_csv_exactly(capsys, argv):
    document = json.loads(run(capsys, *argv, "--format", "json"))
    jsonschema.validate(document, SCHEMA)
    table = csv_rows(run(capsys, *argv, "--format", "csv"))
    # every CSV number is the shortest text of its float: JSON holds exactly the same floats
    assert len(table) == len(document["rows"]) > 0
    by_key = {key(r): r for r in document["rows"]}
    for row in table:
        value = by_key[key(row)]["value"]
        assert row["value"] == ("" if value is None else repr(value))
        if value is not None:
            assert float(row["value"]) == value  # exact, not approximate
        assert row["unit"] == by_key[key(row)]["unit"]
        assert (row["complete"] == "true") == by_key[key(row)]["complete"]


def test_json_says_what_produced_the_numbers(capsys):
    document = json.loads(
        run(capsys, "run", str(EXAMPLE), "--iterations", "200", "--seed", "11", "--format", "json")
    )
    assert document["lca_version"] == lca.__version__
    assert document["dataset_version"] == DATASET_VERSION
    assert (document["seed"], document["iterations"], document["sampling"]) == (11, 200, "random")
    assert document["percentiles"] == [2.5, 97.5]
    assert document["functional_unit"]["unit"] == "run"
    assert document["indicators"] == [
        {"code": "GWP", "name": "Climate change, global warming potential (GWP100)", "unit": "kg CO2 eq"}
    ]
    stats = {r["statistic"] for r in document["rows"]}
    assert stats == {"deterministic", "mean", "std", "sem", "median", "p2.5", "p97.5"}


def test_deterministic_json_numbers_are_the_hand_calculation(capsys):
    # BLOOM (Luccioni et al. 2023): 3,636.15 + 7,575.31 kg embodied, 24,692.17 + 14,628.82 kg
    # training energy, 360.12 kg deployment = 50,892.56 kg CO2 eq (see lca/__init__.py)
    document = json.loads(run(capsys, "run", "--format", "json"))
    total = next(r for r in document["rows"] if r["phase"] == "total" and r["indicator"] == "GWP")
    assert total["unit"] == "kg CO2 eq" and total["statistic"] == "value"
    assert total["value"] == pytest.approx(50892.56, abs=0.01)
    assert document["seed"] is None and document["iterations"] == 0
    assert document["datasets_used"] == [
        "grid/FR-jean-zay",
        "grid/gcp-us-central1",
        "hardware/A100-80GB-bloom",
        "hardware/HPE-DL345-Gen10-Plus-bloom",
    ]


def test_incomplete_indicators_are_flagged_in_every_format(capsys):
    # GPT-3's case (Patterson et al. 2021) gives GWP only
    document = json.loads(run(capsys, "run", str(GPT3), "--format", "json"))
    complete = {r["indicator"]: r["complete"] for r in document["rows"]}
    assert complete == {"GWP": True, "ADP": False, "PE": False, "WATER": False}
    assert document["incomplete"]["WATER"] == ["electricity_msft", "gpt3_training"]
    assert main(["run", str(GPT3), "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert "note: WATER is incomplete" in out.err and "note" not in out.out  # stdout stays CSV


def test_missing_values_are_empty_in_csv_and_null_in_json_never_zero():
    frame = pd.DataFrame(
        {
            "phase": ["training", "total"],
            "kind": ["phase", "total"],
            "indicator": ["WATER", "WATER"],
            "unit": ["L", "L"],
            "statistic": ["value", "value"],
            "value": [math.nan, 0.1 + 0.2],
            "complete": [False, False],
        }
    )
    rows = csv_rows(to_csv(frame))
    assert rows[0]["value"] == "" and rows[1]["value"] == "0.30000000000000004"  # repr, not 0.3
    document = json.loads(to_json(frame, {}))
    assert [r["value"] for r in document["rows"]] == [None, 0.30000000000000004]
    assert "| training | n/a |" in to_markdown(frame)


def test_table_and_markdown_show_the_same_cells(capsys):
    table = run(capsys, "run", str(EXAMPLE))
    markdown = run(capsys, "run", str(EXAMPLE), "--format", "md")
    document = json.loads(run(capsys, "run", str(EXAMPLE), "--format", "json"))
    # manufacturing = 1,082,990 h / (6 y x 8,760 h/y x 0.85) x (150 + 2,500 / 8) kg = 11,211.45 kg
    value = next(r["value"] for r in document["rows"] if r["phase"] == "manufacturing")
    assert value == pytest.approx(1_082_990 / (6 * 8760 * 0.85) * (150 + 2500 / 8), rel=1e-12)
    cell = next(line for line in table.splitlines() if line.startswith("manufacturing")).split(None, 1)[1]
    assert f"| manufacturing | {cell.strip()} |" in markdown
    assert markdown.startswith("**BLOOM parametric (benchmark): one BLOOM training run**")


def test_markdown_escapes_html_in_names(capsys, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    hostile = tmp_path / "x.yaml"
    hostile.write_text(text.replace("name: BLOOM parametric", "name: <script>alert(1)</script>", 1))
    out = run(capsys, "run", str(hostile), "--format", "md")
    assert "<script>" not in out and "&lt;script&gt;" in out
