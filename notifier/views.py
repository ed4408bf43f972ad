"""The typed views the notifier renders: what the worker hands over, stored as the same JSON.

TypedDicts are plain dicts at run time, so an alert's stored payload (JSON) is unchanged; mypy
checks that the worker builds every key the templates read. Money and rates are decimal strings.
"""

# No `from __future__ import annotations`: NotRequired must be seen at class creation, and
# typing_extensions.TypedDict is what pydantic validates on Python 3.11 (tests check stored payloads).
from collections.abc import Mapping
from typing import Any, NotRequired, cast

from typing_extensions import TypedDict


class NoticeView(TypedDict):
    document_number: str
    title: str
    kind: str
    publication_date: str | None
    effective_date: str | None
    html_url: str
    pdf_url: str
    citation: str
    source: str
    on_public_inspection: bool
    is_correction: bool


class DeadlineView(TypedDict):
    """A deadline with the sentence it came from and its citation."""

    case_number: str
    kind: str
    label: str
    due: str
    business_days_left: int
    sentence: str
    citation: str
    advice: str


class EventView(TypedDict):
    kind: str
    severity: str
    case_number: str
    summary: str
    effective_date: str | None
    details: dict[str, Any]
    deadline: DeadlineView | None


class CaseView(TypedDict):
    case_number: str
    case_type: str
    country: str
    country_name: str
    product: str
    status: str
    non_market_economy: bool


class RecipientView(TypedDict):
    email: str
    role: str
    importer: str
    time_zone: str


class MatchView(TypedDict):
    """Why one case reaches one product (HTS level, country) and the deposit rate that applies."""

    case_number: str
    case_type: str
    case_product: str
    case_status: str
    country_name: str
    listed_hts: str
    level: int | None
    relation: str
    standing: str
    confidence: str
    match_basis: str
    candidate_only: bool
    step: str
    step_label: str
    step_citation: str
    rate: str | None
    rate_company: str
    rate_notice: str | None
    rate_effective: str | None
    name_score: int | None
    name_status: str
    possible_name: str
    possible_score: int | None
    exposure: str | None
    rate_changed: bool
    previous_rate: str | None
    previous_step_label: str
    previous_exposure: str | None
    exposure_change: str | None
    notes: list[str]
    changed_companies: list[str]


class RateStackView(TypedDict):
    """AD and CVD deposits on one entry, stacked (with the total before the notice when it moved)."""

    cases: str
    both: bool
    total_rate: str | None
    complete: bool
    exposure: str | None
    changed: bool
    previous_total_rate: str | None
    previous_exposure: str | None
    notes: list[str]


class ProductView(TypedDict):
    sku: str
    description: str
    hts: str
    country: str
    country_name: str
    producer: str
    exporter: str
    annual_entered_value: str | None
    candidate_only: bool
    matches: list[MatchView]
    stacks: list[RateStackView]
    rate_changed: bool


class CalendarEntryView(TypedDict):
    """One deadline as notifier.ics.CalendarEntry.from_view reads it (UID stable per deadline)."""

    uid: str
    day: str
    due_at: str | None  # ISO moment (a filing cut-off such as 5:00 p.m. Eastern), or an all-day event
    time_zone: str
    summary: str
    description: str
    url: str
    alarm_minutes: list[int]  # before the start, one per reminder rung
    sequence: NotRequired[int]  # a feed's revision count of the deadline
    last_modified: NotRequired[str]  # ISO moment it was last stated (a feed's entries)


class CalendarView(TypedDict):
    filename: str
    entries: list[CalendarEntryView]


class ProductsCsvView(TypedDict):
    """Every product line of a large portfolio as gzip-compressed CSV in base64 (alerts.alert_products)."""

    filename: str
    gzip_base64: str
    rows: int
    left_out: int


class AlertProductFields(TypedDict):
    """An alert's products: at most a screenful in full, the count, and the rest as a CSV attachment."""

    products: list[ProductView]
    skus: list[str]
    product_count: int
    products_csv: NotRequired[ProductsCsvView]


class AlertView(AlertProductFields):
    """One alert about one notice to one subscriber: the payload alert_<kind> templates render."""

    template: str
    kind: str
    severity: str
    notice: NoticeView
    events: list[EventView]
    digest_events: list[EventView]
    deadlines: list[DeadlineView]
    cases: list[CaseView]
    importer: str
    role: str
    recipient: RecipientView
    today: str
    ics: NotRequired[CalendarView]
    completes: NotRequired[str]


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


# Every view a message is rendered from; the stored payload's `template` says which.
MessageView = AlertView | ReminderView | DigestView | BaselineView | OperatorView | PreferencesLinkView


def stored_alert_view(payload: Mapping[str, Any]) -> AlertView:
    """A stored alert's payload (kinds other than reminder, digest, baseline, operator) as its view."""
    return cast(AlertView, dict(payload))


def stored_view(payload: Mapping[str, Any]) -> MessageView:
    """An outbox row's stored payload as the view it was built as (the one place payloads are read back).

    The worker built it typed (mypy checks every builder), and JSON keeps its shape, so no run-time
    check is made here; tests validate each builder's output against its view with pydantic.
    """
    return cast(MessageView, dict(payload))
