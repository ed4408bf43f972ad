"""The one review-request rule (19 CFR 351.213(b)(1), rolled under 351.303(b)) on real calendar months."""

from __future__ import annotations

from datetime import date

import pytest

from watchers.review_request import REVIEW_REQUEST_CITATION, next_review_request_due, review_request_due


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [
        (2024, 2, date(2024, 2, 29)),  # leap year, a Thursday
        (2024, 3, date(2024, 4, 1)),  # March 31, 2024 is a Sunday
        (2023, 12, date(2024, 1, 2)),  # Sunday, then New Year's Day
        (2022, 12, date(2023, 1, 3)),  # Saturday, Sunday, then New Year's Day observed on Monday
    ],
    ids=["leap-february", "sunday-rolls", "sunday-then-holiday", "weekend-then-observed-holiday"],
)
def test_window_closes_on_the_last_business_day_of_the_anniversary_month(
    year: int, month: int, due: date
) -> None:
    assert review_request_due(year, month) == due


def test_the_first_window_is_a_year_after_publication() -> None:
    assert next_review_request_due(date(2024, 2, 12), today=date(2024, 2, 20)) == date(2025, 2, 28)
    assert next_review_request_due(date(2020, 5, 4), today=date(2024, 6, 1)) == date(2025, 6, 2)


def test_one_citation_names_the_rule_and_the_roll() -> None:
    assert REVIEW_REQUEST_CITATION == "19 CFR 351.213(b)(1); 19 CFR 351.303(b)"
