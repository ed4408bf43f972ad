"""What a review's results cost one entry: the assessment rate, duty, difference from the deposit, interest.

The rate (choose_assessment_rate): final results assess each entry at the importer-specific rate
where the notice gives one (19 CFR 351.212(b)(1)), else at the rate of the entry's company found by
the 19 CFR 351.107 cascade (worker/rules/cascade.py), else at the rate the notice names for
companies not individually reviewed; preliminary results give the same figures as a projection;
a review rescinded (for the company, or whole) or never requested leaves the entries to be
assessed at the deposit rate in force at entry (19 CFR 351.212(c)); amended final results or a
court decision not in harmony replace the rate for the companies they name (19 U.S.C. 1516a(e)).

The figures (assess_entry): assessed duty = entered value x rate; difference = assessed duty -
deposit paid (+ additional duty owed, - refund); interest on the difference under 19 U.S.C. 1677g
(worker/rules/interest.py) from the deposit to the interest end date, for entries on or after the
order's publication (1677g(a)). Entries made before the ITC's final determination was published
(provisional measures) owe no more than their deposit: a higher final duty is disregarded, a
lower one refunded (19 U.S.C. 1671f(a)/1673f(a)). Amounts are Decimal USD, rounded half up to the
cent at each entry's figures; totals are sums of the rounded figures (worker/rules/money.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.rules.cascade import RateOption
from worker.rules.interest import InterestRateTable, InterestResult
from worker.rules.review_period import OrderDates

# Which rate assesses the entry.
RATE_SOURCES = ("importer_specific", "company", "unreviewed_companies", "deposit_at_entry")
# The results notices that decide a period's entries, and what each does.
NOTICE_KINDS = ("preliminary", "final", "amended_final", "court_decision", "rescission", "no_review")

RATE_RULES: dict[str, str] = {
    "importer_specific": "19 CFR 351.212(b)(1): the importer-specific assessment rate the results give",
    "company": "19 CFR 351.212(b)(1); 19 CFR 351.107: the rate of the entry's company in the results",
    "unreviewed_companies": (
        "19 CFR 351.212(b)(1): the rate the results name for companies not individually reviewed"
    ),
    "deposit_at_entry": (
        "19 CFR 351.212(c): review rescinded or not requested, assessed at the deposit rate in force at entry"
    ),
}
RULE_COURT = (
    "19 U.S.C. 1516a(e): a court decision not in harmony with the results replaces the rate for the "
    "entries it covers"
)
RULE_AMENDED = "amended final results replace the rate they correct (19 CFR 351.224(e))"
RULE_PROJECTED = "preliminary results: a projection, not the assessment (19 CFR 351.213(h))"
RULE_ASSESSED = "assessed duty = entered value x assessment rate, rounded half up to the cent"
RULE_DIFFERENCE = "difference = assessed duty - deposit paid: positive is owed, negative is refunded"
RULE_PROVISIONAL_CAP = (
    "19 U.S.C. 1671f(a)/1673f(a): entered before the ITC's final determination, so a final duty above "
    "the deposit is disregarded and one below it is refunded"
)
RULE_NO_INTEREST_BEFORE_ORDER = (
    "19 U.S.C. 1677g(a): no interest on entries made before the order was published"
)


@dataclass(frozen=True)
class EntryLine:
    """The figures of one entry summary line for one case (USD, percent ad valorem)."""

    entry_number: str
    entry_date: date
    entered_value_usd: Decimal
    deposit_rate_pct: Decimal
    deposit_paid_usd: Decimal


@dataclass(frozen=True)
class EntryParty:
    """Who an entry's rate depends on: the importer of record and the companies of the 351.107 cascade."""

    importer: str
    exporter: str | None
    producer: str | None
    country: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class ImporterRate:
    """An importer-specific assessment rate a results notice gives (percent ad valorem)."""

    importer: str
    exporter: str  # the respondent whose sales it belongs to; '' when the notice does not say
    rate_pct: Decimal


@dataclass(frozen=True)
class ResultsNotice:
    """A notice that decides a period's entries: results, amended results, a court decision, a rescission."""

    document_number: str
    case_number: str
    kind: str  # one of NOTICE_KINDS
    published: date
    period_start: date | None = None
    period_end: date | None = None
    company_rates: tuple[RateOption, ...] = ()  # the notice's rate rows, for the 351.107 cascade
    importer_rates: tuple[ImporterRate, ...] = ()
    unreviewed_rate_pct: Decimal | None = None  # the rate named for companies not individually reviewed
    rescinded_companies: tuple[str, ...] = ()  # a rescission with none listed rescinds the whole review

    def __post_init__(self) -> None:
        if self.kind not in NOTICE_KINDS:
            raise ValueError(f"unknown results notice kind {self.kind!r}; expected one of {NOTICE_KINDS}")


@dataclass(frozen=True)
class AssessmentRate:
    """The rate that assesses an entry, which rule chose it and the notice it comes from."""

    rate_pct: Decimal
    which: str  # one of RATE_SOURCES
    source_document_number: str  # the deciding notice ('' for a deposit rate with no notice)
    projected: bool  # True when only preliminary results decide it
    rule: str
    cascade_step: str = ""  # for 'company'/'unreviewed_companies' by cascade: the 351.107 step
    matched_name: str = ""  # the company or importer name the rate was matched to
    match_status: str = ""  # exact, alias or fuzzy (worker/rules/names.py)
    notes: tuple[str, ...] = ()


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


def choose_assessment_rate(
    party: EntryParty,
    entry: EntryLine,
    notices: Sequence[ResultsNotice],
    *,
    aliases: Mapping[str, str] | None = None,
    threshold: int,
) -> AssessmentRate:
    """The assessment rate for one entry from the notices of its case and period (any order).

    The governing notice is the newest decisive one: a court decision or amended final results
    naming the entry's company (or importer) win over the final results; final results over
    preliminary ones (then projected=True). A rescission naming the company (or the whole
    review), or a no_review notice, gives the deposit rate at entry. ValueError when no notice
    is given or notices of several cases are mixed.
    """
    raise NotImplementedError


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

    With the order's dates, entries before its publication get no interest (1677g(a)) and
    entries before the ITC's final determination have the provisional-measures cap
    (1671f(a)/1673f(a)); without them neither applies (stated in notes).
    """
    raise NotImplementedError


def total_assessments(assessments: Sequence[EntryAssessment]) -> AssessmentTotals:
    """Totals summed from the rounded per-entry figures."""
    raise NotImplementedError
