"""Missing data is never printed as 0 (issue 11 items 6 and 8): n/a, lower bounds, comparisons.

GPT-3's case (Patterson et al. 2021, table 4) has GWP only: its electricity and training
activities declare ADP, PE and WATER missing, so those read n/a in every output, and the
comparison with BLOOM ranks GWP only.
"""

from __future__ import annotations

import copy
import io
import json
import math

import numpy as np
import openpyxl
import pytest
from report_pages import parse

import lca
from lca.model.records import Activity, Exchange, FunctionalUnit, Model
from lca.plot import comparison
from lca.report import render
from lca.report.build import build_document
from lca.report.comparison import comparable, comparison_blocks
from lca.report.numbers import format_result
from lca.report.sections import ReportInput
from lca.report.uncertain import paired_from_totals

GPT3 = lca.datasets_dir() / "cases" / "gpt3.yaml"
# 10,000 GPUs x 14.8 days x 24 h x 330 W x 1.1 PUE = 1,289,376 kWh; x 0.429 kg/kWh = 553,142.3 kg
GPT3_GWP = 10_000 * 14.8 * 24 * 0.330 * 1.1 * 0.429


@pytest.fixture(scope="module")
def gpt3():
    return lca.load(GPT3)


@pytest.fixture(scope="module")
def gpt3_document(gpt3):
    return build_document(ReportInput(gpt3, lca.solve(gpt3), date="2026-01-01"))


def test_gpt3_coverage_and_values(gpt3):
    result = lca.solve(gpt3)
    assert result.total("GWP").magnitude == pytest.approx(GPT3_GWP, rel=1e-12)
    coverage = result.coverage()
    assert coverage.loc["total"].to_dict() == {
        "GWP": "complete",
        "ADP": "none",
        "PE": "none",
        "WATER": "none",
    }
    table = result.phase_table(units_in_header=False, missing_as_nan=True)
    assert table.loc["training", "GWP"] == pytest.approx(GPT3_GWP)
    assert table.loc[:, ["ADP", "PE", "WATER"]].isna().all().all()
    # CSV and JSON of the table: an empty cell and null, never 0
    assert table.to_csv().splitlines()[1] == f"training,{float(table.loc['training', 'GWP'])!r},,,"
    assert json.loads(table.to_json())["ADP"] == {"training": None, "total": None}


def test_gpt3_na_in_the_cli_table(gpt3):
    text = format_result(lca.solve(gpt3))
    assert list(text.columns) == ["GWP [t CO2 eq]", "ADP [kg Sb eq]", "PE [MJ]", "WATER [L]"]
    assert text.loc["total"].tolist() == ["553.1", "n/a", "n/a", "n/a"]  # 553,142 kg = 553.1 t


def test_gpt3_na_in_html_markdown_and_xlsx(gpt3_document):
    parsed = parse(render(gpt3_document, "html").decode())
    total = next(r for r in parsed.tables["table-results"] if r[0]["text"] == "total")
    assert [c["text"] for c in total] == ["total", "553.1", "n/a", "n/a", "n/a"]
    assert [c["attrs"].get("data-coverage") for c in total[2:]] == ["none"] * 3
    md = render(gpt3_document, "md").decode()
    assert "| training | 553.1 | n/a | n/a | n/a |" in md
    assert "Incomplete totals: ADP, PE, WATER: no data in this inventory (n/a)." in md
    book = openpyxl.load_workbook(io.BytesIO(render(gpt3_document, "xlsx")))
    rows = {r[0]: r[1:5] for r in book["results"].iter_rows(min_row=3, max_row=4, values_only=True)}
    assert rows["total"][0] == pytest.approx(GPT3_GWP, rel=1e-15)
    assert rows["total"][1:] == ("n/a", "n/a", "n/a")


def lower_bound_model(missing=("GWP",), gpu_amount=1.0) -> Model:
    """200,000 kWh at 0.0956 kg CO2 eq/kWh = 19,120 kg, plus GPUs whose GWP is missing."""
    m = Model("partial")
    m.add_activity(Activity("grid", "grid", None, "kWh", [Exchange("GWP", 0.0956, "kg CO2 eq")]))
    gpu = Activity("gpu", "GPU manufacturing", "manufacturing", "item", [Exchange("ADP", 0.002, "kg Sb eq")])
    gpu.missing = tuple(missing)
    m.add_activity(gpu)
    job = [Exchange("grid", 200_000, "kWh"), Exchange("gpu", gpu_amount, "item")]
    m.add_activity(Activity("job", "training job", "training", "run", job))
    m.functional_unit = FunctionalUnit("job", 1, "run")
    return m


def test_incomplete_total_is_a_lower_bound_in_every_format():
    model = lower_bound_model()
    result = lca.solve(model)
    assert result.total("GWP").magnitude == pytest.approx(19_120.0)
    assert result.coverage().loc[:, "GWP"].to_dict() == {
        "manufacturing": "none",
        "training": "complete",  # the job and the grid it pulls (the GPU is manufacturing's)
        "total": "partial",
    }
    assert format_result(result).loc["total", "GWP [t CO2 eq]"] == ">= 19.12"
    document = build_document(ReportInput(model, result, date="2026-01-01"))
    assert "- **GWP:** >= 19.12 t CO2 eq" in render(document, "md").decode()
    parsed = parse(render(document, "html").decode())
    total = next(r for r in parsed.tables["table-results"] if r[0]["text"] == "total")
    assert total[1]["text"] == ">= 19.12" and total[1]["attrs"]["data-coverage"] == "partial"
    sheet = openpyxl.load_workbook(io.BytesIO(render(document, "xlsx")))["results"]
    total_row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "total")
    assert total_row[1].value == pytest.approx(19_120.0) and total_row[1].number_format == '">= "#,##0'


def test_monte_carlo_rows_get_the_coverage_of_their_result():
    # BLOOM's manufacturing has no water data: with Monte Carlo it read "0 [0 - 0]"
    from lca.report.numbers import format_summary
    from lca.report.uncertain import monte_carlo_available, run_monte_carlo

    if not monte_carlo_available():
        pytest.skip("Monte Carlo is not installed")
    model = lca.bloom()
    mc = run_monte_carlo(model, 200, 1)
    coverage = lca.solve(model).coverage(list(mc.rows))
    text = format_summary(mc.summary(), coverage)
    assert text.loc["manufacturing", "WATER [m³]"] == "n/a"
    assert text.loc["total", "WATER [m³]"].startswith(">= ")


def test_same_gaps_can_be_compared():
    # both lack the GPU's GWP, the same GPU at the same amount: the missing part is the same
    a, b = lower_bound_model(), lower_bound_model()
    b.activities["grid"].exchanges[0] = Exchange("GWP", 0.05, "kg CO2 eq")  # 10,000 kg
    ra, rb = lca.solve(a), lca.solve(b)
    assert comparable(ra, rb, "GWP") == "same gaps"
    # the same GPU but twice as many: the missing parts differ, no ranking
    assert comparable(ra, lca.solve(lower_bound_model(gpu_amount=2.0)), "GWP") == "no"
    # one complete, one not: no ranking
    assert comparable(ra, lca.solve(lower_bound_model(missing=())), "GWP") == "no"
    paired = paired_from_totals(
        ("A", "B"), {"GWP": np.array([19120.0] * 4)}, {"GWP": np.array([10000.0] * 4)}
    )
    blocks = comparison_blocks("A", ra, "B", rb, paired, subject="b")
    table = next(b for b in blocks if hasattr(b, "rows"))
    gwp = table.rows[0]
    assert gwp[-1].text == "100%‡"  # B is lower in every paired draw (exactly 1)
    assert gwp[3] == "n/a (incomplete)"  # a ratio of two lower bounds says nothing
    assert any("lack exactly the same data on GWP" in n for n in table.notes)
    assert blocks[0].text.startswith("B is lower on GWP (100%)")


def test_chart_never_plots_a_probability_the_table_calls_na(bloom_result):
    gpt3 = lca.solve(lca.load(GPT3))
    draws = {c: np.array([1.0, 2.0]) for c in ("GWP", "ADP", "PE", "WATER")}
    paired = paired_from_totals(("BLOOM", "GPT-3"), draws, {c: v * 10 for c, v in draws.items()})
    blocks = comparison_blocks("BLOOM", bloom_result, "GPT-3", gpt3, paired)
    table = next(b for b in blocks if hasattr(b, "rows"))
    ranked = {row[0].split()[0]: row[-1] for row in table.rows}
    assert ranked["GWP"].text == "100%" and ranked["ADP"] == "n/a (incomplete)"
    figure = next(b for b in blocks if hasattr(b, "draw")).draw()
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["GWP\nP(A lower) 100%", "ADP\nnot ranked", "PE\nnot ranked", "WATER\nnot ranked"]
    # and the bars of GPT-3's missing indicators are not drawn as zero: they read n/a
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts.count("n/a") == 3


def test_comparison_chart_draws_no_zero_for_missing():
    fig = comparison(
        {"A": {"GWP": 2.0, "ADP": 1.0}, "B": {"GWP": 1.0, "ADP": math.nan}},
        {"GWP": "kg CO2 eq", "ADP": "kg Sb eq"},
    )
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == [100.0, 100.0, 50.0, 0.0]  # B's ADP: no bar, and its label says n/a
    assert "n/a" in [t.get_text() for t in fig.axes[0].texts]


def test_gpt3_compared_with_itself_when_lacking_the_same_data(gpt3):
    other = copy.deepcopy(gpt3)
    result = lca.solve(gpt3)
    # ADP, PE and WATER have no data at all in both: not compared (nothing to rank)
    assert comparable(result, lca.solve(other), "ADP") == "no"
    assert comparable(result, lca.solve(other), "GWP") == "yes"
