"""Benchmark: 100,000 synthetic portfolio lines matched against the full seed catalog.

Run: .venv/bin/python bench/matching.py
HTS codes come from the seed catalog's listed codes (extended to 10 digits where shorter, with
some 4- and 6-digit codes and some sibling codes); company names from FR Doc 2024-02902 (pressure
washers), the A-570-194 announcement and product names from the WTO I-TIP list. Prints the time
to build the index, the time to match (untraced), the peak memory of matching (tracemalloc, in a
second run) and the process's peak RSS.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.alerts.matching import ProductLine, build_catalog_index, match_products
from worker.catalog.seed import read_seed_catalog
from worker.storage.models import Case, CaseHts

COMPANIES = [
    "Jiangsu Jianghuai Engine Co., Ltd", "Sumec Hardware and Tools Co., Ltd",
    "Zhejiang Danau Machine Co., Ltd", "Chongqing Dajiang Power Equipment Co., Ltd",
    "Loncin Motor Co., Ltd", "Tesla (Shanghai) Co., Ltd.", "BTR New Material Group Co., Ltd.",
    "Resonac Corporation", "Panasonic Energy Mexico, S.A. de C.V.", "Unknown Trading Co.",
]  # fmt: skip
COUNTRIES = ["CN", "CN", "CN", "VN", "KR", "TW", "IN", "MX", "TR", "DE", "JP", "US"]


def main(n: int = 100_000) -> None:
    seed = read_seed_catalog()
    cases = [
        Case(
            **{
                k: v
                for k, v in c.items()
                if k in ("case_number", "case_type", "country", "product", "status", "source")
            }
        )
        for c in seed["cases"]
    ]
    hts_rows = [
        CaseHts(case_number=h["case_number"], hts=code, source=h["source"])
        for h in seed["hts"]
        for code in h["codes"]
    ]
    t0 = time.perf_counter()
    catalog = build_catalog_index(cases, hts_rows, [])
    build_s = time.perf_counter() - t0

    rng = random.Random(20240212)
    codes = sorted({row.hts for row in hts_rows})
    words = [c["product"] for c in seed["cases"]]
    products = []
    for i in range(n):
        code = rng.choice(codes)
        code = (code + "".join(rng.choice("0123456789") for _ in range(10 - len(code))))[:10]
        if i % 10 == 0:
            code = code[:6]
        elif i % 17 == 0:
            code = code[:4]
        products.append(
            ProductLine(
                sku=f"SKU-{i:06d}",
                hts=code,
                country=rng.choice(COUNTRIES),
                description=rng.choice(words) if i % 3 == 0 else "",
                producer=rng.choice(COMPANIES),
                exporter=rng.choice(COMPANIES),
            )
        )

    t0 = time.perf_counter()
    matches = match_products(products, catalog)
    match_s = time.perf_counter() - t0
    del matches
    # Memory in a second run: tracemalloc slows Python down several times, so not timed.
    tracemalloc.start()
    matches = match_products(products, catalog)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reached = len({m.product.sku for m in matches})
    print(f"catalog: {len(cases)} cases, {len(hts_rows)} HTS codes; index built in {build_s:.3f} s")
    print(f"{n} products -> {len(matches)} candidate matches ({reached} products reached)")
    print(f"match time: {match_s:.3f} s  (goal < 1 s)")
    print(f"peak memory while matching (tracemalloc): {peak / 1e6:.1f} MB  (goal < 300 MB)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (catalog, 100k products, matches, interpreter): {rss:.0f} MB")


if __name__ == "__main__":
    main()
