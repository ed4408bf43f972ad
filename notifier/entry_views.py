"""The view of the entry_assessment message: what a results notice costs an importer's entries."""

# No `from __future__ import annotations`: NotRequired must be seen at class creation (see views.py).
from typing import NotRequired

from typing_extensions import TypedDict

from notifier.views import NoticeView, ProductsCsvView, RecipientView


class EntryRowView(TypedDict):
    """One entry a results notice decides: its figures in USD to the cent (decimal strings)."""

    entry_number: str
    entry_date: str
    sku: str
    company: str
    company_match: str  # the 351.107 step and name the rate was matched to
    entered_value: str
    deposit_rate: str
    deposit_paid: str
    rate: str
    rate_which: str
    assessed_duty: str
    difference: str  # + owed, - refund
    interest: str
    total: str
    # What the order's dates did to the figures ('' when nothing), e.g. 'gap period: no duty'.
    order_dates: str


class EntryTotalsView(TypedDict):
    entries: int
    deposit_paid: str
    assessed_duty: str
    owed: str
    refund: str
    interest_owed: str
    interest_refund: str
    net: str  # + owed, - refunded, with interest
    direction: str  # owed, refund or none


class DatedWindowView(TypedDict):
    """An expected liquidation window: earliest..latest (a deadline when latest is set), with its rule."""

    kind: str
    label: str
    earliest: str | None
    latest: str | None
    rule: str


class EntryAssessmentView(TypedDict):
    """What one results notice costs one importer's entries of one case: the entry_assessment template."""

    template: str
    kind: str
    severity: str
    notice: NoticeView
    case_number: str
    product: str
    results_kind: str  # preliminary, final, amended_final, court_decision, rescission
    projection: bool
    period_start: str | None
    period_end: str | None
    entries: list[EntryRowView]  # at most MAX_ENTRIES_SHOWN; every entry is in the CSV attachment
    entry_count: int
    totals: EntryTotalsView
    windows: list[DatedWindowView]
    interest_through: str | None
    rules: list[str]  # the rules of the rate, the figures, interest and rounding
    importer: str
    role: str
    recipient: RecipientView
    today: str
    products_csv: NotRequired[ProductsCsvView]  # the attachment delivery sends: here, every entry's figures
