"""Device names as CodeCarbon writes them, matched to entries of the hardware dataset.

CodeCarbon records ``gpu_model`` as NVML names counted (``"8 x NVIDIA H100 80GB HBM3"``) and
``cpu_model`` as the processor's brand string (``"AMD EPYC 7763 64-Core Processor"``). A
name designates an entry when every word of the entry's name is one of its words; a name
that designates none, or several, is refused with the closest entries, never guessed.
"""

from __future__ import annotations

import re

from lca.data import catalogue
from lca.data.records import Entry
from lca.errors import DataNotFound


def gpu_models(text: str, count: int) -> list[tuple[str, int]]:
    """CodeCarbon's ``gpu_model`` (``"8 x NVIDIA H100 80GB HBM3"``) as (model, count) pairs.

    >>> gpu_models("4 x NVIDIA A100-SXM4-80GB", 4)
    [('NVIDIA A100-SXM4-80GB', 4)]
    >>> gpu_models("2 x Tesla T41 x NVIDIA L4", 3)   # CodeCarbon joins types without a separator
    [('Tesla T4', 2), ('NVIDIA L4', 1)]
    """
    text = text.strip()
    if not text:
        return []
    pairs = [(model.strip(), int(n)) for n, model in re.findall(r"(\d+) x (.+?)(?=\d x |$)", text)]
    if not pairs or (count and sum(n for _, n in pairs) != count):
        return [(text, max(count, 1))]  # not CodeCarbon's form: matched (or refused) as a whole
    return pairs


def match_hardware(text: str, kind: str) -> Entry:
    """The hardware entry of ``kind`` (``gpu``, ``cpu``) that a device name designates.

    An entry matches when every word of its name is a word of ``text`` (case and
    punctuation aside): ``A100-80GB`` matches ``NVIDIA A100-SXM4-80GB``; the most specific
    match wins. Literature proxies (``*-bloom``) are never matched.

    >>> match_hardware("NVIDIA H100 80GB HBM3", "gpu").name
    'H100'
    >>> match_hardware("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "cpu").name
    'Xeon-Platinum-8380'
    >>> match_hardware("AMD EPYC", "cpu")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lca.errors.DataNotFound: 'AMD EPYC' matches no cpu entry ...; did you mean 'EPYC-7763'? name the entry ...
    """
    words = set(_words(text))
    entries = [
        e
        for e in catalogue().entries["hardware"].values()
        if e.attributes.get("kind") == kind and not e.name.endswith("-bloom")
    ]
    hits = [e for e in entries if set(_words(e.name)) <= words]
    best = max((len(_words(e.name)) for e in hits), default=0)
    hits = [e for e in hits if len(_words(e.name)) == best]
    if len(hits) == 1:
        return hits[0]
    fix = f"name the entry (hardware: {{{kind}: NAME}}, or --{kind} NAME), or leave it out ({kind}: none)"
    if hits:
        raise DataNotFound(
            f"'{text}' matches several {kind} entries ({', '.join(e.name for e in hits)}); {fix}"
        )
    near = [e.name for e in entries if words & set(_words(e.name))]
    hint = f"; did you mean {' or '.join(repr(n) for n in near[:3])}?" if near else ""
    raise DataNotFound(f"'{text}' matches no {kind} entry of the hardware dataset{hint} {fix}")


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.casefold()) if w]
