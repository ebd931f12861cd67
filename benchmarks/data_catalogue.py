"""Time to load the reference datasets and to resolve dataset references.

Run: ``python benchmarks/data_catalogue.py``. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import time

import lca
from lca.data.catalogue import load_catalogue


def main() -> None:
    start = time.perf_counter()
    catalogue = load_catalogue([])
    load_s = time.perf_counter() - start
    n = len(catalogue.names())
    refs = catalogue.names("grid") + catalogue.names("hardware")
    start = time.perf_counter()
    for _ in range(100):
        for ref in refs:
            catalogue.lookup(ref)
    lookup_us = (time.perf_counter() - start) / (100 * len(refs)) * 1e6
    lca.bloom()  # warm the cached catalogue
    start = time.perf_counter()
    for _ in range(20):
        lca.bloom()
    bloom_ms = (time.perf_counter() - start) / 20 * 1e3
    print(f"datasets {catalogue.version}: {n} entries loaded in {load_s * 1e3:.1f} ms")
    print(f"lookup by category/name: {lookup_us:.1f} us per entry")
    print(f"BLOOM case load (4 dataset references, catalogue cached): {bloom_ms:.1f} ms")


if __name__ == "__main__":
    main()
