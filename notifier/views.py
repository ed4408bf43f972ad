"""The typed views the notifier renders: what the worker hands over, stored as the same JSON.

TypedDicts are plain dicts at run time, so an alert's stored payload (JSON) is unchanged; mypy
checks that the worker builds every key the templates read. Money and rates are decimal strings.
"""

# No `from __future__ import annotations`: NotRequired must be seen at class creation, and
# typing_extensions.TypedDict is what pydantic validates on Python 3.11 (tests check stored payloads).
from typing import Any, NotRequired

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
