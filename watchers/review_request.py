"""The review-request rule: when the window to request an administrative review closes, and why."""

from __future__ import annotations

from datetime import date

from watchers.business_days import next_business_day_on_or_after
from watchers.deadline_text import ROLL_CITATION
from watchers.notice_text import last_day_of_month

# 19 CFR 351.213(b)(1): a review may be requested during the anniversary month of the order.
REVIEW_REQUEST_RULE = "19 CFR 351.213(b)(1)"
# The one citation every review-request deadline carries (catalog, reminders, omnibus notices): the
# rule, and the roll of a deadline that falls on a non-business day.
REVIEW_REQUEST_CITATION = f"{REVIEW_REQUEST_RULE}; {ROLL_CITATION}"


def review_request_due(year: int, month: int) -> date:
    """The close of the review-request window of an anniversary month: the month's last day, moved to
    the next business day when that is not one (REVIEW_REQUEST_CITATION)."""
    return next_business_day_on_or_after(last_day_of_month(year, month))


def next_review_request_due(order_date: date, *, today: date) -> date:
    """The close of the next review-request window of an order published on `order_date`, on or
    after `today`; the first window is a year after publication."""
    year = max(today.year, order_date.year + 1)
    while (due := review_request_due(year, order_date.month)) < today:
        year += 1
    return due
