"""Interest under 19 U.S.C. 1677g at the quarterly 26 U.S.C. 6621 rates, compounded daily, checked by hand.

Rates used below, from CBP's quarterly notices (worker/data/irs_interest_rates.source.txt):
2024-Q4 underpayment 8, corporate overpayment 7, non-corporate 8 (FR Doc 2024-21785, 89 FR 77879);
2025-Q1 underpayment 7, corporate overpayment 6, non-corporate 7 (FR Doc 2025-02228, 90 FR 9036).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from worker.rules.interest import (
    InterestRateTable,
    bundled_interest_rates,
    compute_interest,
    parse_interest_rate_table,
)

D = Decimal
HEADER = "quarter_start,quarter_end,underpayment_pct,overpayment_pct,corporate_overpayment_pct,source\n"


def test_owed_interest_across_a_rate_change_and_a_leap_year_to_the_cent() -> None:
    # Entered value 100,000.00; deposit 25.00% = 25,000.00; final 31.46% = 31,460.00;
    # difference 6,460.00 owed. Interest from the deposit (2024-11-15) to 2025-02-20:
    #   2024-11-15 .. 2024-12-31: 16 + 31 = 47 days at 8% / 366 (2024 is a leap year)
    #     6,460.00 x (1 + 0.08/366)^47 = 6,526.6998 -> 66.6998 accrued
    #   2025-01-01 .. 2025-02-19: 31 + 19 = 50 days at 7% / 365, on the compounded balance
    #     6,526.6998 x ((1 + 0.07/365)^50 - 1) = 62.8797
    #   total 129.5795 -> 129.58 (half up). Simple interest would give 66.37 + 61.95 = 128.31.
    result = compute_interest(
        D("6460.00"),
        direction="underpayment",
        start=date(2024, 11, 15),
        end=date(2025, 2, 20),
        rates=bundled_interest_rates(),
    )
    assert result.interest_usd == D("129.58")
    assert [(s.start, s.days, s.rate_pct, s.days_in_year) for s in result.segments] == [
        (date(2024, 11, 15), 47, D("8"), 366),
        (date(2025, 1, 1), 50, D("7"), 365),
    ]
    assert [s.source.split(" (")[0] for s in result.segments] == ["FR Doc 2024-21785", "FR Doc 2025-02228"]
    assert (
        result.segments[0].balance_before + result.segments[0].interest == result.segments[1].balance_before
    )
    assert "1677g" in result.rule and "underpayment rate" in result.rule and "compounded daily" in result.rule
    assert not result.assumed


def test_a_refund_earns_the_overpayment_rate_corporate_by_default() -> None:
    # 2,500.00 refunded, same days: corporate 7% (2024-Q4) then 6% (2025-Q1):
    #   2,500 x ((1 + 0.07/366)^47 x (1 + 0.06/365)^50 - 1) = 43.389 -> 43.39
    # non-corporate 8% then 7%: 2,500 x ((1 + 0.08/366)^47 x (1 + 0.07/365)^50 - 1) = 50.147 -> 50.15
    rates = bundled_interest_rates()
    span = {"start": date(2024, 11, 15), "end": date(2025, 2, 20), "rates": rates}
    corporate = compute_interest(D("2500.00"), direction="overpayment", **span)  # type: ignore[arg-type]
    person = compute_interest(D("2500.00"), direction="overpayment", corporate=False, **span)  # type: ignore[arg-type]
    assert (corporate.interest_usd, person.interest_usd) == (D("43.39"), D("50.15"))
    assert "corporate overpayment rate" in corporate.rule
    assert "non-corporate overpayment rate" in person.rule


def test_no_days_no_interest() -> None:
    rates = bundled_interest_rates()
    same_day = compute_interest(
        D("100.00"), direction="underpayment", start=date(2025, 3, 3), end=date(2025, 3, 3), rates=rates
    )
    assert same_day.interest_usd == D("0.00") and same_day.segments == ()


def test_one_day_is_the_daily_rate() -> None:
    # 365,000.00 for one day at 7% / 365 = 70.00 exactly.
    result = compute_interest(
        D("365000.00"),
        direction="underpayment",
        start=date(2025, 3, 3),
        end=date(2025, 3, 4),
        rates=bundled_interest_rates(),
    )
    assert result.interest_usd == D("70.00")


def test_the_bundled_table_covers_every_quarter_from_2015_without_gaps() -> None:
    table = bundled_interest_rates()
    assert table.first_day == date(2015, 1, 1)
    assert table.last_day >= date(2026, 3, 31)
    assert len(table.quarters) == (table.last_day.year - 2015) * 4 + (table.last_day.month // 3)
    # Spot checks against the notices (cumulative table of FR Doc 2024-21785).
    checks = {
        date(2015, 2, 1): ("3", "3", "2"),
        date(2016, 4, 1): ("4", "4", "3"),
        date(2019, 1, 15): ("6", "6", "5"),
        date(2020, 7, 1): ("3", "3", "2"),
        date(2022, 12, 31): ("6", "6", "5"),
        date(2023, 10, 1): ("8", "8", "7"),
        date(2026, 1, 22): ("7", "7", "6"),
    }
    for day, (under, over, corporate) in checks.items():
        row = table.quarter_of(day)
        assert row is not None
        assert (row.underpayment_pct, row.overpayment_pct, row.corporate_overpayment_pct) == (
            D(under),
            D(over),
            D(corporate),
        ), day
    assert all(row.source for row in table.quarters)


def test_days_past_the_table_carry_the_last_rate_marked_assumed() -> None:
    table = parse_interest_rate_table(HEADER + "2025-01-01,2025-03-31,7,7,6,FR Doc 2025-02228\n")
    # 1,000.00 from 2025-03-30 to 2025-04-02: 2 days in the table, 1 day past it, all 7% / 365.
    result = compute_interest(
        D("1000.00"), direction="underpayment", start=date(2025, 3, 30), end=date(2025, 4, 2), rates=table
    )
    assert [(s.days, s.assumed) for s in result.segments] == [(2, False), (1, True)]
    assert result.assumed
    assert "no published rate after 2025-03-31" in result.notes[0]
    # 1,000 x ((1 + 0.07/365)^3 - 1) = 0.5755 -> 0.58
    assert result.interest_usd == D("0.58")


def test_a_day_before_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="no interest rate before 2015-01-01"):
        compute_interest(
            D("1.00"),
            direction="underpayment",
            start=date(2014, 12, 31),
            end=date(2015, 1, 2),
            rates=bundled_interest_rates(),
        )


def test_a_bad_direction_or_a_negative_principal_is_refused() -> None:
    rates = bundled_interest_rates()
    span = {"start": date(2025, 1, 1), "end": date(2025, 2, 1), "rates": rates}
    with pytest.raises(ValueError, match="unknown interest direction 'refund'"):
        compute_interest(D("1.00"), direction="refund", **span)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive amount"):
        compute_interest(D("-1.00"), direction="overpayment", **span)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "2025-01-01,2025-03-31,7,7,six,FR Doc X\n",
            "line 2: corporate_overpayment_pct: not a number: 'six'",
        ),
        ("2025-01-01,2025-03-31,7,7,6,\n", "line 2: source: empty"),
        ("2025-13-01,2025-03-31,7,7,6,FR Doc X\n", "line 2: quarter_start: not an ISO date"),
        ("2025-01-01,2025-03-31,7,7,-6,FR Doc X\n", "line 2: corporate_overpayment_pct: not a rate"),
        (
            "2025-01-01,2025-03-31,7,7,6,FR Doc X\n2025-07-01,2025-09-30,7,7,6,FR Doc Y\n",
            "skips from 2025-03-31 to 2025-07-01",
        ),
        ("2025-02-01,2025-04-30,7,7,6,FR Doc X\n", "is not one calendar quarter"),
        ("2025-01-01,2025-03-31,7,7\n", "line 2: fewer fields"),
    ],
)
def test_a_bad_rate_table_is_refused_with_the_line_and_field(body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_interest_rate_table(HEADER + body)


def test_a_table_without_a_column_is_refused() -> None:
    with pytest.raises(ValueError, match="line 1: the interest-rate table lacks the column"):
        parse_interest_rate_table("quarter_start,quarter_end\n2025-01-01,2025-03-31\n")
    with pytest.raises(ValueError, match="no quarter"):
        InterestRateTable(quarters=())
