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

import calendar
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from worker.rules.money import HUNDRED, ZERO, to_cent

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
        if direction == "underpayment":
            return self.underpayment_pct
        if direction == "overpayment":
            return self.corporate_overpayment_pct if corporate else self.overpayment_pct
        raise ValueError(f"unknown interest direction {direction!r}; expected one of {DIRECTIONS}")


@dataclass(frozen=True)
class InterestRateTable:
    """Consecutive quarters, oldest first, with no gap (checked when built)."""

    quarters: tuple[QuarterlyInterestRate, ...]

    def __post_init__(self) -> None:
        if not self.quarters:
            raise ValueError("the interest-rate table has no quarter")
        for row in self.quarters:
            if row.quarter_start != quarter_start(row.quarter_start) or row.quarter_end != quarter_end(
                row.quarter_start
            ):
                raise ValueError(f"{row.quarter_start}..{row.quarter_end} is not one calendar quarter")
        for before, after in zip(self.quarters, self.quarters[1:], strict=False):
            if after.quarter_start != before.quarter_end + timedelta(days=1):
                raise ValueError(
                    f"the interest-rate table skips from {before.quarter_end} to {after.quarter_start}"
                )

    def quarter_of(self, day: date) -> QuarterlyInterestRate | None:
        """The quarter holding the day, or None when the table does not reach it."""
        if not self.first_day <= day <= self.last_day:
            return None
        index = (day.year - self.first_day.year) * 4 + (day.month - 1) // 3 - (self.first_day.month - 1) // 3
        return self.quarters[index]

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


def quarter_start(day: date) -> date:
    """The first day of the day's calendar quarter."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    """The last day of the day's calendar quarter."""
    start = quarter_start(day)
    following = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return following - timedelta(days=1)


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year: the divisor of the daily rate (26 U.S.C. 6622, IRS practice)."""
    return 366 if calendar.isleap(year) else 365


def _row(fields: dict[str, str], line: int) -> QuarterlyInterestRate:
    def day(column: str) -> date:
        try:
            return date.fromisoformat(fields[column].strip())
        except ValueError:
            raise ValueError(f"line {line}: {column}: not an ISO date: {fields[column]!r}") from None

    def pct(column: str) -> Decimal:
        try:
            value = Decimal(fields[column].strip())
        except InvalidOperation:
            raise ValueError(f"line {line}: {column}: not a number: {fields[column]!r}") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"line {line}: {column}: not a rate in percent: {fields[column]!r}")
        return value

    source = fields["source"].strip()
    if not source:
        raise ValueError(f"line {line}: source: empty; every rate names the notice it comes from")
    return QuarterlyInterestRate(
        quarter_start=day("quarter_start"),
        quarter_end=day("quarter_end"),
        underpayment_pct=pct("underpayment_pct"),
        overpayment_pct=pct("overpayment_pct"),
        corporate_overpayment_pct=pct("corporate_overpayment_pct"),
        source=source,
    )


def parse_interest_rate_table(text: str) -> InterestRateTable:
    """The table from CSV text with RATE_TABLE_COLUMNS; ValueError naming the line on bad input."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in RATE_TABLE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"line 1: the interest-rate table lacks the column(s) {', '.join(missing)}")
    rows = []
    for fields in reader:
        if any(fields.get(c) is None for c in RATE_TABLE_COLUMNS):
            raise ValueError(f"line {reader.line_num}: fewer fields than the header names")
        rows.append(_row(fields, reader.line_num))
    return InterestRateTable(quarters=tuple(sorted(rows, key=lambda r: r.quarter_start)))


@cache
def bundled_interest_rates() -> InterestRateTable:
    """The table shipped in worker/data/irs_interest_rates.csv (package data, read once)."""
    text = resources.files("worker").joinpath("data/irs_interest_rates.csv").read_text("utf-8")
    return parse_interest_rate_table(text)


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
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown interest direction {direction!r}; expected one of {DIRECTIONS}")
    if principal_usd < 0:
        raise ValueError(
            "the principal of an interest computation is a positive amount; the direction gives its sign"
        )
    if start < rates.first_day:
        raise ValueError(f"no interest rate before {rates.first_day} in the table (interest from {start})")
    rate_kind = (
        "underpayment rate, 6621(a)(2)"
        if direction == "underpayment"
        else f"{'corporate' if corporate else 'non-corporate'} overpayment rate, 6621(a)(1)"
    )
    segments: list[InterestSegment] = []
    balance = principal_usd
    day = start
    last = rates.quarters[-1]
    while day < end:
        stop = min(quarter_end(day) + timedelta(days=1), end)
        quarter = rates.quarter_of(day)
        row = quarter if quarter is not None else last
        rate = row.rate_pct(direction, corporate=corporate)
        year_days = days_in_year(day.year)
        days = (stop - day).days
        grown = balance * (1 + rate / HUNDRED / year_days) ** days
        segments.append(
            InterestSegment(
                start=day,
                stop=stop,
                days=days,
                rate_pct=rate,
                days_in_year=year_days,
                balance_before=balance,
                interest=grown - balance,
                source=row.source,
                assumed=quarter is None,
            )
        )
        balance, day = grown, stop
    notes: list[str] = []
    if any(s.assumed for s in segments):
        notes.append(
            f"no published rate after {rates.last_day}: the last one ({last.source}) "
            "is assumed for the days after it"
        )
    interest = to_cent(balance - principal_usd) if segments else ZERO
    return InterestResult(
        principal_usd=principal_usd,
        direction=direction,
        start=start,
        end=end,
        interest_usd=interest,
        segments=tuple(segments),
        rule=RULE_1677G.format(rate_kind=rate_kind),
        notes=tuple(notes),
    )
