"""Render a report document as one self-contained HTML page.

Figures are inline SVG with their text alternative, the style sheet is inline, there is
no script; the only addresses in the page are citation links (``<a class="citation">``),
so the file opens anywhere without a network. Every number cell keeps its exact value in
``data-value`` (and its coverage in ``data-coverage``), which tests and scripts read back.
Long parts (the exchanges, the contribution charts of the second and later indicators)
are folded in ``<details>``. The layout fits a phone (390 px) as well as a desktop: wide
tables scroll inside their own box, never the page.

Written with :mod:`string.Template` and :func:`html.escape`: the page is small and fixed,
a template engine would not earn its place.
"""

from __future__ import annotations

import html
from string import Template

from lca.plot import to_svg
from lca.report.document import (
    Block,
    Document,
    Figure,
    Items,
    Link,
    Paragraph,
    Section,
    Table,
    Tree,
    Value,
    cell_text,
    header_text,
)

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lca">
<title>$title</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
       max-width: 1040px; margin: 1.5em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; } .subtitle { color: #555; margin-top: 0; }
h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { margin-top: 1.2em; color: #333; }
p, li, dd, td, th, summary, figcaption { overflow-wrap: break-word; }
nav ol { columns: 2; font-size: 0.95em; margin: 0.4em 0; }
.table { overflow-x: auto; margin: 0.6em 0 1em; }
table { border-collapse: collapse; font-size: 0.88em; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { border: 1px solid #d0d0d0; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #eef3f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num span { white-space: nowrap; } td.num .band { color: #444; font-size: 0.92em; }
td.na { color: #666; text-align: right; }
tr.total td { font-weight: 600; background: #f7f7f7; }
p.table-note { font-size: 0.85em; color: #444; margin: -0.6em 0 1em; }
dl { display: grid; grid-template-columns: minmax(10em, 30%) 1fr; gap: 0.3em 1em; }
dt { font-weight: 600; } dd { margin: 0; }
ol.card li { margin-bottom: 0.5em; } ol.card .q { font-weight: 600; display: block; }
.note { background: #fff8e1; border-left: 4px solid #E69F00; padding: 0.4em 0.8em; }
.tree { font-family: ui-monospace, monospace; font-size: 0.85em; background: #f6f8fa; padding: 0.6em; }
.tree div { white-space: pre-wrap; }
figure { margin: 0.8em 0; } figure svg { width: 100%; max-width: 700px; height: auto; display: block; }
figcaption { font-size: 0.9em; color: #555; }
details { margin: 0.6em 0; } summary { cursor: pointer; color: #0b5394; }
section#equivalences { border: 1px dashed #999; padding: 0 1em 1em; margin-top: 2em; }
p.citation { font-size: 0.9em; color: #444; }
@media (max-width: 600px) {
  body { padding: 0 0.7em; } nav ol { columns: 1; }
  dl { display: block; } dd { margin: 0 0 0.5em; }
  table { font-size: 0.8em; } th, td { padding: 0.25em 0.35em; }
  td.num .band { white-space: normal; display: block; }
}
</style>
</head>
<body>
<header>
<h1>$title</h1>
<p class="subtitle">$subtitle</p>
</header>
<nav><ol>
$toc
</ol></nav>
<main>
$body
</main>
</body>
</html>
"""
)


def render_html(document: Document) -> str:
    """The whole page as text."""
    toc = "\n".join(f'<li><a href="#{_e(s.key)}">{_e(s.title)}</a></li>' for s in document.sections)
    body = "\n".join(_section(s, 2) for s in document.sections)
    return _PAGE.substitute(title=_e(document.title), subtitle=_e(document.subtitle), toc=toc, body=body)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _section(section: Section, level: int) -> str:
    parts = [f'<section id="{_e(section.key)}">', f"<h{level}>{_e(section.title)}</h{level}>"]
    parts.extend(_block(b) for b in section.blocks if not isinstance(b, Link))
    parts.extend(_section(s, level + 1) for s in section.subsections)
    parts.extend(_block(b) for b in section.blocks if isinstance(b, Link))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'<p class="note">{_e(block.text)}</p>' if block.note else f"<p>{_e(block.text)}</p>"
    if isinstance(block, Items):
        if block.numbered:
            items = "".join(f'<li><span class="q">{_e(k)}</span>{_e(v)}</li>' for k, v in block.pairs)
            return f'<ol class="card">{items}</ol>'
        if all(not k for k, _ in block.pairs):
            return "<ul>" + "".join(f"<li>{_e(v)}</li>" for _, v in block.pairs) + "</ul>"
        return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in block.pairs) + "</dl>"
    if isinstance(block, Table):
        return _folded(_table(block), f"{block.caption} ({len(block.rows)} rows)", block.collapsed)
    if isinstance(block, Figure):
        svg = to_svg(block.draw(), salt=block.caption, alt=block.alt or block.caption)
        figure = f"<figure>{svg}<figcaption>{_e(block.caption)}</figcaption></figure>"
        return _folded(figure, block.summary or block.caption, block.collapsed)
    if isinstance(block, Tree):
        lines = "".join(
            f"<div>{'    ' * depth}{'└ ' if depth else ''}{_e(text)}</div>" for depth, text in block.lines
        )
        return f'<figure><figcaption>{_e(block.caption)}</figcaption><div class="tree">{lines}</div></figure>'
    if isinstance(block, Link):
        url = _e(block.url)
        return f'<p class="citation">{_e(block.text)} <a class="citation" href="{url}">{url}</a></p>'
    raise TypeError(f"no HTML rendering for {type(block).__name__}")


def _folded(content: str, summary: str, collapsed: bool) -> str:
    return f"<details><summary>{_e(summary)}</summary>{content}</details>" if collapsed else content


def _table(table: Table) -> str:
    if not table.in_page:
        return ""
    head = "".join(f'<th scope="col">{_e(header_text(c))}</th>' for c in table.columns)
    rows = []
    for row in table.rows:
        css = ' class="total"' if row and row[0] == "total" else ""
        rows.append(f"<tr{css}>{''.join(_cell(c) for c in row)}</tr>")
    body = "\n".join(rows) or f'<tr><td colspan="{len(table.columns)}">none</td></tr>'
    notes = "".join(f'<p class="table-note">{_e(n)}</p>' for n in table.notes)
    return (
        f'<div class="table"><table id="table-{_e(table.key)}"><caption>{_e(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>{notes}"
    )


def _cell(cell) -> str:
    if isinstance(cell, Value):
        attrs = f' data-value="{cell.value!r}"'
        if cell.low is not None:
            attrs += f' data-low="{cell.low!r}" data-high="{cell.high!r}"'
        if not cell.available:
            return f'<td class="na"{attrs} data-coverage="none">{_e(cell.text)}</td>'
        if cell.bound == "lower":
            attrs += ' data-coverage="partial"'
        text = cell.text
        if cell.low is not None and " [" in text:
            value, band = text.split(" [", 1)
            inner = f'<span>{_e(value)}</span> <span class="band">[{_e(band)}</span>'
        else:
            inner = f"<span>{_e(text)}</span>"
        return f'<td class="num"{attrs}>{inner}</td>'
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return f'<td class="num" data-value="{float(cell)!r}">{_e(cell_text(cell))}</td>'
    return f"<td>{_e(cell_text(cell))}</td>"
