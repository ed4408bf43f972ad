"""Which administrative-review period an entry falls in: 19 CFR 351.213(e), the order's anniversary month.

AD orders (351.213(e)(1)): a review covers the 12 months before the anniversary month (the month
the order was published); the first covers from the suspension of liquidation (the preliminary
determination's publication, or earlier where critical circumstances reach back) to the end of
the month before the first anniversary month. CVD orders (351.213(e)(2)): a review covers the most
recently completed calendar year; the first covers from the suspension of liquidation to the end
of the most recently completed calendar year. A period that a results notice states wins over the
computed one. Entries before the suspension of liquidation, and entries in the gap between the end
of provisional measures and the ITC's final determination (Tariff Act sections 703(d)/733(d),
19 U.S.C. 1671b(d)/1673b(d)), are not subject to the order's duties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from watchers.case_numbers import case_type_of

RULE_AD_FIRST = (
    "19 CFR 351.213(e)(1)(ii): first AD review period, from the suspension of liquidation to the end "
    "of the month before the first anniversary month"
)
RULE_AD = "19 CFR 351.213(e)(1)(i): AD review period, the 12 months before the anniversary month"
RULE_CVD_FIRST = (
    "19 CFR 351.213(e)(2)(ii): first CVD review period, from the suspension of liquidation to the end "
    "of the most recently completed calendar year"
)
RULE_CVD = "19 CFR 351.213(e)(2)(i): CVD review period, the most recently completed calendar year"
RULE_NOTICE = "the period of review stated in the results notice"
RULE_BEFORE_SUSPENSION = "entered before the suspension of liquidation: not subject to the order's duties"
RULE_GAP = (
    "entered after provisional measures expired and before the ITC's final determination was published "
    "(19 U.S.C. 1671b(d)/1673b(d) gap period): liquidated without regard to the order's duties"
)


@dataclass(frozen=True)
class OrderDates:
    """The dates of one AD or CVD order that place entries in periods and bound its duties."""

    case_number: str  # A-570-148 (AD) or C-570-149 (CVD)
    suspension_date: date  # liquidation first suspended: the preliminary determination's publication
    order_published: date  # its month is the anniversary month
    provisional_end: date | None = None  # the last day provisional measures were in effect
    itc_final_published: date | None = None  # suspension and deposits resume on this date

    @property
    def anniversary_month(self) -> int:
        return self.order_published.month


@dataclass(frozen=True)
class ReviewPeriod:
    """One period of review of an order: [start, end] inclusive."""

    case_number: str
    start: date
    end: date
    first: bool
    rule: str
    source: str = ""  # the results notice's document number when the notice stated the period

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def not_subject_reason(entry_date: date, order: OrderDates) -> str | None:
    """Why an entry is outside the order's duties (before suspension, gap period), else None."""
    if entry_date < order.suspension_date:
        return RULE_BEFORE_SUSPENSION
    gap_start, gap_end = order.provisional_end, order.itc_final_published
    if gap_start is not None and gap_end is not None and gap_start < entry_date < gap_end:
        return RULE_GAP
    return None


def review_period_for(
    entry_date: date, order: OrderDates, *, stated_periods: Sequence[ReviewPeriod] = ()
) -> ReviewPeriod | None:
    """The review period holding the entry date; None when the entry is not subject (see not_subject_reason).

    A stated period of the same case (from a results notice) that holds the date wins.
    """
    if not_subject_reason(entry_date, order) is not None:
        return None
    for period in stated_periods:
        if period.case_number == order.case_number and period.holds(entry_date):
            return period
    return review_periods(order, through=entry_date)[-1]


def _first_period_end(order: OrderDates) -> date:
    first_anniversary = date(order.order_published.year + 1, order.anniversary_month, 1)
    if case_type_of(order.case_number) == "CVD":
        return date(first_anniversary.year - 1, 12, 31)
    return first_anniversary - timedelta(days=1)


def review_periods(order: OrderDates, *, through: date) -> tuple[ReviewPeriod, ...]:
    """The computed periods of an order, first to the one holding `through`."""
    cvd = case_type_of(order.case_number) == "CVD"
    end = _first_period_end(order)
    if end < order.suspension_date:
        raise ValueError(
            f"{order.case_number}: the suspension of liquidation ({order.suspension_date}) is after the "
            f"first period's end ({end}); check the order's dates"
        )
    periods = [
        ReviewPeriod(
            order.case_number, order.suspension_date, end, True, RULE_CVD_FIRST if cvd else RULE_AD_FIRST
        )
    ]
    while periods[-1].end < through:
        start = periods[-1].end + timedelta(days=1)
        end = date(start.year, 12, 31) if cvd else date(start.year + 1, start.month, 1) - timedelta(days=1)
        periods.append(ReviewPeriod(order.case_number, start, end, False, RULE_CVD if cvd else RULE_AD))
    return tuple(periods)
