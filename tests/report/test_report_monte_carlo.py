"""End to end with the real Monte Carlo module (skipped where it is not installed yet)."""

from __future__ import annotations

import pytest
from report_pages import parse

import lca
from lca.report.commands import compare_alternatives, write_report
from lca.report.uncertain import monte_carlo_available

pytestmark = pytest.mark.skipif(
    not monte_carlo_available(), reason="lca.uncertainty.propagation is not installed in this version"
)


def test_report_with_monte_carlo_is_reproducible(tmp_path):
    model = lca.bloom()
    pages = []
    for name in ("a.html", "b.html"):
        write_report(model, tmp_path / name, iterations=500, seed=3, date="2026-01-01")
        pages.append((tmp_path / name).read_text())
    assert pages[0] == pages[1]  # same inputs and seed: the same report, byte for byte
    assert "500 iterations, seed 3" in pages[0]
    total = next(r for r in parse(pages[0]).tables["table-results"] if r[0]["text"] == "total")
    low, high = float(total[1]["attrs"]["data-low"]), float(total[1]["attrs"]["data-high"])
    assert low < high
    assert float(total[1]["attrs"]["data-value"]) == lca.solve(model).total("GWP").magnitude


def test_paired_comparison_of_an_inventory_with_itself_is_even():
    # the same inventory on paired draws: every iteration ties, so P(A lower) = 0.5
    text, _ = compare_alternatives(lca.bloom(), lca.bloom(), fmt="md", iterations=200, seed=1)
    gwp = next(line for line in text.splitlines() if line.startswith("| GWP"))
    assert gwp.endswith("| 50% |")
