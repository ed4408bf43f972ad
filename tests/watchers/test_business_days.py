"""Business days: weekends and US federal holidays (observed) roll forward (19 CFR 351.303(b))."""

from __future__ import annotations

from datetime import date

import pytest

from watchers.business_days import (
    add_business_days,
    is_business_day,
    next_business_day_on_or_after,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 14), date(2024, 2, 14)),  # Wednesday
        (date(2016, 5, 15), date(2016, 5, 16)),  # Sunday
        (date(2016, 5, 21), date(2016, 5, 23)),  # Saturday
        (date(2025, 1, 1), date(2025, 1, 2)),  # New Year's Day
        (date(2024, 2, 19), date(2024, 2, 20)),  # Washington's Birthday
        (date(2022, 12, 26), date(2022, 12, 27)),  # Christmas observed on Monday
        (date(2021, 12, 31), date(2022, 1, 3)),  # New Year 2022 observed Friday, then weekend
        (date(2024, 6, 19), date(2024, 6, 20)),  # Juneteenth
        (date(2024, 11, 28), date(2024, 11, 29)),  # Thanksgiving; the Friday after is open
    ],
    ids=["weekday", "sunday", "saturday", "new-year", "presidents-day", "christmas-observed",
         "observed-friday-then-weekend", "juneteenth", "thanksgiving"],
)  # fmt: skip
def test_next_business_day_on_or_after(day: date, expected: date) -> None:
    assert next_business_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2016, 8, 4), -7, date(2016, 7, 26)),
        (date(2024, 2, 9), 1, date(2024, 2, 12)),
        (date(2024, 2, 16), 1, date(2024, 2, 20)),
        (date(2024, 2, 12), 0, date(2024, 2, 12)),
        (date(2024, 2, 12), 5, date(2024, 2, 20)),
    ],
    ids=["back-seven", "over-weekend", "over-holiday-weekend", "zero", "five-with-holiday"],
)
def test_add_business_days(start: date, days: int, expected: date) -> None:
    assert add_business_days(start, days) == expected


def test_is_business_day() -> None:
    assert is_business_day(date(2024, 2, 12))
    assert not is_business_day(date(2024, 2, 10))
    assert not is_business_day(date(2024, 7, 4))
