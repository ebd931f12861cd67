"""The BLOOM report and a compared report in a real browser, on a desktop and on a phone.

Headless Chromium loads each page at 1280 px and 390 px wide (tests/report/browser.py):
no horizontal overflow (``scrollWidth`` equals the viewport), no two chart labels overlap
(their bounding boxes), every chart has a text alternative, no console error, nothing is
fetched. .ci/run installs Debian's ``chromium`` when it is missing; where it cannot, these
tests are skipped with a message. Screenshots for docs/ are made by docs/screenshots.py,
not here.

Page heights before this layout (lca 0.1.0, BLOOM with 1,000 Monte Carlo draws): 10,409 px
at 1280 px and 18,925 px at 390 px; the report overflowed by 54 px and 843 px.
"""

from __future__ import annotations

import re

import pytest
from browser import chromium, measure, overlaps, run

from lca.report import Alternative, render
from lca.report.build import build_document
from lca.report.sections import ReportInput
from lca.report.uncertain import paired_from_totals

WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def browser():
    found = chromium()
    if not found:
        pytest.skip("no Chromium found (.ci/run installs Debian's chromium; apt-get install -y chromium)")
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory, bloom_model, bloom_result, bloom_us, fake_bands):
    """The BLOOM report with Monte Carlo bands, and BLOOM compared with itself in another region."""
    import lca

    folder = tmp_path_factory.mktemp("pages")
    bloom = folder / "bloom.html"
    bloom.write_bytes(
        render(build_document(ReportInput(bloom_model, bloom_result, bands=fake_bands)), "html")
    )
    us = lca.solve(bloom_us)
    ratio = {c: us.total(c).magnitude / bloom_result.total(c).magnitude for c in bloom_result.indicator_codes}
    draws = dict(fake_bands.total_draws)  # the other region's draws: the same, scaled by its total
    paired = paired_from_totals(("BLOOM", bloom_us.name), draws, {c: v * ratio[c] for c, v in draws.items()})
    alternative = Alternative(bloom_us.name, bloom_us, us, paired)
    compared = folder / "compared.html"
    data = ReportInput(bloom_model, bloom_result, bands=fake_bands, alternative=alternative)
    compared.write_bytes(render(build_document(data), "html"))
    return {"bloom": bloom, "compared": compared}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["bloom", "compared"])
def test_fits_the_width_and_no_label_overlaps(browser, pages, name, width, tmp_path):
    layout = measure(browser, pages[name], width, tmp_path)
    assert layout["clientWidth"] == width
    assert layout["scrollWidth"] <= width, layout["overflowing"]
    assert len(layout["figures"]) >= 3
    for figure in layout["figures"]:
        assert figure["labels"], f"figure {figure['index']} has no labels"
        assert overlaps(figure["labels"]) == [], figure["caption"]
        assert figure["svg"][2] <= width  # the chart is never wider than the page
    # every section is there, and the page is shorter than the 10,409 px of 0.1.0 (the BLOOM
    # report with Monte Carlo; a compared report is about 9,100 px with the impact methods line)
    assert {"results", "contributions", "climate-card", "frugality"} <= set(layout["sections"])
    if width == 1280:
        assert layout["height"] < 9500


def test_charts_have_text_alternatives(browser, pages, tmp_path):
    dom = run(browser, pages["compared"], tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    labels = re.findall(r'<svg role="img" aria-label="([^"]+)"', dom.stdout)
    assert len(labels) >= 6  # phase bars, four contribution charts, the comparison
    assert any(
        label.startswith("Bar chart comparing A: BLOOM and B: BLOOM trained in us-central1")
        for label in labels
    )
    # a console message is logged as "...:INFO:CONSOLE:12] "text", source: ..." (older
    # versions: CONSOLE(12)); the page has no script, so any console line is an error
    console = [line for line in dom.stderr.splitlines() if re.search(r":CONSOLE[:(]\d+\)?\]", line)]
    assert console == []
    assert "ERR_" not in dom.stderr  # no network error: nothing is fetched
    assert " src=" not in dom.stdout  # no image, script or frame to fetch
