"""The poll cadence follows the FR posting schedule: fast in the windows of business days, slow otherwise."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from watchers.fr_schedule import EASTERN, next_poll_delay, requests_per_day, seconds_to_next_window


def eastern(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=EASTERN)


@pytest.mark.parametrize(
    ("now", "delay"),
    [
        (eastern(2024, 2, 9, 8, 44), 30.0),  # Friday, the 8:45 list
        (eastern(2024, 2, 9, 9, 29), 30.0),
        (eastern(2024, 2, 9, 16, 15), 30.0),  # the 4:15 update
        (eastern(2024, 2, 12, 6, 0), 30.0),  # Monday's issue goes online
        (eastern(2024, 2, 9, 12, 0), 300.0),  # working day between windows
        (eastern(2024, 2, 9, 8, 28), 120.0),  # medium cadence, cut at the window's opening
        (eastern(2024, 2, 9, 22, 0), 1800.0),  # night
        (eastern(2024, 2, 12, 5, 30), 900.0),  # night, cut at 5:45
        (eastern(2024, 2, 10, 8, 45), 1800.0),  # Saturday: nothing is posted
        (eastern(2024, 2, 19, 8, 45), 1800.0),  # Presidents' Day, a federal holiday
        (eastern(2024, 2, 18, 23, 59), 1800.0),  # Sunday night before a holiday: no window Monday
    ],
    ids=[
        "list-opens",
        "list-closing",
        "update",
        "issue",
        "midday",
        "before-list",
        "night",
        "before-issue",
        "saturday",
        "holiday",
        "sunday-before-holiday",
    ],
)
def test_delay_by_time_of_day_and_calendar(now: datetime, delay: float) -> None:
    assert next_poll_delay(now) == delay


def test_fast_cadence_catches_a_posting_within_a_minute() -> None:
    """Polling from 8:00 on, some poll falls within 30 s after any moment of a window."""
    at = eastern(2024, 2, 9, 8, 0)
    polls = []
    while at < eastern(2024, 2, 9, 10, 0):
        polls.append(at)
        at += timedelta(seconds=next_poll_delay(at))
    posted = eastern(2024, 2, 9, 8, 45)
    first_after = min(p for p in polls if p >= posted)
    assert first_after - posted <= timedelta(seconds=30)
    assert eastern(2024, 2, 9, 8, 30) in polls  # the window's first poll is at its opening


def test_next_window_after_a_long_weekend() -> None:
    saturday_noon = eastern(2024, 2, 17, 12, 0)
    tuesday = eastern(2024, 2, 20, 5, 45)  # Monday the 19th is Presidents' Day
    assert seconds_to_next_window(saturday_noon) == (tuesday - saturday_noon).total_seconds()


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_poll_delay(datetime(2024, 2, 9, 12, 0))


def test_requests_per_day_of_the_defaults() -> None:
    """The README's cost figures: 463 a business day, 48 a weekend day or holiday (46 the spring DST day)."""
    assert requests_per_day(date(2024, 2, 9)) == 463
    assert requests_per_day(date(2024, 2, 10)) == 48
    assert requests_per_day(date(2024, 2, 19)) == 48
    assert requests_per_day(date(2024, 3, 10)) == 46
    week = sum(requests_per_day(date(2024, 2, 5) + timedelta(days=i)) for i in range(7))
    assert week == 5 * 463 + 2 * 48
