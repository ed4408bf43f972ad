"""Benchmark: 20,000 synthetic entries of A-570-148 assessed against constructed results, with interest.

Run: .venv/bin/python -m bench.assessment
Entries are spread over the order's first two review periods (2023-08-03 .. 2026-01-31) with
entered values from 500 to 250,000 USD, half by Sumec (named in the constructed results), a quarter
by an importer with its own rate, a quarter by companies the results do not name. Interest runs to
the deemed-liquidation date of results published 2026-03-02 (about 2 to 3 years, 9 to 13 quarters).
Prints the time to choose the rates, to assess (with daily-compounded interest) and to total.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.rules.assessment import (
    EntryLine,
    EntryParty,
    ImporterRate,
    ResultsNotice,
    assess_entry,
    choose_assessment_rate,
    total_assessments,
)
from worker.rules.cascade import RateOption
from worker.rules.interest import bundled_interest_rates
from worker.rules.liquidation import liquidation_outlook
from worker.rules.review_period import OrderDates

CASE = "A-570-148"
SUMEC = "Sumec Hardware and Tools Co., Ltd"
ORDER = OrderDates(CASE, date(2023, 8, 3), date(2024, 2, 12), date(2024, 1, 29), date(2024, 2, 9))
FINAL = ResultsNotice(
    "CONSTRUCTED-FINAL-1",
    CASE,
    "final",
    date(2026, 3, 2),
    company_rates=(
        RateOption(CASE, SUMEC, SUMEC, Decimal("185.12"), None, "combination", None, "CONSTRUCTED-FINAL-1"),
        RateOption(CASE, "", "", Decimal("263.83"), None, "country_wide", None, "CONSTRUCTED-FINAL-1"),
    ),
    importer_rates=(ImporterRate("Acme Outdoor Inc.", SUMEC, Decimal("120.00")),),
)
PARTIES = [
    EntryParty("Beta Tools LLC", SUMEC, SUMEC, "CN"),
    EntryParty("Beta Tools LLC", "Sumec Hardware & Tools Co Ltd", SUMEC, "CN"),
    EntryParty("Acme Outdoor Inc.", SUMEC, SUMEC, "CN"),
    EntryParty("Gamma Imports", "Ningbo Unlisted Machinery Co., Ltd", None, "CN"),
]


def main(n: int = 20_000) -> None:
    rng = random.Random(20240212)
    first, days = date(2024, 2, 12), (date(2026, 1, 31) - date(2024, 2, 12)).days
    lines = []
    for i in range(n):
        value = Decimal(rng.randint(20_000, 25_000_000)) / 100
        deposit = (value * Decimal("169.34") / 100).quantize(Decimal("0.01"))
        entry = EntryLine(
            f"BEN-{i:07d}-0", first + timedelta(days=rng.randrange(days)), value, Decimal("169.34"), deposit
        )
        lines.append((PARTIES[i % len(PARTIES)], entry))
    until = liquidation_outlook(FINAL.published).interest_until
    assert until is not None
    rates_table = bundled_interest_rates()

    t0 = time.perf_counter()
    rates = [choose_assessment_rate(party, entry, [FINAL], threshold=90) for party, entry in lines]
    choose_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    bills = [
        assess_entry(entry, rate, interest_until=until, interest_rates=rates_table, order=ORDER)
        for (_, entry), rate in zip(lines, rates, strict=True)
    ]
    assess_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    totals = total_assessments(bills)
    total_s = time.perf_counter() - t0
    segments = sum(len(b.interest.segments) for b in bills if b.interest is not None)
    print(f"entries: {n:,}  interest segments: {segments:,}  interest until {until}")
    print(f"choose rates: {choose_s:.2f} s ({n / choose_s:,.0f} entries/s)")
    print(f"assess with interest: {assess_s:.2f} s ({n / assess_s:,.0f} entries/s)")
    print(
        f"totals: {total_s * 1000:.1f} ms; net {totals.net_usd:,} USD "
        f"(owed {totals.owed_usd:,}, refund {totals.refund_usd:,})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
