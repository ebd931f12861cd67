"""Frugality that assesses: alternatives computed and compared, tables to fill, the card.

Hand values (Luccioni et al. 2023 inputs; test_report_bloom.py):
  BLOOM trained on Jean Zay:       24,692.17 + 14,628.82 (57 g/kWh) + embodied 11,211.45
                                   + deployment 360.12                        = 50,892.56 kg
  the same trained in us-central1: (24,692.17 + 14,628.82) x 394 / 57 = 271,799.0 kg
                                   + 11,211.45 + 360.12                       = 283,370.6 kg
"""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pytest
from report_pages import parse

import lca
from lca.errors import LcaError
from lca.report import Alternative, render
from lca.report.build import build_document
from lca.report.card import NOT_PROVIDED
from lca.report.commands import named_alternatives, write_report
from lca.report.info import INFO_FIELDS
from lca.report.sections import ReportInput
from lca.report.uncertain import monte_carlo_available, paired_from_totals

DATE = "2026-01-01"
OPERATIONAL = 24692.17 + 14628.82  # BLOOM's training energy at 57 g CO2 eq/kWh, kg
US_TOTAL = OPERATIONAL * 394 / 57 + 11211.45 + 360.12


def document(model, result=None, **kw):
    return build_document(ReportInput(model, result or lca.solve(model), date=DATE, **kw))


def test_another_region_is_compared_with_a_sentence(bloom_model, bloom_result, bloom_us):
    us = lca.solve(bloom_us)
    assert us.total("GWP").magnitude == pytest.approx(US_TOTAL, rel=1e-6)
    doc = document(bloom_model, bloom_result, alternative=Alternative("us-central1", bloom_us, us))
    page = render(doc, "html").decode()
    rows = parse(page).tables["table-comparison"]
    gwp = next(r for r in rows if r[0]["text"].startswith("GWP"))
    # 283,370.6 / 50,892.56 = 5.568
    assert [c["text"] for c in gwp] == ["GWP [t CO2 eq]", "50.89", "283.4", "5.57"]
    # without Monte Carlo the sentence says the ranking's likelihood is unknown
    assert "us-central1 is higher on GWP (x5.57), ADP (x1)" not in page  # ADP is the same: not a ranking
    assert "us-central1 is higher on GWP (x5.57)" in page
    assert "(run Monte Carlo to know how likely this ranking is)" in page


def test_probability_of_the_alternative_being_lower(bloom_model, bloom_result, bloom_us):
    import numpy as np

    us = lca.solve(bloom_us)
    # paired draws: A (BLOOM) lower in every draw on GWP, in one of two on PE
    paired = paired_from_totals(
        ("BLOOM", "us-central1"),
        {"GWP": np.array([1.0, 2.0]), "PE": np.array([1.0, 3.0])},
        {"GWP": np.array([5.0, 6.0]), "PE": np.array([2.0, 2.0])},
    )
    doc = document(bloom_model, bloom_result, alternative=Alternative("us-central1", bloom_us, us, paired))
    parsed = parse(render(doc, "html").decode())
    rows = parsed.tables["table-comparison"]
    assert rows[0][-1]["text"] == "P(B lower)"  # B: us-central1, named in the caption
    cells = {r[0]["text"].split()[0]: r[-1]["text"] for r in rows[1:]}
    assert cells["GWP"] == "0%" and cells["PE"] == "50%"  # P(B lower) = 1 - P(A lower)
    # the WATER totals are lower bounds that do not lack the same data: not ranked
    assert cells["WATER"] == "n/a (incomplete)"
    text = render(doc, "md").decode()
    assert "us-central1 is higher on GWP (0%); not clearly lower or higher on PE (50%)" in text


def test_named_alternatives_from_the_inventory(tmp_path, bloom_model, bloom_us):
    from lca.io.datafile import dump_model

    dump_model(bloom_us, tmp_path / "us.yaml")
    model = copy.deepcopy(bloom_model)
    model.info["alternatives"] = [
        {"name": "trained in us-central1", "inventory": "us.yaml"},
        {"name": "training only", "activity": "bloom_training"},
        "a smaller model (not modelled)",
    ]
    found = named_alternatives(model, tmp_path)
    assert [(name, m.functional_unit.activity) for name, m in found] == [
        ("trained in us-central1", "bloom_life_cycle"),
        ("training only", "bloom_training"),
    ]
    out = tmp_path / "r.html"
    write_report(model, out, base=tmp_path, date=DATE)
    parsed = parse(out.read_text())
    assert {"table-comparison", "table-comparison1"} <= set(parsed.tables)
    training = next(r for r in parsed.tables["table-comparison1"] if r[0]["text"].startswith("GWP"))
    # training only: 50,892.56 - 360.12 = 50,532.44 kg; ratio 0.9929
    assert [c["text"] for c in training[1:]] == ["50.89", "50.53", "0.993"]
    model.info["alternatives"] = [{"name": "x", "activity": "bloom_trainig"}]
    with pytest.raises(
        LcaError,
        match=r"info.alternatives\[0\]: no activity 'bloom_trainig' in this inventory; did you mean 'bloom_training'",
    ):
        named_alternatives(model)


def test_practices_and_effects_are_tables_to_fill(bloom_model, bloom_result):
    model = copy.deepcopy(bloom_model)
    model.info["good_practices"] = {
        "equipment": "applied: trained on a low-carbon grid (57 g CO2 eq/kWh)",
        "skills": "not applied: no training of the team yet",
        "data": "the corpus was deduplicated",
    }
    model.info["second_order_effects"] = {"rebound": "open weights multiply deployments"}
    parsed = parse(render(document(model, bloom_result), "html").decode())
    practices = {r[0]["text"]: [c["text"] for c in r[2:]] for r in parsed.tables["table-practices"][1:7]}
    assert practices["Equipment"] == ["applied", "trained on a low-carbon grid (57 g CO2 eq/kWh)"]
    assert practices["Skills"] == ["not applied", "no training of the team yet"]
    assert practices["Data"] == ["stated", "the corpus was deduplicated"]
    assert practices["Need"] == ["", ""]
    effects = {r[0]["text"]: r[2]["text"] for r in parsed.tables["table-effects"][1:]}
    assert effects["Rebound"] == "open weights multiply deployments"
    page = render(document(model, bloom_result), "md").decode()
    assert page.count("To complete (info fields)") == 1
    assert (
        "second_order_effects (induced, substitution, path_dependency); good_practices (need, model, measurement)"
        in page
    )
    model.info["good_practices"] = ["a list"]
    with pytest.raises(LcaError, match=r"info.good_practices is \['a list'\]; expected a mapping of family"):
        document(model, bloom_result)


def test_card_answers_the_gpu_power_from_the_parameters():
    gpt3 = lca.load(lca.datasets_dir() / "cases" / "gpt3.yaml")
    card = next(s for s in document(gpt3).sections if s.key == "climate-card")
    answers = [a for _, a in next(b for b in card.blocks if getattr(b, "numbered", False)).pairs]
    assert (
        answers[3]
        == "gpu_power 330 W (patterson2021, table 4 (measured mean 330 W per GPU)) (from the parameters)"
    )
    assert answers[6] == NOT_PROVIDED  # no training_activity named


def test_card_bands_on_questions_7_and_9(bloom_model, bloom_result, fake_bands):
    from dataclasses import replace

    bands = replace(
        fake_bands,
        activities={
            "bloom_training": {"GWP": (45_000.0, 60_000.0, 91_000.0)},
            "bloom_request": {"GWP": (0.00127, 0.00157, 0.00193)},
        },
    )
    card = next(
        s for s in document(bloom_model, bloom_result, bands=bands).sections if s.key == "climate-card"
    )
    answers = [a for _, a in next(b for b in card.blocks if getattr(b, "numbered", False)).pairs]
    # 7: 50,532.44 kg = 50.53 t, band 45 to 91 t; 9: 360.116 kg / 230,768 = 1.561 g, band 1.27 to 1.93 g
    assert answers[6].startswith("50.53 t CO2 eq [45 – 91, 95% interval (2.5th-97.5th percentiles)]")
    assert answers[8].startswith("1.561 g CO2 eq [1.27 – 1.93, 95% interval")


@pytest.mark.skipif(not monte_carlo_available(), reason="Monte Carlo is not installed")
def test_report_computes_the_card_bands_by_monte_carlo(tmp_path):
    out = tmp_path / "r.html"
    write_report(lca.bloom(), out, iterations=200, seed=4, date=DATE)
    page = out.read_text()
    card = page[page.index('id="climate-card"') : page.index('id="frugality"')]
    assert card.count("95% interval (2.5th-97.5th percentiles)]") == 2


def test_template_readme_lists_every_report_field(tmp_path):
    from lca.io.excel import write_template

    path = tmp_path / "t.xlsx"
    write_template(path)
    rows = list(openpyxl.load_workbook(path)["README"].iter_rows(values_only=True))
    listed = {r[1]: r for r in rows if r and isinstance(r[1], str) and r[1].startswith("info.")}
    for field in INFO_FIELDS:
        row = listed[f"info.{field.key}"]
        assert row[3].startswith(field.where) and row[4] == field.example
    # the keys the report reads, as the issue lists them
    assert {"info.need", "info.alternatives", "info.second_order_effects", "info.good_practices"} <= set(
        listed
    )


def test_user_guide_lists_every_report_field():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for field in INFO_FIELDS:
        assert f"| `{field.key}` |" in guide
