"""The Markdown report: charts as SVG files beside it, and no markup from the inventory.

Issue 12 (security 4): a <script> or <img onerror> in a name reached the .md as raw HTML,
which pandoc and MkDocs would run.
"""

from __future__ import annotations

import copy
import re

from lca.report import render_files
from lca.report.build import build_document
from lca.report.markdown import escape
from lca.report.sections import ReportInput

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
LINK = "[click](javascript:alert(3))"


def test_escape():
    assert escape(SCRIPT) == "&lt;script>alert(1)&lt;/script>"
    assert escape(IMG) == '&lt;img src=x onerror="alert(2)">'
    assert escape(LINK) == "\\[click\\](javascript:alert(3))"
    assert escape("AT&T `code` \\") == "AT&amp;T \\`code\\` \\\\"
    assert escape("50.89 >= 19.12") == "50.89 >= 19.12"  # nothing else changes


def test_no_raw_html_from_the_inventory(bloom_model, bloom_result):
    model = copy.deepcopy(bloom_model)
    model.name = f"BLOOM {SCRIPT}"
    model.description = IMG
    model.info["goal"] = LINK
    model.info["sources"] = {"x": IMG}
    model.info["second_order_effects"] = [SCRIPT]
    document = build_document(ReportInput(model, bloom_result, date="2026-01-01"))
    files = render_files(document, "md", "report.md")
    text = files["report.md"].decode()
    for payload in (SCRIPT, IMG, "<img", "<script"):
        assert payload not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no link: its brackets are escaped
    assert "&lt;script>alert(1)&lt;/script>" in text and "\\[click\\](javascript:alert(3))" in text
    # the only "<" left open the citation links' autolinks
    assert {line.split("<", 1)[1][:8] for line in text.splitlines() if "<" in line} == {"https://"}


def test_charts_are_svg_files_linked_with_their_alt_text(bloom_document):
    files = render_files(bloom_document, "md", "bloom.md")
    text = files["bloom.md"].decode()
    charts = [name for name in files if name != "bloom.md"]
    assert charts[0] == "bloom_figures/phases.svg"
    for name in charts:
        assert f"]({name})" in text
        svg = files[name].decode()
        assert svg.startswith('<svg role="img" aria-label="') and 'xmlns="http://www.w3.org/2000/svg"' in svg
    line = next(line for line in text.splitlines() if "](bloom_figures/phases.svg)" in line)
    # the alt text carries the numbers: BLOOM's GWP total 50,892.56 kg = 50.89 t
    assert line.startswith("![Bar chart per indicator and life-cycle phase") and "total 50.89" in line
