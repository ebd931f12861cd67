"""The one number formatter (lca.report.numbers), checked on hand values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lca.report.document import Value
from lca.report.numbers import (
    display_unit,
    format_cell,
    format_number,
    format_quantity,
    format_summary,
    format_table,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (50892.563017, "50,890"),  # 4 significant digits, thousands separated
        (1_082_990.0, "1,083,000"),
        (360.116, "360.1"),
        (0.033526, "0.03353"),
        (0.00012346, "0.0001235"),  # 1e-4: still written out
        (9.99996, "10"),  # rounds up to the next power of ten: 10.00 -> "10", not "9.99996"
        (-2.5, "-2.5"),
        (0.0, "0"),
        (1.56e-06, "1.56 × 10⁻⁶"),  # beyond 1e-4: a power of ten, never "1.56e-06"
        (6.597e-06, "6.597 × 10⁻⁶"),
        (2.5e12, "2.5 × 10¹²"),
        (999_950_000.0, "1 × 10⁹"),  # 999,950,000 rounds to 1.000e9: the power form
        (float("nan"), "n/a"),
        (None, "n/a"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text
    assert "e" not in format_number(value).replace("n/a", "")


@pytest.mark.parametrize(
    ("value", "unit", "shown", "factor"),
    [
        (50892.56, "kg CO2 eq", "t CO2 eq", 1e-3),  # 50.9 t CO2 eq
        (360.1, "kg CO2 eq", "kg CO2 eq", 1.0),
        (0.001561, "kg CO2 eq", "g CO2 eq", 1e3),  # one BLOOM request: 1.561 g
        (553_142.3, "kg CO2 eq", "t CO2 eq", 1e-3),  # GPT-3: 553.1 t
        (6.597e-06, "kg Sb eq", "mg Sb eq", 1e6),  # 6.6 mg Sb eq
        (0.7816, "kg Sb eq", "g Sb eq", 1e3),
        (8.015e6, "MJ", "TJ", 1e-6),
        (2.535e6, "L", "m³", 1e-3),
        (2.535e9, "L", "m³", 1e-3),  # the ladder stops at m³: 2,535,000 m³
        (914.0, "kWh", "kWh", 1.0),
        (433_196.0, "kWh", "MWh", 1e-3),
        (57.0, "g CO2 eq", "g CO2 eq", 1.0),
        (5700.0, "g CO2 eq", "kg CO2 eq", 1e-3),
        (3e7, "item", "item", 1.0),  # not a ladder: kept
        (0.0, "kg CO2 eq", "kg CO2 eq", 1.0),
    ],
)
def test_display_unit(value, unit, shown, factor):
    assert display_unit(unit, value) == (shown, factor)


def test_format_quantity_shares_a_reference():
    assert format_quantity(50892.563, "kg CO2 eq") == "50.89 t CO2 eq"
    assert format_quantity(6.597e-06, "kg Sb eq") == "6.597 mg Sb eq"
    # deployment beside the BLOOM total: both in t so that they compare at a glance
    assert format_quantity(360.116, "kg CO2 eq", reference=50892.563) == "0.3601 t CO2 eq"
    assert format_quantity(19_123.4, "kg CO2 eq", bound="lower") == ">= 19.12 t CO2 eq"
    assert format_quantity(math.nan, "kg CO2 eq") == "n/a"


def test_format_cell_never_prints_missing_data_as_zero():
    assert format_cell(0.0, coverage="none") == "n/a"
    assert format_cell(19_120.0, coverage="partial") == ">= 19,120"
    assert format_cell(math.nan) == "n/a"
    assert format_cell(0.0) == "0"  # a real zero (complete data) stays 0


def test_format_table_one_unit_per_column():
    # BLOOM's GWP (kg): 11,211.45 + 39,320.99 + 360.12 = 50,892.56; WATER missing for manufacturing
    frame = pd.DataFrame(
        {"GWP": [11211.45, 39320.99, 360.12, 50892.56], "WATER": [0.0, 2_531_720.0, 2862.7, 2_534_583.0]},
        index=pd.Index(["manufacturing", "training", "deployment", "total"], name="phase"),
    )
    coverage = pd.DataFrame(
        {"GWP": ["complete"] * 4, "WATER": ["none", "complete", "complete", "partial"]}, index=frame.index
    )
    text = format_table(frame, {"GWP": "kg CO2 eq", "WATER": "L"}, coverage)
    assert list(text.columns) == ["GWP [t CO2 eq]", "WATER [m³]"]
    assert text["GWP [t CO2 eq]"].tolist() == ["11.21", "39.32", "0.3601", "50.89"]
    assert text["WATER [m³]"].tolist() == ["n/a", "2,532", "2.863", ">= 2,535"]
    # the exact values are untouched: only the text is rounded
    assert frame.loc["total", "GWP"] == 50892.56


def test_format_summary_cells():
    summary = pd.DataFrame(
        {
            "phase": ["manufacturing", "total"] * 2,
            "indicator": ["GWP", "GWP", "WATER", "WATER"],
            "unit": ["kg CO2 eq", "kg CO2 eq", "L", "L"],
            "mean": [19820.0, 65890.0, 0.0, 2_805_000.0],
            "p2.5": [10650.0, 46050.0, 0.0, 1_566_000.0],
            "p97.5": [34320.0, 91660.0, 0.0, 4_400_000.0],
        }
    )
    coverage = pd.DataFrame(
        {"GWP": ["complete"] * 2, "WATER": ["none", "partial"]}, index=["manufacturing", "total"]
    )
    text = format_summary(summary, coverage)
    assert text.loc["total", "GWP [t CO2 eq]"] == "65.89 [46.05 – 91.66]"
    assert text.loc["manufacturing", "WATER [m³]"] == "n/a"  # was "0 [0 - 0]"
    assert text.loc["total", "WATER [m³]"] == ">= 2,805 [1,566 – 4,400]"


def test_value_cells():
    assert Value(50892.56, scale=1e-3).text == "50.89"
    assert Value(50892.56, 41234.0, 63123.0, scale=1e-3).text == "50.89 [41.23 – 63.12]"
    assert Value(0.0, missing=True).text == "n/a"
    assert Value(math.nan).text == "n/a"
    assert Value(0.2203, kind="share").text == "22.0%"
    assert (
        Value(0.998, kind="probability").text == "99.8%" and Value(0.7349, kind="probability").text == "73%"
    )
    assert Value(0.8276, kind="coefficient").text == "0.83"
    assert Value(4.86e-08, kind="input").text == "4.86 × 10⁻⁸"
    assert Value(1_082_990.0, kind="input").text == "1,082,990"  # an input keeps all its digits
    assert Value(256_646.25, kind="input").text == "256,646.25"


def test_number_formats_show_four_digits_without_e():
    assert Value(50892.56).number_format == "#,##0"
    assert Value(6.597e-06).number_format == "#,##0.000000000"  # 0.000006597
    assert Value(0.2203, kind="share").number_format == "0.0%"
    assert Value(2_534_583.0, bound="lower").number_format == '">= "#,##0'
