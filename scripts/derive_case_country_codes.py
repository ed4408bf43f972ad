"""Derive the Commerce case-number country codes from the real case lists and check the module.

Run: .venv/bin/python scripts/derive_case_country_codes.py
Prints the derived mapping, every row that disagrees with its code's majority country, and
whether worker.rules.countries.CASE_COUNTRY_CODES matches the derivation. A code takes the country
named by most rows of all three lists, kept when it has at least twice the votes of the next.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.rules.countries import CASE_COUNTRY_CODES, normalize_country

SOURCES = Path(__file__).resolve().parent / "seed_sources"
TEST_CODES = {"000", "022", "111", "123"}  # ACCESS test cases ("Test From Bangladesh", ...)
CASE = re.compile(r"^([AC])-+(\d{3})-(\d{3})$")


def rows() -> list[tuple[str, str, str, str]]:
    """(source, case number, code, country name) for every usable row of the three lists."""
    out: list[tuple[str, str, str, str]] = []
    with (SOURCES / "ita_access_case_list_2020.csv").open(encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            title = r["Case Title"]
            if " From " in title:
                out.append(("access", r["Case Number"].strip(), "", title.rsplit(" From ", 1)[1]))
    lists = (
        ("us_adcvd_orders_list_itc_style_2020.csv", "DOCNo", "Country"),
        ("usitc_adcvd_orders_in_place_edis.csv", "DOC case No.", "Country"),
    )
    for name, number_col, country_col in lists:
        with (SOURCES / name).open(encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                country = (r[country_col] or "").strip() or (r.get("Column2") or "").strip()
                out.append((name[:5], r[number_col].strip().replace("\u2013", "-"), "", country))
    result = []
    for source, number, _, country in out:
        m = CASE.match(number)
        if m is None or m.group(2) in TEST_CODES or not country:
            continue
        result.append((source, number, m.group(2), re.sub(r"\s*\(.*\)\s*$", "", country)))
    return result


def main() -> int:
    votes: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for source, _number, code, country in rows():
        votes[code][source][normalize_country(country)] += 1
    derived: dict[str, str] = {}
    for code, by_source in sorted(votes.items()):
        total: Counter[str] = Counter()
        for counter in by_source.values():
            total.update(counter)
        ranked = total.most_common(2)
        iso, top = ranked[0]
        if len(ranked) > 1 and top < 2 * ranked[1][1]:
            print(f"code {code}: no clear majority, left out: {dict(by_source)}")
            continue
        derived[code] = iso
    for source, number, code, country in rows():
        if code in derived and normalize_country(country) != derived[code]:
            print(f"exception: {source} {number} says {country}, code {code} is {derived[code]}")
    print(derived)
    if derived != CASE_COUNTRY_CODES:
        print("MISMATCH with worker.rules.countries.CASE_COUNTRY_CODES:")
        for code in sorted(set(derived) | set(CASE_COUNTRY_CODES)):
            if derived.get(code) != CASE_COUNTRY_CODES.get(code):
                print(f"  {code}: derived {derived.get(code)} module {CASE_COUNTRY_CODES.get(code)}")
        return 1
    print(f"worker.rules.countries.CASE_COUNTRY_CODES matches the derivation ({len(derived)} codes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
