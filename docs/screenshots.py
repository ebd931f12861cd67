"""Regenerate the report screenshots of docs/ (run by hand, not by the tests).

    python docs/screenshots.py

Writes, with headless Chromium (Debian's ``chromium``):

* ``report-bloom.png``: the BLOOM report with 2,000 Monte Carlo draws (seed 42), the top
  2,400 px at 1280 px wide;
* ``report-bloom-phone.png``: its results on a 390 px phone screen;
* ``report-compare.png``: the frugality comparison of BLOOM with the same training on the
  grid of GCP us-central1 (394 g CO2 eq/kWh, Luccioni et al. 2023 section 5), paired draws.

and prints the page heights at both widths.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent / "tests" / "report"))

import browser  # noqa: E402  (tests/report/browser.py: the harness the tests use)
from cases import other_region  # noqa: E402

import lca  # noqa: E402
from lca.report.commands import write_report  # noqa: E402

ITERATIONS, SEED, DATE = 2000, 42, "2026-01-01"


def main() -> int:
    chromium = browser.chromium()
    if chromium is None:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp())
    model = lca.bloom()
    bloom = write_report(model, work / "bloom.html", iterations=ITERATIONS, seed=SEED, date=DATE)
    compared = write_report(
        model, work / "compared.html", iterations=ITERATIONS, seed=SEED, other=other_region(model), date=DATE
    )
    for page in (bloom, compared):
        for width in (1280, 390):
            layout = browser.measure(chromium, page, width, work)
            height, scroll = layout["height"], layout["scrollWidth"]
            print(f"{page.name} at {width} px: {height:,} px high, scrollWidth {scroll}")
    browser.screenshot(chromium, bloom, DOCS / "report-bloom.png", 1280, 2400, work)
    shot = browser.screenshot
    shot(chromium, bloom, DOCS / "report-bloom-phone.png", 390, 2000, work, anchor="results")
    shot(chromium, compared, DOCS / "report-compare.png", 1280, 1500, work, anchor="alternatives")
    print(f"wrote {', '.join(p.name for p in sorted(DOCS.glob('report-*.png')))} in {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
