"""Typed records that the watchers' parsers produce: the only shapes the worker reads from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class NoticeKind(StrEnum):
    """The kinds of docs/notice_kinds.md; every notice gets exactly one."""

    INVESTIGATION_INITIATION = "investigation_initiation"
    POSTPONEMENT = "postponement"
    PRELIMINARY_DETERMINATION = "preliminary_determination"
    FINAL_DETERMINATION = "final_determination"
    ORDER = "order"
    SUSPENSION_AGREEMENT = "suspension_agreement"
    REVIEW_OPPORTUNITY = "review_opportunity"
    REVIEW_INITIATION = "review_initiation"
    REVIEW_PRELIMINARY_RESULTS = "review_preliminary_results"
    REVIEW_FINAL_RESULTS = "review_final_results"
    REVIEW_RESCISSION = "review_rescission"
    NEW_SHIPPER_REVIEW = "new_shipper_review"
    CHANGED_CIRCUMSTANCES_REVIEW = "changed_circumstances_review"
    SUNSET_ADVANCE_NOTICE = "sunset_advance_notice"
    SUNSET_INITIATION = "sunset_initiation"
    SUNSET_RESULTS = "sunset_results"
    CONTINUATION = "continuation"
    REVOCATION = "revocation"
    SCOPE = "scope"
    CIRCUMVENTION = "circumvention"
    COURT_DECISION = "court_decision"
    ITC_INVESTIGATION = "itc_investigation"
    OTHER = "other"


class Agency(StrEnum):
    ITA = "ita"
    USITC = "usitc"
    OTHER = "other"


class Revokes(StrEnum):
    NONE = "none"
    FULL = "full"
    PARTIAL = "partial"


class CaseType(StrEnum):
    AD = "AD"
    CVD = "CVD"


class RateBasis(StrEnum):
    """Which step of the 19 CFR 351.107 cascade a rate row can serve."""

    COMBINATION = "combination"  # an exporter paired with a named producer
    COMPANY = "company"  # one company, as exporter or producer
    ALL_OTHERS = "all_others"  # market-economy residual rate
    COUNTRY_WIDE = "country_wide"  # non-market-economy entity rate


@dataclass(frozen=True)
class Classification:
    kind: NoticeKind
    agency: Agency
    case_types: tuple[CaseType, ...]
    is_correction: bool
    revokes: Revokes


@dataclass(frozen=True)
class DocumentMeta:
    """One Federal Register document as the search or public-inspection API describes it."""

    document_number: str
    title: str
    publication_date: date | None
    document_type: str = ""
    abstract: str | None = None
    action: str | None = None
    dates: str | None = None
    agencies: tuple[str, ...] = ()  # agency slugs, e.g. "international-trade-administration"
    docket_ids: tuple[str, ...] = ()
    html_url: str | None = None
    pdf_url: str | None = None
    full_text_xml_url: str | None = None
    body_html_url: str | None = None
    citation: str | None = None
    on_public_inspection: bool = False


@dataclass(frozen=True)
class SetAside:
    """A search result that could not be read: which one (its number, or its place) and why."""

    document: str
    reason: str


@dataclass(frozen=True)
class SearchPage:
    count: int
    documents: tuple[DocumentMeta, ...]
    next_page_url: str | None
    set_aside: tuple[SetAside, ...] = ()


@dataclass(frozen=True)
class RateRow:
    """One company rate as the notice states it, with the text of the row it came from."""

    case_type: CaseType | None
    case_number: str | None
    exporter: str | None
    producer: str | None
    rate: Decimal | None  # weighted-average dumping margin or subsidy rate, percent
    cash_deposit: Decimal | None  # only when the notice states a different deposit rate
    basis: RateBasis
    footnotes: tuple[str, ...] = ()
    source_text: str = ""


@dataclass(frozen=True)
class DeadlineFact:
    """A deadline a notice states, with the exact sentence; due is None when it could not be computed."""

    kind: str  # case_brief, rebuttal_brief, hearing_request, separate_rate_application, ...
    due: date | None
    sentence: str
    offset_days: int | None = None
    citation: str = ""
    case_number: str | None = None


@dataclass(frozen=True)
class ReviewOpportunity:
    """One row of the monthly review-opportunity notice."""

    case_number: str
    country: str
    product: str
    period_start: date | None
    period_end: date | None
    anniversary_month: int | None
    request_due: date | None


@dataclass(frozen=True)
class ReviewInitiation:
    """One case of the review-initiation notice: who is under review for which period."""

    case_number: str
    country: str
    product: str
    period_start: date | None
    period_end: date | None
    companies: tuple[str, ...]


@dataclass
class NoticeFacts:
    """Everything read from one notice's full text; `unread` lists what could not be read."""

    document_number: str | None = None
    title: str = ""
    publication_date: date | None = None
    case_numbers: tuple[str, ...] = ()  # the notice's own cases (DEPDOC), normalised A-570-148
    cited_case_numbers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # as named in the notice, e.g. "People's Republic of China"
    product: str | None = None
    period_of_review: tuple[date, date] | None = None
    effective_date: date | None = None
    hts_codes: tuple[str, ...] = ()  # digits only, 4 to 10 of them
    scope_text: str | None = None
    rates: list[RateRow] = field(default_factory=list)
    deadlines: list[DeadlineFact] = field(default_factory=list)
    review_opportunities: list[ReviewOpportunity] = field(default_factory=list)
    review_initiations: list[ReviewInitiation] = field(default_factory=list)
    rescinded_companies: tuple[str, ...] = ()  # the review is rescinded for these ('with respect to ...')
    unread: list[str] = field(default_factory=list)
