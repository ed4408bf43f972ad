"""Review periods of a real order (19 CFR 351.213(e)): gas powered pressure washers from China.

Dates from FR Doc 2024-02902 (89 FR 9834, the AD and CVD orders, published February 12, 2024;
tests/fixtures/fr_api/2024-02902.xml): AD preliminary determination published August 3, 2023
(88 FR 51279); AD provisional measures' final day January 29, 2024; CVD preliminary determination
June 5, 2023 (88 FR 36531), CVD gap from October 2, 2023 ("on or after October 2, 2023, the date on
which the provisional measures expired", so October 1 was their last day). The ITC's final
determinations were published February 9, 2024 (FR Doc 2024-02627), the day suspension resumed.
Anniversary month: February.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.fixtures import fixture
from worker.rules.review_period import (
    RULE_AD,
    RULE_AD_FIRST,
    RULE_BEFORE_SUSPENSION,
    RULE_CVD,
    RULE_CVD_FIRST,
    RULE_GAP,
    OrderDates,
    ReviewPeriod,
    not_subject_reason,
    review_period_for,
    review_periods,
)

FIXTURE = fixture("fr_api", "2024-02902.xml")
AD = OrderDates(
    case_number="A-570-148",
    suspension_date=date(2023, 8, 3),
    order_published=date(2024, 2, 12),
    provisional_end=date(2024, 1, 29),
    itc_final_published=date(2024, 2, 9),
)
CVD = OrderDates(
    case_number="C-570-149",
    suspension_date=date(2023, 6, 5),
    order_published=date(2024, 2, 12),
    provisional_end=date(2023, 10, 1),
    itc_final_published=date(2024, 2, 9),
)


def test_the_dates_used_here_are_the_orders() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    for words in (
        "88 FR 51279 (August 3, 2023)",
        "ended on January 29, 2024",
        "88 FR 36531 (June 5, 2023)",
        "on or after October 2, 2023, the date on which the provisional measures expired",
        "Applicable February 12, 2024",
    ):
        assert words in " ".join(text.split()), words


def test_first_ad_period_starts_at_the_preliminarys_suspension_and_ends_before_the_first_anniversary() -> (
    None
):
    # 351.213(e)(1)(ii): 2023-08-03 (suspension) .. 2025-01-31 (the month before February 2025).
    first = review_period_for(date(2023, 8, 3), AD)
    assert first == ReviewPeriod("A-570-148", date(2023, 8, 3), date(2025, 1, 31), True, RULE_AD_FIRST)


def test_entries_on_the_last_day_of_a_period_and_the_first_of_the_next() -> None:
    last_of_first = review_period_for(date(2025, 1, 31), AD)
    first_of_second = review_period_for(date(2025, 2, 1), AD)
    assert last_of_first is not None and first_of_second is not None
    assert (last_of_first.start, last_of_first.end, last_of_first.first) == (
        date(2023, 8, 3),
        date(2025, 1, 31),
        True,
    )
    # 351.213(e)(1)(i): the 12 months before the anniversary month of 2026.
    assert (first_of_second.start, first_of_second.end, first_of_second.rule) == (
        date(2025, 2, 1),
        date(2026, 1, 31),
        RULE_AD,
    )
    assert review_period_for(date(2026, 2, 1), AD) == ReviewPeriod(
        "A-570-148", date(2026, 2, 1), date(2027, 1, 31), False, RULE_AD
    )


def test_cvd_periods_are_calendar_years_after_the_first() -> None:
    # 351.213(e)(2)(ii): 2023-06-05 .. 2024-12-31 (the calendar year completed before February 2025).
    assert review_period_for(date(2023, 6, 5), CVD) == ReviewPeriod(
        "C-570-149", date(2023, 6, 5), date(2024, 12, 31), True, RULE_CVD_FIRST
    )
    assert review_period_for(date(2024, 12, 31), CVD) == ReviewPeriod(
        "C-570-149", date(2023, 6, 5), date(2024, 12, 31), True, RULE_CVD_FIRST
    )
    assert review_period_for(date(2025, 1, 1), CVD) == ReviewPeriod(
        "C-570-149", date(2025, 1, 1), date(2025, 12, 31), False, RULE_CVD
    )


def test_entries_outside_the_orders_duties_have_no_period_and_say_why() -> None:
    assert review_period_for(date(2023, 8, 2), AD) is None
    assert not_subject_reason(date(2023, 8, 2), AD) == RULE_BEFORE_SUSPENSION
    # The AD gap: after 2024-01-29 (provisional measures' final day), before 2024-02-09.
    for day in (date(2024, 1, 30), date(2024, 2, 8)):
        assert review_period_for(day, AD) is None
        assert not_subject_reason(day, AD) == RULE_GAP
    for day in (date(2024, 1, 29), date(2024, 2, 9)):
        assert not_subject_reason(day, AD) is None
        period = review_period_for(day, AD)
        assert period is not None and period.first
    # The CVD gap is longer: 2023-10-02 .. 2024-02-08.
    assert not_subject_reason(date(2023, 10, 2), CVD) == RULE_GAP
    assert not_subject_reason(date(2023, 10, 1), CVD) is None


def test_a_period_stated_by_a_results_notice_wins() -> None:
    stated = ReviewPeriod(
        "A-570-148", date(2023, 8, 3), date(2025, 2, 28), True, "the period of review stated", "2026-01234"
    )
    found = review_period_for(date(2025, 2, 15), AD, stated_periods=[stated])
    assert found == stated
    other_case = ReviewPeriod("A-570-999", date(2025, 1, 1), date(2025, 12, 31), False, "stated", "x")
    computed = review_period_for(date(2025, 2, 15), AD, stated_periods=[other_case])
    assert computed is not None and computed.start == date(2025, 2, 1)


def test_review_periods_lists_them_in_order() -> None:
    periods = review_periods(AD, through=date(2027, 2, 1))
    assert [(p.start, p.end) for p in periods] == [
        (date(2023, 8, 3), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2028, 1, 31)),
    ]


def test_an_order_in_january_starts_its_ad_periods_in_january() -> None:
    order = OrderDates("A-580-001", date(2023, 8, 1), date(2024, 1, 10))
    assert [(p.start, p.end) for p in review_periods(order, through=date(2025, 1, 1))] == [
        (date(2023, 8, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ]


def test_impossible_order_dates_are_refused() -> None:
    order = OrderDates("A-570-148", date(2026, 6, 1), date(2024, 2, 12))
    with pytest.raises(ValueError, match="after the first period's end"):
        review_periods(order, through=date(2026, 7, 1))
