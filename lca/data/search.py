"""Finding dataset entries by what they are: ``lca data search`` and "did you mean" by description.

An entry matches a search when every word of the text appears in its name, description,
unit, method or text attributes (case-insensitive). An unknown entry name that a
description or an attribute names (``grid/Germany``, ``grid/DEU``) is answered with the
entries so described (``DE``): the shipped files say which country each grid mix is,
so no separate table of country names is needed.

Examples
--------
>>> from lca.data import catalogue
>>> [e.ref for e in search("germany grid")]
['grid/DE']
>>> described_as("Germany", catalogue().entries["grid"])
"; did you mean 'DE' (electricity, Germany grid mix (consumption, average))?"
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lca.data.records import Entry

#: At most this many entries are suggested for one name.
MAX_SUGGESTIONS = 3


def search(text: str, category: str | None = None) -> list[Entry]:
    """Entries whose name, description, unit, method or attributes hold every word of ``text``."""
    from lca.data import catalogue

    words = [w.casefold() for w in str(text).split()]
    tables = catalogue().entries
    categories = [category] if category else list(tables)
    return [
        entry
        for cat in categories
        for entry in tables.get(cat, {}).values()
        if words and all(w in _haystack(entry) for w in words)
    ]


def search_text(text: str, category: str | None = None) -> str:
    """One line per matching entry: ``category/name  unit  description``; '' when none."""
    hits = search(text, category)
    width = max([len(e.ref) for e in hits] + [0])
    return "\n".join(f"{e.ref:<{width}}  {e.unit or '-':<6} {e.description}" for e in hits)


def described_as(name: str, table: Mapping[str, Entry]) -> str:
    """A "did you mean" for an unknown ``name`` that entries' descriptions or attributes give.

    ``Germany`` -> ``DE`` (its description says "Germany"), ``DEU`` -> ``DE`` (its
    ``region`` attribute); '' when no entry is described so.
    """
    key = str(name).casefold().strip()
    if not key:
        return ""
    word = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
    hits = [
        e
        for e in table.values()
        if any(v.casefold() == key for v in e.attributes.values()) or word.search(e.description.casefold())
    ]
    if not hits or len(hits) > MAX_SUGGESTIONS:
        return ""
    return "; did you mean " + " or ".join(f"'{e.name}' ({e.description})" for e in hits) + "?"


def _haystack(entry: Entry) -> str:
    parts = [entry.ref, entry.description, entry.unit, entry.method, *entry.attributes.values()]
    return " ".join(parts).casefold()


__all__ = ["described_as", "search", "search_text"]
