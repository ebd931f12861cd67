"""The unit registry: indicator units, spellings, errors that name the field."""

import pytest

from lca.errors import UnitError
from lca.units import Q_, conversion_factor, format_unit, parse_unit


@pytest.mark.parametrize("text", ["kg CO2 eq", "kg CO2-eq", "kg CO2e", "kg CO2eq", "kilogram CO2 eq"])
def test_spellings_of_co2_eq_are_one_unit(text):
    assert Q_(1, text).to("g CO2 eq").magnitude == pytest.approx(1000.0)


def test_indicator_units_do_not_mix():
    with pytest.raises(UnitError, match=r"cannot convert 'kg Sb eq'.*'kg CO2 eq'"):
        conversion_factor(parse_unit("kg Sb eq", "x"), parse_unit("kg CO2 eq", "x"), "exchange 'a'")


def test_multiples_convert():
    # 1 t = 1,000 kg = 1,000,000 g; 1 MWh = 1,000 kWh; 1 MJ = 1/3.6 kWh
    assert conversion_factor(parse_unit("t CO2 eq", "x"), parse_unit("g CO2 eq", "x"), "x") == 1e6
    assert conversion_factor(parse_unit("MWh", "x"), parse_unit("kWh", "x"), "x") == 1000.0
    assert conversion_factor(parse_unit("kWh", "x"), parse_unit("MJ", "x"), "x") == pytest.approx(3.6)


def test_year_is_365_days():
    # BLOOM: 6 years x 8,760 h
    assert Q_(6, "year").to("h").magnitude == 52_560.0


def test_counts_are_dimensionless():
    # BLOOM GPUs: 1,082,990 GPU-h / (6 x 8,760 h x 0.85) = 1,082,990 / 44,676 = 24.2410 GPUs
    assert Q_(1_082_990 / (6 * 8760 * 0.85), "item").to("dimensionless").magnitude == pytest.approx(
        24.2410, rel=1e-4
    )
    assert conversion_factor(parse_unit("request", "x"), parse_unit("item", "x"), "x") == 1.0


def test_unknown_unit_names_field_and_suggests():
    with pytest.raises(UnitError, match=r"Exchanges!D14: unit 'kWhh' is not a unit; did you mean 'kWh'\?"):
        parse_unit("kWhh", "Exchanges!D14")


def test_incompatible_unit_names_field_and_both_units():
    with pytest.raises(UnitError) as info:
        conversion_factor(parse_unit("kg", "x"), parse_unit("kWh", "x"), "exchange 'power'")
    assert "exchange 'power'" in str(info.value)
    assert "'kg'" in str(info.value) and "'kWh'" in str(info.value)


@pytest.mark.parametrize(
    ("unit", "label"),
    [("g CO2 eq/kWh", "g CO2 eq/kWh"), ("kg Sb eq", "kg Sb eq"), ("L", "L"), ("", "dimensionless")],
)
def test_format_unit(unit, label):
    assert format_unit(unit) == label
