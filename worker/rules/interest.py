"""Interest on AD/CVD deposit differences: 19 U.S.C. 1677g at the 26 U.S.C. 6621 rates, compounded daily.

19 U.S.C. 1677g(a) makes interest payable on overpayments and underpayments of amounts deposited
on merchandise entered on and after the publication of the AD or CVD order; 1677g(b) sets one rule
for both directions: "the rate of interest established under section 6621 of title 26 for such
period". Section 6621 establishes two rates, so the one rule gives the underpayment rate
(6621(a)(2): federal short-term rate + 3 points) on additional duty owed and the overpayment rate
(6621(a)(1): + 2 points for a corporation, + 3 otherwise) on a refund. CBP publishes them each
quarter in the Federal Register ("Quarterly IRS Interest Rates Used in Calculating Interest on
Overdue Accounts and Refunds on Customs Duties"), stating that under 19 U.S.C. 1505 and T.D. 85-93
the rates are those of 26 U.S.C. 6621 and 6622; 6622(a) compounds interest daily. So interest here
accrues from the date of deposit (the entry date) to the interest end date (liquidation), each day
at the rate of its quarter, compounded daily at rate / 365 (366 in a leap year), the balance
carried across quarter boundaries; the result is rounded half up to the cent once, at the end.
CBP's table has no column for the 6621(a)(1) rate on corporate overpayments above $10,000 (+0.5
point), so it is not applied. The table is worker/data/irs_interest_rates.csv (its .source.txt
cites each notice); past its last quarter the last published rate is carried forward and the
segment is marked assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DIRECTIONS = ("underpayment", "overpayment")
RATE_TABLE_COLUMNS = (
    "quarter_start",  # ISO date, first day of a calendar quarter
    "quarter_end",  # ISO date, last day of that quarter
    "underpayment_pct",  # 6621(a)(2), corporations and non-corporations alike
    "overpayment_pct",  # 6621(a)(1), non-corporations
    "corporate_overpayment_pct",  # 6621(a)(1), corporations
    "source",  # the CBP Federal Register notice: 'FR Doc 2024-21785 (89 FR 77879)'
)
RULE_1677G = (
    "19 U.S.C. 1677g: interest on the difference from the date of deposit to liquidation at the "
    "26 U.S.C. 6621 rate for each quarter ({rate_kind}), compounded daily (26 U.S.C. 6622; CBP "
    "quarterly notices under 19 U.S.C. 1505 and T.D. 85-93)"
)


@dataclass(frozen=True)
class QuarterlyInterestRate:
    """One calendar quarter's rates, in percent a year, and the CBP notice that published them."""

    quarter_start: date
    quarter_end: date
    underpayment_pct: Decimal
    overpayment_pct: Decimal
    corporate_overpayment_pct: Decimal
    source: str

    def rate_pct(self, direction: str, *, corporate: bool) -> Decimal:
        """The rate 1677g(b) takes for this direction: underpayment, or (corporate) overpayment."""
        raise NotImplementedError


@dataclass(frozen=True)
class InterestRateTable:
    """Consecutive quarters, oldest first, with no gap (checked when built)."""

    quarters: tuple[QuarterlyInterestRate, ...]

    def quarter_of(self, day: date) -> QuarterlyInterestRate | None:
        """The quarter holding the day, or None when the table does not reach it."""
        raise NotImplementedError

    @property
    def first_day(self) -> date:
        return self.quarters[0].quarter_start

    @property
    def last_day(self) -> date:
        return self.quarters[-1].quarter_end


@dataclass(frozen=True)
class InterestSegment:
    """The days of one quarter in the interest span: [start, stop), at one rate."""

    start: date
    stop: date  # exclusive
    days: int
    rate_pct: Decimal
    days_in_year: int  # 365 or 366
    balance_before: Decimal  # principal plus interest accrued before this segment, unrounded
    interest: Decimal  # accrued in this segment, unrounded
    source: str  # the notice of the quarter's rate
    assumed: bool  # True past the table's last quarter: the last published rate carried forward


@dataclass(frozen=True)
class InterestResult:
    """Interest on one difference: the rounded amount, the segments that make it, and the rule."""

    principal_usd: Decimal  # the difference, as a positive amount
    direction: str  # underpayment (importer owes) or overpayment (refund to the importer)
    start: date  # the date of deposit
    end: date  # the interest end date (expected liquidation)
    interest_usd: Decimal  # positive, rounded half up to the cent
    segments: tuple[InterestSegment, ...]
    rule: str
    notes: tuple[str, ...] = ()

    @property
    def assumed(self) -> bool:
        """Whether any day used a rate carried past the last published quarter."""
        return any(s.assumed for s in self.segments)


def parse_interest_rate_table(text: str) -> InterestRateTable:
    """The table from CSV text with RATE_TABLE_COLUMNS; ValueError naming the line on bad input."""
    raise NotImplementedError


def bundled_interest_rates() -> InterestRateTable:
    """The table shipped in worker/data/irs_interest_rates.csv (package data, read once)."""
    raise NotImplementedError


def compute_interest(
    principal_usd: Decimal,
    *,
    direction: str,
    start: date,
    end: date,
    rates: InterestRateTable,
    corporate: bool = True,
) -> InterestResult:
    """Interest under 19 U.S.C. 1677g on principal_usd from start (deposit) to end, compounded daily.

    Each day d in [start, end) accrues balance x rate(d) / days_in_year(d); the balance carries
    the interest already accrued (daily compounding, 26 U.S.C. 6622), so a segment multiplies it
    by (1 + rate / days_in_year) ** days. end <= start gives no interest. A day before the table's
    first quarter is a ValueError; a day after its last quarter uses the last rate, marked assumed.
    corporate picks the corporate overpayment rate for refunds (most importers of record are
    corporations); underpayments have one rate for both.
    """
    raise NotImplementedError
