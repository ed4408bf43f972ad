"""The views of the messages that are not about one notice: reminders, the weekly digest, the
baseline report and operator notes (stored as the same JSON the templates read)."""

# No `from __future__ import annotations`: NotRequired must be seen at class creation (see views.py).
from typing import NotRequired

from typing_extensions import TypedDict

from notifier.views import CalendarView, CaseView, DeadlineView, ProductsCsvView, ProductView, RecipientView


class DeadlineProductView(TypedDict):
    """A product a deadline concerns, and how the case reaches it."""

    sku: str
    description: str
    hts: str
    country: str
    level: int | None
    listed_hts: str
    standing: str
    confidence: str


class DeadlineItemView(DeadlineView):
    """A deadline ahead for an importer (reminders, digest, baseline): which products, which notice."""

    key: str
    case_numbers: list[str]
    case_product: str
    country: str
    country_name: str
    calendar_days_left: int
    notice_document_number: str
    notice_url: str
    source: str
    skus: list[str]
    products: list[DeadlineProductView]


class PossibleMatchView(TypedDict):
    """A case that may reach a product (description words, or a weak HTS relation): listed apart."""

    sku: str
    description: str
    hts: str
    country: str
    case_number: str
    case_type: str
    case_product: str
    case_status: str
    level: int | None
    confidence: str
    match_basis: str


class UnreachedProductView(TypedDict):
    sku: str
    description: str
    hts: str
    country: str


class ReminderView(TypedDict):
    """One rung of a deadline's reminder ladder to one subscriber: the `reminder` template."""

    template: str
    kind: str
    severity: str
    rung: int
    deadline: DeadlineItemView
    importer: str
    recipient: RecipientView
    today: str
    ics: CalendarView


class DigestPeriodView(TypedDict):
    start: str
    last_day: str
    week_start: str
    weeks: int
    catch_up: bool


class DigestEventRow(TypedDict):
    """One event of the week, from an alert sent (or folded into the digest) in the period."""

    day: str
    kind: str
    severity: str
    case_number: str
    summary: str
    document_number: str
    title: str
    citation: str
    url: str
    skus: str
    alerted: bool


class ExposureRow(TypedDict):
    """One product and AD/CVD stack: its total deposit rate and yearly exposure when both are known."""

    sku: str
    description: str
    hts: str
    country: str
    cases: str
    rate: str | None
    complete: bool
    annual_entered_value: str | None
    exposure: str | None
    candidate_only: bool
    match: str


class ExposureTotal(TypedDict):
    known: str | None
    unknown_rate_products: int
    unknown_value_products: int


class LiabilityView(TypedDict):
    """An importer's open liability for one case and review period: its entries' figures to the cent."""

    importer: str
    case_number: str
    period_start: str | None
    period_end: str | None
    entries: int
    deposit_paid_usd: str
    assessed_duty_usd: str
    difference_usd: str
    interest_usd: str
    net_usd: str
    projection: bool
    liquidation_from: str | None
    liquidation_to: str | None
    interest_through: str | None
    notices: str


class DigestView(TypedDict):
    """The weekly digest to one subscriber: the `digest` template."""

    template: str
    kind: str
    period: DigestPeriodView
    events: list[DigestEventRow]
    high_events: int
    deadlines: list[DeadlineItemView]
    deadline_days: int
    exposure: list[ExposureRow]
    total_exposure: ExposureTotal
    possible: list[PossibleMatchView]
    possible_count: int
    liabilities: list[LiabilityView]
    product_count: int
    importer: str
    recipient: RecipientView
    today: str


class BaselineKnownView(TypedDict):
    """What the baseline showed, so routing never announces it as new later (keys `notice:case`)."""

    deadlines: list[str]
    notices: list[str]


class BaselineProductFields(TypedDict):
    """The baseline's products, bounded like an alert's: counts and a CSV only when cut short."""

    products: list[ProductView]
    unreached: list[UnreachedProductView]
    products_csv: NotRequired[ProductsCsvView]
    reached_count: NotRequired[int]
    unreached_count: NotRequired[int]


class BaselineView(BaselineProductFields):
    """What already reaches a portfolio when it is subscribed: the `baseline` template."""

    template: str
    kind: str
    cases: list[CaseView]
    possible: list[PossibleMatchView]
    possible_count: int
    product_count: int
    deadlines: list[DeadlineItemView]
    deadline_days: int
    importer: str
    recipient: RecipientView
    today: str
    known: BaselineKnownView


class OperatorView(TypedDict):
    """A message to the operator (held alerts, a failing source): the `operator` template."""

    template: str
    subject: str
    lines: list[str]


class PreferencesLinkView(TypedDict):
    """A new preferences link asked for on the web page: the `preferences_link` template (the link itself
    is signed at send time and given as `links.preferences_link`, never stored)."""

    template: str
    recipient: RecipientView
    link_days: int
