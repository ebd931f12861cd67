"""Schema of every dataset file: columns, units, sources, ranges, unique names."""

from __future__ import annotations

import csv
import math
import re

import pytest

import lca.data
from lca.data.catalogue import BASE_COLUMNS, CATEGORIES, VALUE_SUFFIXES, read_schema
from lca.data.paths import datasets_dir
from lca.indicators import get_indicator
from lca.units import parse_unit

#: Text columns a category may carry besides the base and value columns.
ATTRIBUTES = {"hardware": {"kind"}, "grid": {"region"}, "routes": {"mode", "origin", "destination"}}
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
            else:
                attr = {"": "amount", "_low": "low", "_high": "high"}[suffix]
                assert getattr(entry.values[field], attr) == float(text)


def _split(column: str, fields) -> tuple[str | None, str]:
    for suffix in ("_source", "_low", "_high"):
        if column.endswith(suffix) and column.removesuffix(suffix) in fields:
            return column.removesuffix(suffix), suffix
    return (column, "") if column in fields else (None, "")


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
