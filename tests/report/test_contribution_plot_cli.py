"""Contribution paths, plots and the report/compare commands, as worked examples."""

from __future__ import annotations

import io

import openpyxl
import pytest

import lca
from lca.cli import main
from lca.contribution import contribution_tree, impact_of
from lca.model.records import Activity, Exchange, FunctionalUnit, Model
from lca.plot import comparison, contribution_chart, phase_bars, to_svg

CASE = lca.datasets_dir() / "cases" / "bloom.yaml"


def test_bloom_paths_amortise_the_hardware(bloom_result):
    nodes = {n.code: n for n in contribution_tree(bloom_result, "GWP", cutoff=0.005)}
    # node share: (1,082,990 / 8) h / (6 x 8,760 h x 0.85) = 3.0301 nodes, x 2,500 kg = 7,575.3 kg
    node = nodes["node_manufacturing"]
    assert node.amount == pytest.approx(1_082_990 / 8 / (6 * 8760 * 0.85))
    assert node.impact == pytest.approx(2500 * node.amount)
    assert node.depth == 2 and node.share == pytest.approx(7575.306 / 50892.563, rel=1e-6)
    # 914 kWh x 0.394 = 360.1 kg is 0.71% of the total: kept at a 0.5% cutoff, cut at 1%
    assert "bloom_deployment" in nodes
    assert "bloom_deployment" not in {n.code for n in contribution_tree(bloom_result, "GWP", cutoff=0.01)}


def test_paths_stop_in_a_loop():
    # the grid needs 0.1 plant-unit per kWh and a plant-unit uses 1 kWh of grid: a loop.
    # 1 kWh delivered needs 1/0.9 kWh made (0.1 kg each): 0.1/0.9 = 0.1111 kg per kWh.
    m = Model("loop")
    grid = [Exchange("GWP", 0.1, "kg CO2 eq"), Exchange("plant", 0.1, "item")]
    m.add_activity(Activity("grid", "grid", None, "kWh", exchanges=grid))
    m.add_activity(Activity("plant", "plant", None, "item", exchanges=[Exchange("grid", 1, "kWh")]))
    m.add_activity(Activity("job", "job", "training", "run", exchanges=[Exchange("grid", 9, "kWh")]))
    m.functional_unit = FunctionalUnit("job", 1, "run")
    result = lca.solve(m)
    assert impact_of(result, "grid")["GWP"] == pytest.approx(0.1 / 0.9)
    tree = contribution_tree(result, "GWP", max_depth=3)
    assert [(n.depth, n.code) for n in tree] == [(0, "job"), (1, "grid"), (2, "plant"), (3, "grid")]
    assert tree[0].impact == pytest.approx(9 * 0.1 / 0.9)  # = 1.0 kg
    assert tree[2].amount == pytest.approx(0.9)  # 0.1 plant-unit per kWh x 9 kWh
    assert tree[2].impact == pytest.approx(0.9 * 0.1 / 0.9)  # its 0.9 kWh of grid: 0.1 kg


def test_phase_bars_show_each_phase_in_its_unit(bloom_result, fake_bands):
    fig = phase_bars(bloom_result, ["GWP"], bands=fake_bands)
    (ax,) = fig.axes
    widths = [p.get_width() for p in ax.patches]
    # manufacturing 3,636.15 + 7,575.31 = 11,211.45 kg; training 39,320.99 kg; deployment 360.12 kg: in t
    assert widths == pytest.approx([11.21145, 39.32099, 0.360116], rel=1e-5)
    assert ax.get_xlabel() == "t CO2 eq"
    assert ax.get_title(loc="left") == "GWP, total 50.9 t CO2 eq"
    assert ax.xaxis.get_offset_text().get_text() == ""  # no "1e4" offset, no e-notation
    # each bar's whisker spans its band, in t
    low, _, high = fake_bands.phase_bands["training"]["GWP"]
    segments = [seg for c in ax.collections for seg in c.get_segments()]
    assert any(
        seg[0][0] == pytest.approx(low / 1000) and seg[1][0] == pytest.approx(high / 1000) for seg in segments
    )
    svg = to_svg(fig, salt="x", alt="GWP per phase")
    assert (
        svg.startswith('<svg role="img" aria-label="GWP per phase"') and "<title>GWP per phase</title>" in svg
    )
    assert svg == to_svg(phase_bars(bloom_result, ["GWP"], bands=fake_bands), salt="x", alt="GWP per phase")


def test_phase_bars_leave_out_indicators_without_data():
    gpt3 = lca.solve(lca.load(lca.datasets_dir() / "cases" / "gpt3.yaml"))
    fig = phase_bars(gpt3)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["GWP, total 553 t CO2 eq"]
    assert fig.get_suptitle() == "No data for ADP, PE, WATER (not drawn)"


def test_contribution_chart_boxes_are_shares(bloom_result):
    fig = contribution_chart(bloom_result, "GWP", cutoff=0.01)
    boxes = {round(p.get_x()): [] for p in fig.axes[0].patches}
    for p in fig.axes[0].patches:
        boxes[round(p.get_x())].append(p.get_height())
    assert boxes[0] == [pytest.approx(1.0)]  # the functional unit: the whole total
    # level 2 under the training run: dynamic 24,692.17, idle 14,628.82, node 7,575.31, GPU 3,636.15 kg
    assert sorted(boxes[2], reverse=True) == pytest.approx(
        [24692.17 / 50892.56, 14628.82 / 50892.56, 7575.31 / 50892.56, 3636.15 / 50892.56], rel=1e-5
    )


def test_comparison_scales_to_the_larger():
    fig = comparison({"7B": {"GWP": 10.0}, "70B": {"GWP": 40.0}}, {"GWP": "kg CO2 eq"})
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == [25.0, 100.0]


def test_comparison_labels_do_not_grow_with_the_names():
    long = "a fine-tuned 7B model served from a region with a very long name " * 3
    fig = comparison({long: {"GWP": 10.0}, "70B": {"GWP": 40.0}}, {"GWP": "kg CO2 eq"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["GWP"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0].startswith("A: a fine-tuned") and "\n" in legend[0]  # wrapped
    assert legend[1] == "B: 70B"


def test_cli_report_writes_three_formats(tmp_path):
    for name in ("r.html", "r.md", "r.xlsx"):
        assert main(["report", str(CASE), "--out", str(tmp_path / name)]) == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    # BLOOM total 50,892.56 kg CO2 eq (hand calculation in test_report_bloom.py): 50.89 t
    md = (tmp_path / "r.md").read_text()
    assert "| total | 50.89 |" in md
    # the charts are SVG files beside the .md, linked from it
    assert "](r_figures/phases.svg)" in md and (tmp_path / "r_figures" / "phases.svg").read_text().startswith(
        "<svg"
    )
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    # BLOOM total by hand (tests/report/test_report_bloom.py): 3,636.15 + 7,575.31 + 24,692.17
    # + 14,628.82 + 360.12 = 50,892.56 kg CO2 eq
    assert book["results"]["B6"].value == pytest.approx(50892.563, rel=1e-8)


def test_cli_report_bad_input_leaves_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: lca-inventory/1\nname: x\nactivities: [{code: a, phase: nowhere}]\n")
    out = tmp_path / "out.html"
    assert main(["report", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    # every problem, located, one line each: a phase that is not one, and no functional unit
    assert err == [
        "error: bad.yaml, activities.a.phase: 'nowhere' is not a life-cycle phase",
        "error: bad.yaml, functional_unit: the model has no functional unit; "
        "expected {activity: CODE, amount: 1, unit: ...}",
    ]
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_cli_compare_prints_the_ratio(tmp_path, capsys):
    assert main(["compare", str(CASE), str(CASE), "--out", str(tmp_path / "c.md")]) == 0
    text = capsys.readouterr().out
    # the same inventory twice: 50,892.56 kg each (test_report_bloom.py), ratio 1
    assert "| GWP [t CO2 eq] | 50.89 | 50.89 | 1 |" in text
    assert "BLOOM vs BLOOM (B)" in (tmp_path / "c.md").read_text()


def test_compare_does_not_compare_incomplete_indicators(capsys, tmp_path):
    # GPT-3's case (Patterson et al. 2021) has GWP only: its ADP, PE and WATER are missing,
    # so they read as lower bounds and are not ranked; GWP is: 553,100 / 50,890 = 10.9.
    # BLOOM's functional unit is "1 unit", GPT-3's "1 run": compare refuses different
    # functional units, so this copy states GPT-3's in BLOOM's unit
    text = (lca.datasets_dir() / "cases" / "gpt3.yaml").read_text(encoding="utf-8")
    gpt3 = tmp_path / "gpt3.yaml"
    gpt3.write_text(text.replace("amount: 1, unit: run,", "amount: 1, unit: unit,"), encoding="utf-8")
    assert main(["compare", str(CASE), str(gpt3)]) == 0
    out = capsys.readouterr().out
    rows = {
        line.split("|")[1].strip(): line.split(" | ") for line in out.splitlines() if line.startswith("| ")
    }
    assert rows["GWP [t CO2 eq]"][1:] == ["50.89", "553.1", "10.9 |"]
    # GPT-3 has no ADP data at all: n/a, never 0, and not ranked
    assert rows["ADP [g Sb eq]"][1:] == ["783.8", "n/a", "n/a (incomplete) |"]
    assert "note: GPT-3 training is incomplete" in out
