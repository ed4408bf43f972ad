"""The gap and the provisional cap when only the ITC's notification to Commerce is known.

Dates of the real AD order A-570-148 (FR Doc 2024-02902): preliminary 2023-08-03, provisional
measures' last day 2024-01-29, ITC notified Commerce 2024-02-05, order 2024-02-12. The ITC publishes
its determination on or after notifying Commerce; 2024-02-09 stands for a publication date when known.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from worker.rules.assessment import (
    NOTE_ITC_FINAL_UNKNOWN,
    RULE_PROVISIONAL_CAP,
    AssessmentRate,
    EntryLine,
    assess_entry,
)
from worker.rules.interest import bundled_interest_rates
from worker.rules.review_period import RULE_GAP, OrderDates, not_subject_reason

NOTIFIED_ONLY = OrderDates(
    "A-570-148", date(2023, 8, 3), date(2024, 2, 12), date(2024, 1, 29), itc_final_notified=date(2024, 2, 5)
)
PUBLISHED = OrderDates(
    "A-570-148",
    date(2023, 8, 3),
    date(2024, 2, 12),
    date(2024, 1, 29),
    itc_final_published=date(2024, 2, 9),
    itc_final_notified=date(2024, 2, 5),
)
NOTHING_ON_THE_ITC = OrderDates("A-570-148", date(2023, 8, 3), date(2024, 2, 12), date(2024, 1, 29))


@pytest.mark.parametrize(
    ("order", "day", "in_gap"),
    [
        (NOTIFIED_ONLY, date(2024, 1, 29), False),  # the last day of provisional measures
        (NOTIFIED_ONLY, date(2024, 1, 30), True),
        (NOTIFIED_ONLY, date(2024, 2, 4), True),  # the day before the notification: surely in the gap
        (NOTIFIED_ONLY, date(2024, 2, 6), False),  # perhaps published already: not called a gap
        (PUBLISHED, date(2024, 2, 8), True),
        (PUBLISHED, date(2024, 2, 9), False),
        (NOTHING_ON_THE_ITC, date(2024, 2, 1), False),
    ],
)
def test_the_gap_runs_at_least_to_the_notification(order: OrderDates, day: date, in_gap: bool) -> None:
    assert (not_subject_reason(day, order) == RULE_GAP) is in_gap


def _assess(order: OrderDates, day: date) -> tuple[Decimal, tuple[str, ...], str]:
    # 10,000.00 entered at a 169.34 % deposit (16,934.00), assessed at 185.12 % (18,512.00): +1,578.00
    line = EntryLine("PW1", day, Decimal("10000.00"), Decimal("169.34"), Decimal("16934.00"))
    rate = AssessmentRate(Decimal("185.12"), "company", "FINAL", projected=False, rule="final rate")
    assessed = assess_entry(
        line, rate, interest_until=date(2026, 9, 2), interest_rates=bundled_interest_rates(), order=order
    )
    return assessed.difference_usd, assessed.notes, assessed.difference_rule


def test_the_cap_holds_before_the_notification_and_is_flagged_after_it() -> None:
    difference, notes, rule = _assess(NOTIFIED_ONLY, date(2023, 9, 15))
    assert (difference, RULE_PROVISIONAL_CAP in rule, NOTE_ITC_FINAL_UNKNOWN in notes) == (0, True, False)
    difference, notes, rule = _assess(NOTIFIED_ONLY, date(2024, 2, 8))
    assert (difference, RULE_PROVISIONAL_CAP in rule, NOTE_ITC_FINAL_UNKNOWN in notes) == (1578, False, True)
    difference, notes, rule = _assess(PUBLISHED, date(2024, 2, 8))  # in the gap when the publication is known
    assert (difference, NOTE_ITC_FINAL_UNKNOWN in notes) == (-16934, False)
    difference, notes, rule = _assess(NOTHING_ON_THE_ITC, date(2023, 9, 15))
    assert (difference, RULE_PROVISIONAL_CAP in rule, NOTE_ITC_FINAL_UNKNOWN in notes) == (1578, False, True)
    difference, notes, _ = _assess(NOTIFIED_ONLY, date(2024, 3, 1))  # after the order: nothing to flag
    assert (difference, NOTE_ITC_FINAL_UNKNOWN in notes) == (1578, False)
