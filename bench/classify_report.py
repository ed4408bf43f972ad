"""Print the count of each notice kind over the recorded FR titles, with sample titles per kind."""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

from watchers.classify import classify_notice
from watchers.records import NoticeKind

CORPUS = (
    Path(__file__).resolve().parent.parent
    / "tests/fixtures/titles/fr_adcvd_titles_abstracts_2020_2026_from_deepseek_news.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, default=CORPUS)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1, help="which samples to draw")
    parser.add_argument("--kind", help="print every title of this kind instead")
    args = parser.parse_args()

    with args.csv.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counts: Counter[str] = Counter()
    titles: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        result = classify_notice(
            title=row["title"],
            abstract=row.get("abstract") or None,
            document_number=row["document_number"],
        )
        counts[result.kind.value] += 1
        flags = f"{result.agency.value} {'/'.join(result.case_types) or '-'}"
        flags += " corr" if result.is_correction else ""
        flags += f" revokes={result.revokes.value}" if result.revokes.value != "none" else ""
        titles[result.kind.value].append(f"[{flags}] {row['document_number']} {row['title']}")

    if args.kind:
        for line in titles[args.kind]:
            print(line)
        return
    print(f"{len(rows)} notices")
    rng = random.Random(args.seed)
    for kind in NoticeKind:
        print(f"\n{kind.value}: {counts[kind.value]}")
        pool = titles[kind.value]
        for line in rng.sample(pool, min(args.samples, len(pool))):
            print(f"    {line[:230]}")


if __name__ == "__main__":
    main()
