"""What a review's results cost one entry: assessed duty, difference from the deposit, interest (1677g).

The rate comes from choose_assessment_rate (worker/rules/assessment_rate.py, re-exported here):
importer-specific, else the company's (351.107 cascade), else the unreviewed companies' rate;
the deposit rate at entry for rescinded or unrequested reviews (19 CFR 351.212(c)); court
decisions and amended results replace it (19 U.S.C. 1516a(e)).

The figures (assess_entry): assessed duty = entered value x rate; difference = assessed duty -
deposit paid (+ additional duty owed, - refund); interest on the difference under 19 U.S.C. 1677g
(worker/rules/interest.py) from the deposit to the interest end date, for entries on or after the
order's publication (1677g(a)). Entries made before the ITC's final determination was published
(provisional measures) owe no more than their deposit: a higher final duty is disregarded, a
lower one refunded (19 U.S.C. 1671f(a)/1673f(a)). Amounts are Decimal USD, rounded half up to the
cent at each entry's figures; totals are sums of the rounded figures (worker/rules/money.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.rules.assessment_rate import (
    NOTICE_KINDS,
    RATE_RULES,
    RATE_SOURCES,
    AssessmentRate,
    EntryLine,
    EntryParty,
    ImporterRate,
    ResultsNotice,
    choose_assessment_rate,
)
from worker.rules.interest import InterestRateTable, InterestResult, compute_interest
from worker.rules.money import ROUNDING_RULE, ZERO, percent_of
from worker.rules.review_period import OrderDates, not_subject_reason

__all__ = [
    "NOTICE_KINDS",
    "RATE_RULES",
    "RATE_SOURCES",
    "AssessmentRate",
    "AssessmentTotals",
    "EntryAssessment",
    "EntryLine",
    "EntryParty",
    "ImporterRate",
    "ResultsNotice",
    "assess_entry",
    "choose_assessment_rate",
    "total_assessments",
]

RULE_ASSESSED = "assessed duty = entered value x assessment rate, rounded half up to the cent"
RULE_DIFFERENCE = "difference = assessed duty - deposit paid: positive is owed, negative is refunded"
RULE_PROVISIONAL_CAP = (
    "19 U.S.C. 1671f(a)/1673f(a): entered before the ITC's final determination, so a final duty above "
    "the deposit is disregarded and one below it is refunded"
)
RULE_NO_INTEREST_BEFORE_ORDER = (
    "19 U.S.C. 1677g(a): no interest on entries made before the order was published"
)
RULE_NO_DIFFERENCE = "no difference from the deposit, so no interest"
NOTE_NO_ORDER_DATES = (
    "the order's dates were not given: the provisional-measures cap and 1677g(a)'s start were not checked"
)


@dataclass(frozen=True)
class EntryAssessment:
    """One entry's bill: each figure in USD to the cent, with its rule."""

    entry: EntryLine
    rate: AssessmentRate
    assessed_duty_usd: Decimal
    difference_usd: Decimal  # + owed, - refund
    interest_usd: Decimal  # same sign as the difference
    interest: InterestResult | None  # None when no interest runs (no difference, before the order)
    assessed_rule: str
    difference_rule: str
    interest_rule: str
    notes: tuple[str, ...] = ()

    @property
    def total_usd(self) -> Decimal:
        """Difference plus interest: + owed by the importer, - refunded to it."""
        return self.difference_usd + self.interest_usd

    @property
    def projected(self) -> bool:
        return self.rate.projected


@dataclass(frozen=True)
class AssessmentTotals:
    """Sums of the rounded per-entry figures."""

    entries: int
    deposit_paid_usd: Decimal
    assessed_duty_usd: Decimal
    owed_usd: Decimal  # sum of positive differences
    refund_usd: Decimal  # sum of negative differences, as a positive amount
    interest_owed_usd: Decimal
    interest_refund_usd: Decimal
    net_usd: Decimal  # differences plus interest: + owed, - refunded
    projected: bool  # any entry only projected
    rounding_rule: str = ROUNDING_RULE


def assess_entry(
    entry: EntryLine,
    rate: AssessmentRate,
    *,
    interest_until: date,
    interest_rates: InterestRateTable,
    order: OrderDates | None = None,
    corporate: bool = True,
) -> EntryAssessment:
    """The entry's assessed duty, its difference from the deposit paid and interest to interest_until.

    With the order's dates, entries before its publication get no interest (1677g(a)), entries
    before the ITC's final determination have the provisional-measures cap (1671f(a)/1673f(a)),
    and entries outside the order's duties (before the suspension of liquidation, or in the gap
    after provisional measures) owe no duty: any deposit is refunded. Without the dates none of
    this applies (stated in notes).
    """
    for label, value in (
        ("entered value", entry.entered_value_usd),
        ("deposit paid", entry.deposit_paid_usd),
        ("assessment rate", rate.rate_pct),
    ):
        if value < 0:
            raise ValueError(f"entry {entry.entry_number}: the {label} cannot be negative ({value})")
    notes: list[str] = []
    expected_deposit = percent_of(entry.entered_value_usd, entry.deposit_rate_pct)
    if abs(expected_deposit - entry.deposit_paid_usd) > Decimal("0.01"):
        notes.append(
            f"the deposit paid ({entry.deposit_paid_usd}) is not entered value x deposit rate "
            f"({expected_deposit}): the difference is taken from the deposit paid"
        )
    outside = None if order is None else not_subject_reason(entry.entry_date, order)
    assessed = ZERO if outside else percent_of(entry.entered_value_usd, rate.rate_pct)
    difference = assessed - entry.deposit_paid_usd
    difference_rule = f"{RULE_DIFFERENCE}; {outside}" if outside else RULE_DIFFERENCE
    if order is None:
        notes.append(NOTE_NO_ORDER_DATES)
    elif (
        not outside and order.itc_final_published is not None and entry.entry_date < order.itc_final_published
    ):
        difference_rule = f"{RULE_DIFFERENCE}; {RULE_PROVISIONAL_CAP}"
        difference = min(difference, ZERO)
    interest: InterestResult | None = None
    if difference == 0:
        interest_rule = RULE_NO_DIFFERENCE
    elif order is not None and entry.entry_date < order.order_published:
        interest_rule = RULE_NO_INTEREST_BEFORE_ORDER
    else:
        interest = compute_interest(
            abs(difference),
            direction="underpayment" if difference > 0 else "overpayment",
            start=entry.entry_date,
            end=interest_until,
            rates=interest_rates,
            corporate=corporate,
        )
        interest_rule = interest.rule
        notes.extend(interest.notes)
    interest_usd = ZERO if interest is None else interest.interest_usd
    return EntryAssessment(
        entry=entry,
        rate=rate,
        assessed_duty_usd=assessed,
        difference_usd=difference,
        interest_usd=interest_usd if difference >= 0 else -interest_usd,
        interest=interest,
        assessed_rule=RULE_ASSESSED,
        difference_rule=difference_rule,
        interest_rule=interest_rule,
        notes=tuple(notes),
    )


def total_assessments(assessments: Sequence[EntryAssessment]) -> AssessmentTotals:
    """Totals summed from the rounded per-entry figures."""
    differences = [a.difference_usd for a in assessments]
    interests = [a.interest_usd for a in assessments]
    return AssessmentTotals(
        entries=len(assessments),
        deposit_paid_usd=sum((a.entry.deposit_paid_usd for a in assessments), ZERO),
        assessed_duty_usd=sum((a.assessed_duty_usd for a in assessments), ZERO),
        owed_usd=sum((d for d in differences if d > 0), ZERO),
        refund_usd=-sum((d for d in differences if d < 0), ZERO),
        interest_owed_usd=sum((i for i in interests if i > 0), ZERO),
        interest_refund_usd=-sum((i for i in interests if i < 0), ZERO),
        net_usd=sum((a.total_usd for a in assessments), ZERO),
        projected=any(a.projected for a in assessments),
    )
