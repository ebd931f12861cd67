"""The BLOOM report: its numbers are the engine's, every section is there, nothing is remote.

Hand calculations (Luccioni et al. 2023 inputs, design.md sections 3-5):
  GPUs      150 kg x 1,082,990 h / (6 x 8,760 h x 0.85)                 =  3,636.15 kg CO2 eq
  nodes     2,500 kg x (1,082,990 / 8) h / (6 x 8,760 h x 0.85)         =  7,575.31
  dynamic   1,082,990 h x 0.400 kW x 0.057 kg/kWh                       = 24,692.17
  idle      256,646 kWh x 0.057 kg/kWh                                  = 14,628.82
  deploy    914 kWh x 0.394 kg/kWh                                      =    360.12
  total                                                                  = 50,892.56
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from report_pages import parse

import lca.data
from lca.report import SECTION_KEYS, render
from lca.report.card import NOT_PROVIDED
from lca.report.document import fmt

GPU = 150 * 1_082_990 / (6 * 8760 * 0.85)
NODE = 2500 * (1_082_990 / 8) / (6 * 8760 * 0.85)
DYNAMIC = 1_082_990 * 0.400 * 0.057
IDLE = 256_646 * 0.057
DEPLOY = 914 * 0.394
TOTAL = GPU + NODE + DYNAMIC + IDLE + DEPLOY


@pytest.fixture(scope="module")
def page(bloom_document):
    return render(bloom_document, "html").decode("utf-8")


@pytest.fixture(scope="module")
def parsed(page):
    return parse(page)


def results_cells(parsed):
    """{(phase, column index): cell} of the results table."""
    rows = parsed.tables["table-results"]
    return {(row[0]["text"], k): cell for row in rows[1:] for k, cell in enumerate(row[1:])}


def test_hand_calculation_matches_engine(bloom_result):
    assert round(TOTAL, 2) == 50892.56
    assert bloom_result.total("GWP").magnitude == pytest.approx(TOTAL, rel=1e-12)


def test_results_table_holds_the_engines_values(parsed, bloom_result):
    table = bloom_result.phase_table(units_in_header=False)
    cells = results_cells(parsed)
    header = [c["text"] for c in parsed.tables["table-results"][0]]
    # one unit per indicator, chosen from its total: 50,893 kg -> t, 0.78 kg Sb -> g, 8.0e6 MJ -> TJ
    assert header == ["phase", "GWP [t CO2 eq]", "ADP [g Sb eq]", "PE [TJ]", "WATER [m³]"]
    scale = {"GWP": 1e-3, "ADP": 1e3, "PE": 1e-6, "WATER": 1e-3}
    for phase in table.index:
        for k, code in enumerate(table.columns):
            cell = cells[(phase, k)]
            assert float(cell["attrs"]["data-value"]) == table.loc[phase, code]  # exact, repr round trip
            if cell["attrs"].get("data-coverage") != "none":
                assert cell["text"].lstrip(">= ") == fmt(table.loc[phase, code] * scale[code])
    assert cells[("total", 0)]["text"] == "50.89"  # 50,892.56 kg = 50.89 t
    assert cells[("manufacturing", 0)]["text"] == "11.21"  # 3,636.15 + 7,575.31 kg
    assert float(cells[("manufacturing", 0)]["attrs"]["data-value"]) == pytest.approx(GPU + NODE)
    # the GPU and node datasets have no water data: n/a, never 0, and the total is a lower bound
    assert cells[("manufacturing", 3)]["text"] == "n/a"
    assert cells[("total", 3)]["text"] == ">= 2,537"


def test_every_section_is_present_in_order(page, parsed):
    assert [i for i in parsed.ids if i in SECTION_KEYS] == list(SECTION_KEYS)
    for title in (
        "Goal and scope",
        "Results",
        "Main contributors",
        "Data quality",
        "Climate performance model card",
        "Frugality (AFNOR SPEC 2314)",
        "Equivalences (for communication, not results)",
    ):
        assert f">{title}</h2>" in page


def test_no_remote_reference_except_citations(parsed):
    remote = [(tag, url) for tag, url, attrs in parsed.links if re.match(r"(?i)\s*(https?:)?//", url)]
    citations = [(tag, url) for tag, url, attrs in parsed.links if attrs.get("class") == "citation"]
    assert remote, "the page cites its sources with links"
    assert remote == citations
    assert all(tag == "a" for tag, _ in remote)
    assert parsed.svg >= 1  # the phase chart is inline


def test_scope_states_version_boundary_and_sources(page):
    assert "manufacturing, training, deployment" in page
    for phase in ("extraction", "transport", "end_of_life"):
        assert f"<td>{phase}</td>" in page
    assert "cut-off" in page  # the reason given for end of life in bloom.yaml
    assert "Journal of Machine Learning Research" in page
    assert "lca version" in page and "Monte Carlo" in page
    assert f"lca datasets {lca.data.version()}" in page


def test_climate_card_answers_in_order(bloom_document):
    card = next(s for s in bloom_document.sections if s.key == "climate-card")
    pairs = next(b for b in card.blocks if getattr(b, "numbered", False)).pairs
    questions = [q for q, _ in pairs]
    assert len(questions) == 11
    assert questions[0] == "Is the resulting model publicly available?"
    assert questions[4] == "At which geo location were the computations performed?"
    assert questions[10] == "Comments"
    answers = [a for _, a in pairs]
    assert answers[0].startswith("yes")
    assert answers[2] == NOT_PROVIDED  # all experiments: not in the paper
    assert answers[7] == NOT_PROVIDED
    # the open questions are listed once, with the info field that answers them
    notes = [b.text for b in card.blocks if getattr(b, "note", False)]
    assert notes == [
        "To complete (question, info field): 3 (experiments_time), 8 (experiments_co2), 10 (positive_impact)."
    ]
    assert "57 g CO2 eq/kWh" in answers[5] and "394 g CO2 eq/kWh" in answers[5]
    # 7: the training run alone, total minus deployment: 50,892.56 - 360.12 = 50,532.4 kg = 50.53 t
    assert answers[6].startswith(f"{fmt((TOTAL - DEPLOY) / 1000)} t CO2 eq")
    assert fmt((TOTAL - DEPLOY) / 1000) == "50.53"
    # 9: one request, deployment share: 360.116 kg / 230,768 requests = 1.5605 g
    assert answers[8].startswith("1.561 g CO2 eq")


def test_frugality_lists_effects_and_practices(page, parsed):
    assert "Efficiency (less impact per functional unit) is not sufficiency" in page
    assert "rebound, not quantified" in page
    assert "No alternative computed" in page
    # the good practices are a table: one row per AFNOR SPEC 2314 family, then those stated
    practices = parsed.tables["table-practices"]
    assert [r[0]["text"] for r in practices[1:7]] == [
        "Skills",
        "Need",
        "Data",
        "Model",
        "Equipment",
        "Measurement",
    ]
    stated = [(r[2]["text"], r[3]["text"]) for r in practices[7:]]
    assert (
        "not applied",
        "Deployment in a carbon-intensive cloud region (us-central1, 394 g CO2 eq/kWh)",
    ) in stated
    effects = parsed.tables["table-effects"]
    assert [r[0]["text"] for r in effects[1:5]] == [
        "Rebound",
        "Induced uses",
        "Substitution",
        "Path dependency",
    ]
    # empty fields: listed once, not a box each
    assert page.count("To complete (info fields)") == 1
    assert page.count('class="note"') < 8


def test_equivalences_apart_with_factor_and_source(parsed):
    rows = parsed.tables["table-equivalences"]
    car = next(r for r in rows[1:] if "petrol car" in r[2]["text"])
    # 50,892.56 kg / 0.218 kg per km = 233,452 km
    assert car[1]["text"] == "233,500"
    assert float(car[1]["attrs"]["data-value"]) == pytest.approx(TOTAL / 0.218)
    assert car[3]["text"] == "0.218 kg CO2 eq/km"
    assert "ADEME" in car[4]["text"]


def test_data_quality_lists_every_parameter_with_source(parsed, bloom_model):
    rows = parsed.tables["table-parameters"][1:]
    assert [r[0]["text"] for r in rows] == list(bloom_model.parameters)
    gpu_hours = next(r for r in rows if r[0]["text"] == "gpu_hours")
    assert gpu_hours[5]["text"].startswith("luccioni2023, section 4.1")


def test_markdown_and_xlsx_carry_the_same_numbers(bloom_document, parsed):
    html_cells = results_cells(parsed)
    md = render(bloom_document, "md").decode("utf-8")
    block = md[md.index("**Results per life-cycle phase and indicator") :].split("\n\n")[1]
    md_rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in block.splitlines()[2:]]
    for row in md_rows:
        for k, text in enumerate(row[1:]):
            assert text == html_cells[(row[0], k)]["text"]
    book = openpyxl.load_workbook(io.BytesIO(render(bloom_document, "xlsx")))
    sheet = book["results"]
    # headers carry the unit of the exact values the cells hold
    assert [c.value for c in sheet[2]][:5] == [
        "phase",
        "GWP [kg CO2 eq]",
        "ADP [kg Sb eq]",
        "PE [MJ]",
        "WATER [L]",
    ]
    xlsx_rows = list(sheet.iter_rows(min_row=3, max_row=6, values_only=True))
    assert len(xlsx_rows) == len(md_rows) == 4
    for row in xlsx_rows:
        for k, value in enumerate(row[1:5]):
            cell = html_cells[(row[0], k)]
            if cell["attrs"].get("data-coverage") == "none":
                assert value == "n/a"
                continue
            # Excel keeps about 16 significant digits (openpyxl writes %.16g)
            assert value == pytest.approx(float(cell["attrs"]["data-value"]), rel=1e-15)
    assert sheet["E6"].number_format == '">= "#,##0'  # the WATER total is a lower bound
    assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref == "A2:E6"
    assert "climate_card" not in book.sheetnames and "report" in book.sheetnames
    cover = [r for r in book["report"].iter_rows(values_only=True) if r and r[0]]
    assert any(str(r[0]).startswith("11. Comments") for r in cover)
