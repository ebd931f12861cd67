"""Alternatives are compared only on the same functional unit (ISO 14044, 4.2.3.7)."""

import copy

import pytest

import lca
from lca.cli import main
from lca.comparison import check_same_functional_unit, same_functional_unit
from lca.errors import InputFileError
from lca.model.records import FunctionalUnit
from lca.report.commands import compare_alternatives
from lca.uncertainty import compare

BLOOM = lca.datasets_dir() / "cases" / "bloom.yaml"
GPT3 = lca.datasets_dir() / "cases" / "gpt3.yaml"
# the two functional units as the shipped cases state them
EXPECTED = (
    f"error: {BLOOM}, functional_unit: 1 unit (BLOOM trained once and served for 18 days (230,768 "
    f"requests)) differs from {GPT3}, functional_unit: 1 run (one GPT-3 training run); alternatives "
    "are compared only on the same functional unit (same unit and amount)"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", str(BLOOM), str(GPT3)],
        ["compare", str(BLOOM), str(GPT3), "--iterations", "100", "--seed", "1"],
        ["report", str(BLOOM), "--compare", str(GPT3), "--out", "{out}"],
    ],
)
def test_cli_refuses_two_functional_units_naming_both(tmp_path, capsys, argv):
    argv = [a.format(out=tmp_path / "r.html") for a in argv]
    assert main(argv) == 2
    out = capsys.readouterr()
    assert out.err.splitlines() == [EXPECTED]
    assert out.out == "" and list(tmp_path.iterdir()) == []  # no ratio printed, no file


def test_python_compare_paths_refuse_them_too():
    bloom, gpt3 = lca.load(BLOOM), lca.load(GPT3)
    with pytest.raises(InputFileError, match=r"^BLOOM, functional_unit: 1 unit .* differs from GPT-3"):
        compare(bloom, gpt3, 100, seed=1)
    with pytest.raises(InputFileError, match="differs from"):
        compare_alternatives(bloom, gpt3)
    # explicit demands: the caller says what is compared
    compare(bloom, gpt3, 10, seed=1, demand_a={"bloom_life_cycle": 1}, demand_b={"gpt3_training": 1})


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((1, "MWh"), (1000, "kWh"), True),  # the same energy
        ((2, "h"), (120, "min"), True),
        ((1, "request"), (1, "requests"), True),  # pint reads the plural
        ((1000, "request"), (1, "request"), False),  # another amount
        ((1, "kWh"), (1, "kg"), False),  # another dimension
        ((1, "run"), (1, "request"), False),  # counts are dimensionless: the names must agree
        ((1, "unit"), (1, "item"), False),
        ((1, "GB"), (1000, "MB"), True),  # information has its own dimension
        ((1, "GB"), (1, "request"), False),
    ],
)
def test_same_unit_and_amount_after_conversion(a, b, same):
    assert same_functional_unit(FunctionalUnit("x", *a), FunctionalUnit("y", *b)) is same


def test_the_same_functional_unit_passes_and_compares():
    bloom = lca.load(BLOOM)
    other = copy.deepcopy(bloom)
    other.name = "BLOOM, other region"
    check_same_functional_unit(bloom, other)
    text, _ = compare_alternatives(bloom, other, fmt="md")
    # the same inventory: 50,892.56 kg each (tests/report/test_report_bloom.py), ratio 1
    assert "| GWP [t CO2 eq] | 50.89 | 50.89 | 1 |" in text


def test_a_missing_functional_unit_is_named():
    bloom = lca.load(BLOOM)
    other = copy.deepcopy(bloom)
    other.functional_unit = None
    with pytest.raises(InputFileError, match=r"^b.yaml, functional_unit: missing"):
        check_same_functional_unit(bloom, other, ("a.yaml", "b.yaml"))
