"""The BLOOM report in a real browser: headless Chromium loads it without console errors.

.ci/run installs Debian's ``chromium`` when it is missing; where it cannot, this test is
skipped with a message. The screenshot is written to docs/report-bloom.png.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lca.report import render

DOCS = Path(__file__).resolve().parents[2] / "docs"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium found (.ci/run installs Debian's chromium; apt-get install -y chromium)")


def run(browser: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_bloom_report_loads_without_console_errors(bloom_document, tmp_path):
    browser = chromium()
    page = tmp_path / "bloom.html"
    page.write_bytes(render(bloom_document, "html"))
    dom = run(browser, page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    # the DOM after loading: every section was parsed, the charts are inline SVG
    assert 'id="climate-card"' in dom.stdout and 'id="equivalences"' in dom.stdout
    assert dom.stdout.count("<svg") >= 1
    # a console message is logged as "...:INFO:CONSOLE:12] "text", source: ..." (older
    # versions: CONSOLE(12)); the page has no script, so any console line is an error
    console = [line for line in dom.stderr.splitlines() if re.search(r":CONSOLE[:(]\d+\)?\]", line)]
    assert console == []
    assert "ERR_" not in dom.stderr  # no network error: nothing is fetched
    assert " src=" not in dom.stdout  # no image, script or frame to fetch

    shot = tmp_path / "report-bloom.png"
    result = run(browser, page, tmp_path / "profile-shot", "--window-size=1100,2400", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.stat().st_size > 10_000, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    DOCS.mkdir(exist_ok=True)
    shutil.copyfile(shot, DOCS / "report-bloom.png")
