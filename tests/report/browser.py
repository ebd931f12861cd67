"""Headless Chromium for the report tests and the screenshot script (docs/screenshots.py).

Headless Chromium will not open a window narrower than 500 px, so a page is loaded into
an ``<iframe srcdoc>`` of the width to test (390 px: a phone) inside a small wrapper page.
The wrapper's script reads the frame's layout once it has loaded (``scrollWidth``, the
page height, every section's height and the box of every chart label) and writes it as
JSON into the wrapper's DOM, which ``--dump-dom`` prints. The report itself has no
script: only the wrapper has one.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--enable-logging=stderr",
    "--v=0",
]
#: Headless Chromium's narrowest window.
MIN_WINDOW = 500

#: Chart labels are matplotlib's text groups (``<g id="text_N">``, drawn as paths).
_MEASURE = """
function lcaBox(e, d) { var r = e.getBoundingClientRect(), w = d.defaultView;
  return [r.left + w.scrollX, r.top + w.scrollY, r.right + w.scrollX, r.bottom + w.scrollY]; }
function lcaMeasure(frame) {
  var d = frame.contentDocument, root = d.documentElement, figures = [], wide = [], sections = {};
  d.querySelectorAll("figure").forEach(function (f, k) {
    var labels = [];
    f.querySelectorAll("svg g[id^='text_']").forEach(function (g) {
      if (g.parentElement.closest("g[id^='text_']")) return;
      var b = lcaBox(g, d); if (b[2] - b[0] > 0 && b[3] - b[1] > 0) labels.push({id: g.id, box: b});
    });
    var svg = f.querySelector("svg, img");
    figures.push({index: k, caption: (f.querySelector("figcaption") || {}).textContent || "",
                  alt: f.getAttribute("aria-label") || "", labels: labels,
                  svg: svg ? lcaBox(svg, d) : null, box: lcaBox(f, d)});
  });
  d.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > root.clientWidth + 1) wide.push(e.tagName + "#" + e.id);
  });
  d.querySelectorAll("main > section").forEach(function (s) {
    sections[s.id] = Math.round(s.getBoundingClientRect().height); });
  var out = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, height: root.scrollHeight,
             figures: figures, overflowing: wide.slice(0, 20), sections: sections};
  var pre = document.createElement("pre"); pre.id = "lca-measure";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
}
function lcaShow(frame, anchor) {
  var d = frame.contentDocument;
  frame.style.height = d.documentElement.scrollHeight + "px";
  var target = anchor ? d.getElementById(anchor) : null;
  if (target) frame.style.marginTop = -Math.round(target.getBoundingClientRect().top) + "px";
}
"""


def chromium() -> str | None:
    """The Chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(browser: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the browser once on ``page`` (a fresh profile each time)."""
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _wrapper(page: Path, width: int, onload: str) -> str:
    text = page.read_text(encoding="utf-8")
    base = f'<base href="{page.parent.as_uri()}/">'  # a Markdown report's figures load beside it
    text = text.replace("<head>", "<head>" + base, 1) if "<head>" in text else base + text
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><script>{_MEASURE}</script></head>"
        f'<body style="margin:0"><iframe onload="{html.escape(onload)}" '
        f'style="border:0;display:block;width:{width}px;height:900px" '
        f'srcdoc="{html.escape(text, quote=True)}"></iframe></body></html>'
    )


def measure(browser: str, page: Path, width: int, work: Path) -> dict:
    """Layout of ``page`` at ``width`` CSS pixels: widths, height, section heights, labels."""
    wrapper = work / f"measure-{width}-{page.stem}.html"
    wrapper.write_text(_wrapper(page, width, "lcaMeasure(this)"), encoding="utf-8")
    window = f"--window-size={max(width, MIN_WINDOW)},900"
    done = run(browser, wrapper, work / f"profile-{width}-{page.stem}", window, "--dump-dom")
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    found = re.search(r'<pre id="lca-measure">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise RuntimeError("the measuring script did not run:\n" + done.stderr[-2000:])
    data = json.loads(html.unescape(found.group(1)))
    data["stderr"] = done.stderr
    return data


def overlaps(labels: list[dict], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of chart labels whose boxes intersect by more than ``tolerance`` px each way."""
    found = []
    for k, a in enumerate(labels):
        for b in labels[k + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            if min(ax1, bx1) - max(ax0, bx0) > tolerance and min(ay1, by1) - max(ay0, by0) > tolerance:
                found.append((a["id"], b["id"]))
    return found


def screenshot(
    browser: str, page: Path, out: Path, width: int, height: int, work: Path, anchor: str = ""
) -> Path:
    """A PNG of ``height`` px of ``page`` at ``width`` px, from its top or from ``anchor``."""
    wrapper = work / f"shot-{width}-{page.stem}.html"
    wrapper.write_text(_wrapper(page, width, f"lcaShow(this, '{anchor}')"), encoding="utf-8")
    window = f"--window-size={max(width, MIN_WINDOW)},{height}"
    done = run(browser, wrapper, work / f"profile-shot-{width}-{page.stem}", window, f"--screenshot={out}")
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(done.stderr[-2000:])
    if width < MIN_WINDOW:  # the window was wider than the frame: keep the frame
        import matplotlib.image as image

        pixels = image.imread(out)
        image.imsave(out, pixels[:, :width])
    return out
