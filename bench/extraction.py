"""Extraction speed over every corpus notice, and field precision/recall on the labelled ones."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._labels import LABELS, set_of
from watchers.notice_xml import extract_notice_facts, read_issue_date, split_daily_issue
from watchers.records import NoticeFacts

# The daily issues' only AD/CVD notices (bench/labels/README.md); every other one is unrelated.
ADCVD_IN_DAILY_ISSUES = frozenset({"2016-08787", "2016-08229", "2016-08650", "2024-02902"})
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fr_xml"


def corpus() -> list[tuple[str, bytes, object]]:
    """(label, notice bytes, publication date) for every notice of the fixtures."""
    notices: list[tuple[str, bytes, object]] = []
    for path in sorted(FIXTURES.glob("*.xml")):
        data = path.read_bytes()
        if path.name.startswith("fr_daily_issue"):
            published = read_issue_date(data)
            notices += [(f"{path.name}:{n}", b, published) for n, b in split_daily_issue(data)]
        else:
            notices.append((path.name, data, LABELS.get(path.name, (None,))[0]))
    return notices


def observed(facts: NoticeFacts) -> dict[str, set[str]]:
    rates = set()
    for row in facts.rates:
        who = row.exporter if row.basis.value in ("company", "combination") else row.basis.value
        rates.add(f"{who}|{row.rate}")
    return {
        "cases": set(facts.case_numbers),
        "hts": set(facts.hts_codes),
        "rates": rates,
        "deadlines": {f"{d.kind}|{d.due}" for d in facts.deadlines},
    }


def main() -> None:
    notices = corpus()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for _, data, published in notices:  # warm caches (holiday tables, regexes)
        extract_notice_facts(data, publication_date=published)  # type: ignore[arg-type]
    rounds = 3
    start = time.perf_counter()
    for _ in range(rounds):
        for _, data, published in notices:
            extract_notice_facts(data, publication_date=published)  # type: ignore[arg-type]
    extract_s = (time.perf_counter() - start) / rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for _, data, _ in notices:
            etree.fromstring(data, parser)
    parse_s = (time.perf_counter() - start) / rounds
    rate = len(notices) / extract_s
    print(f"notices: {len(notices)}  extract: {rate:.0f} notices/s  "
          f"lxml parse only: {len(notices) / parse_s:.0f} notices/s  "
          f"extract/parse time ratio: {extract_s / parse_s:.1f}x")  # fmt: skip
    print(f"goal >= 100 notices/s: {'met' if rate >= 100 else 'NOT met'}")

    for set_name in ("tuning", "held_out"):
        report_set(set_name, [n for n in LABELS if set_of(n) == set_name])
    report_unrelated(notices)


def report_unrelated(notices: list[tuple[str, bytes, object]]) -> None:
    """Facts found in the daily issues' notices that are no AD/CVD notice (unseen text, all of
    it): any case number or rate row there is spurious; deadlines and HTS codes are counted."""
    found = {f: 0 for f in ("cases", "hts", "rates", "deadlines")}
    count = 0
    for label, data, published in notices:
        name, _, number = label.partition(":")
        if not number or number in ADCVD_IN_DAILY_ISSUES or "endash" in name:
            continue
        count += 1
        got = observed(extract_notice_facts(data, publication_date=published))  # type: ignore[arg-type]
        for field_name, values in got.items():
            found[field_name] += len(values)
    print(
        f"not AD/CVD (daily issues, unlabelled): {count} notices; facts found: "
        + ", ".join(f"{k} {v}" for k, v in found.items())
    )


def report_set(set_name: str, names: list[str]) -> None:
    """Print misses, then precision and recall per fact, over one set of labelled notices."""
    print(f"{set_name}: {len(names)} labelled notices")
    if not names:
        print("  no notices in this set: no figure (see bench/labels/README.md)")
        return
    totals = {f: [0, 0, 0] for f in ("cases", "hts", "rates", "deadlines")}  # tp, found, expected
    for name in names:
        published, expected = LABELS[name]
        got = observed(extract_notice_facts((FIXTURES / name).read_bytes(),
                                            publication_date=published))  # fmt: skip
        for field_name, want in expected.items():
            have = got[field_name]
            totals[field_name][0] += len(have & want)
            totals[field_name][1] += len(have)
            totals[field_name][2] += len(want)
            for miss in sorted(want - have):
                print(f"  missed   {name} {field_name}: {miss}")
            for extra in sorted(have - want):
                print(f"  spurious {name} {field_name}: {extra}")
    for field_name, (tp, found, want) in totals.items():
        precision = tp / found if found else 1.0
        recall = tp / want if want else 1.0
        print(f"  {field_name:10s} precision {precision:.3f}  recall {recall:.3f}  "
              f"({tp}/{found}/{want})")  # fmt: skip


if __name__ == "__main__":
    main()
