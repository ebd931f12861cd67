"""Schema of every dataset file: columns, units, sources, ranges and how they are drawn, unique names."""

from __future__ import annotations

import csv
import math
import re

import pytest

import lca.data
from lca.data.catalogue import BASE_COLUMNS, CATEGORIES, VALUE_SUFFIXES, read_schema
from lca.data.paths import datasets_dir
from lca.data.ranges import lognormal_interval
from lca.indicators import get_indicator
from lca.units import parse_unit

#: Text columns a category may carry besides the base and value columns.
ATTRIBUTES = {
    "hardware": {"kind", "gwp_basis"},
    "grid": {"region", "gwp_basis"},
    "transport": {"gwp_basis"},
    "eol": {"gwp_basis"},
    "routes": {"mode", "origin", "destination"},
}
#: Fields bounded by physics or definition (PUE >= 1, power <= TDP, a kWh's primary energy
#: >= its non-renewable part and >= 3.6 MJ): their ranges stay triangular.
BOUNDED = {("datacenter", "pue"), ("hardware", "load_power"), ("grid", "pe")}
SCHEMA = read_schema(datasets_dir() / "schema.csv")


def _rows(category: str) -> tuple[list[str], list[dict[str, str]]]:
    with (datasets_dir() / f"{category}.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_version_is_a_dated_release():
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", (datasets_dir() / "VERSION").read_text().strip())
    assert lca.data.version() == (datasets_dir() / "VERSION").read_text().strip()


def test_schema_units_parse_and_indicators_are_registered():
    for category, fields in SCHEMA.items():
        assert category in CATEGORIES
        for spec in fields.values():
            parse_unit(spec.unit, f"schema {category}.{spec.field}")
            if spec.indicator:
                assert get_indicator(spec.indicator).unit == parse_unit(spec.unit, "x")


@pytest.mark.parametrize("category", CATEGORIES)
def test_columns_are_base_attributes_and_complete_value_groups(category):
    header, _ = _rows(category)
    values = {f"{f}{s}" for f in SCHEMA[category] for s in VALUE_SUFFIXES}
    assert set(BASE_COLUMNS) <= set(header)
    assert values <= set(header), f"{category}.csv lacks {sorted(values - set(header))}"
    assert set(header) - values - set(BASE_COLUMNS) == ATTRIBUTES.get(category, set())


@pytest.mark.parametrize("category", CATEGORIES)
def test_names_are_unique(category):
    _, rows = _rows(category)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_value_has_a_source_a_unit_and_a_range_around_it(category):
    for ref in lca.data.names(category):
        entry = lca.data.entry(ref)
        assert entry.description and entry.method, ref
        if entry.unit:
            parse_unit(entry.unit, f"{ref} unit")
        for name, value in entry.values.items():
            where = f"{ref}.{name}"
            assert value.source.strip(), f"{where} has no source"
            parse_unit(value.unit, where)
            assert math.isfinite(value.amount), where
            assert math.isnan(value.low) == math.isnan(value.high), f"{where}: give both bounds or none"
            assert value.contains_central, f"{where}: {value.amount} outside {value.low}-{value.high}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_column_reaches_the_record(category):
    _, rows = _rows(category)
    for row in rows:
        entry = lca.data.entry(f"{category}/{row['name']}")
        for column, text in row.items():
            if not text:
                continue
            field, suffix = _split(column, SCHEMA[category])
            if field is None:
                got = {
                    "name": entry.name,
                    "description": entry.description,
                    "unit": entry.unit,
                    "method": entry.method,
                    "comment": entry.comment,
                    "year": str(entry.year),
                }.get(column, entry.attributes.get(column))
                assert got == text, f"{category}/{row['name']}.{column}"
            elif suffix == "_source":
                assert entry.values[field].source == text
            elif suffix == "_distribution":
                name, coverage = entry.values[field].spread
                assert text.startswith(name), f"{category}/{row['name']}.{column}: {text} read as {name}"
                if name == "lognormal":
                    assert f"{coverage:g}%" in text
            else:
                attr = {"": "amount", "_low": "low", "_high": "high"}[suffix]
                assert getattr(entry.values[field], attr) == float(text)


def _split(column: str, fields) -> tuple[str | None, str]:
    for suffix in ("_source", "_low", "_high", "_distribution"):
        if column.endswith(suffix) and column.removesuffix(suffix) in fields:
            return column.removesuffix(suffix), suffix
    return (column, "") if column in fields else (None, "")


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_range_states_how_it_is_drawn(category):
    """Issue 16: the data file says, per value, whether its range is multiplicative (lognormal,
    with the percentile interval it states) or additive (triangular, uniform)."""
    header, rows = _rows(category)
    for row in rows:
        entry = lca.data.entry(f"{category}/{row['name']}")
        for field, value in entry.values.items():
            if value.has_range:
                assert row[f"{field}_distribution"], f"{entry.ref}.{field} has a range but no distribution"


@pytest.mark.parametrize("category", CATEGORIES)
def test_factor_k_ranges_are_lognormal_around_the_central_value(category):
    """A range spanning more than 1.5x on both sides of its value (a factor k either way, a
    model's spread: the narrow side at least half the wide one in log space) is a lognormal
    whose median is the central value and whose 95% interval holds both bounds."""
    for ref in lca.data.names(category):
        entry = lca.data.entry(ref)
        for field, value in entry.values.items():
            if not value.has_range or value.low <= 0 or (category, field) in BOUNDED:
                continue
            down, up = math.log(value.amount / value.low), math.log(value.high / value.amount)
            name, coverage = value.spread
            if value.high / value.low > 1.5 and min(down, up) >= 0.5 * max(down, up):
                assert name == "lognormal", f"{ref}.{field}: {value.describe()}"
            if name == "lognormal":
                u = value.uncertainty(ref)
                assert u.median() == pytest.approx(value.amount, rel=1e-12)
                lo, hi = lognormal_interval(u, coverage)
                assert lo <= value.low * (1 + 1e-9) and hi >= value.high * (1 - 1e-9), f"{ref}.{field}"
                assert max(value.low / lo, hi / value.high) == pytest.approx(1) or min(down, up) < max(
                    down, up
                )


def test_bounded_fields_never_draw_outside_their_bounds():
    """PUE >= 1, power <= TDP, grid PE >= 3.6 MJ/kWh: these stay triangular (a lognormal
    would draw a PUE below 1); grid PE lower bounds are physical (issue 16: Norway 0.139,
    Brazil 1.77 and Austria 2.84 MJ/kWh were below the energy of the kWh itself)."""
    for category, field in BOUNDED:
        for ref in lca.data.names(category):
            value = lca.data.entry(ref).get(field)
            if value is not None and value.has_range:
                assert value.spread[0] == "triangular", f"{ref}.{field}"
                assert value.low >= {"pue": 1.0, "pe": 3.6, "load_power": 0.0}[field], f"{ref}.{field}"


def test_required_coverage_of_the_issue():
    """The entries issue 4 asks for are all there."""
    eu27 = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"]
    eu27 += ["IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
    others = ["US", "CN", "IN", "JP", "GB", "NO", "CH", "CA", "BR", "AU", "KR", "SG", "TW"]
    assert len(eu27) == 27
    for code in eu27 + others:
        assert "GWP" in lca.data.grid(code).impacts, code
    for name in (
        "A100-80GB",
        "A100-40GB",
        "H100",
        "H200",
        "V100-32GB",
        "T4",
        "L4",
        "A10",
        "RTX-3080",
        "RTX-3090",
        "RTX-4090",
        "EPYC-7763",
        "server-node-no-gpu",
        "memory-per-GB",
        "SSD-per-TB",
        "HDD-per-TB",
        "network-switch",
    ):
        entry = lca.data.hardware(name)
        assert {"GWP", "ADP", "PE"} <= set(entry.impacts), name
        assert entry.get("lifetime") is not None, name
    for mode in ("air", "sea", "road", "rail"):
        assert lca.data.transport(mode).unit == "t*km"
    for kind in ("hyperscale", "enterprise", "hpc", "on-premises"):
        assert lca.data.datacenter(kind).get("pue").has_range
