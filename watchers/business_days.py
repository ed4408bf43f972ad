"""US federal business days, for rolling deadlines that fall on a weekend or holiday."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    # holidays.US() without a state is the federal set, observed days included (a Saturday
    # holiday is observed on the Friday before, a Sunday one on the Monday after).
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_business_day(d: date) -> bool:
    """A weekday that is not a US federal holiday (nor its observed day)."""
    return d.weekday() < 5 and d not in _federal_holidays(d.year)


def next_business_day_on_or_after(d: date) -> date:
    """The due date of a deadline falling on d.

    19 CFR 351.303(b)(1): a deadline that falls on a non-business day moves to the next
    business day.
    """
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def business_days_between(start: date, end: date) -> int:
    """Business days d with start < d <= end: the business days left from `start` until `end`
    (0 when `end` is not after `start`). For the days strictly between two dates, pass end - 1 day."""
    count, d = 0, start + timedelta(days=1)
    while d <= end:
        count += is_business_day(d)
        d += timedelta(days=1)
    return count


def add_business_days(d: date, days: int) -> date:
    """d moved by `days` business days (negative moves back); d itself is not counted."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        d += timedelta(days=step)
        if is_business_day(d):
            remaining -= 1
    return d
