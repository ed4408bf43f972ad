"""The database tables (SQLModel): source state, notices, the case catalog, portfolios and the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Numeric, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = True, index: bool = False) -> Any:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def rate_column() -> Any:
    return Column(Numeric(12, 4), nullable=True)


def json_column() -> Any:
    return Column(JSON, nullable=False, default=dict)


class SourceState(SQLModel, table=True):
    __tablename__ = "source_state"

    name: str = Field(primary_key=True)
    cursor: str | None = None  # the newest publication date fully read, ISO
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: datetime | None = Field(default=None, sa_column=utc_column())
    last_attempt_at: datetime | None = Field(default=None, sa_column=utc_column())
    consecutive_failures: int = 0
    last_error: str | None = None
    operator_alerted: bool = False
    # Running totals since the database was made, for /metrics (worker.storage.poll_counts).
    polls_total: int = 0
    failures_total: int = 0
    documents_read_total: int = 0
    last_failure_at: datetime | None = Field(default=None, sa_column=utc_column())


class Notice(SQLModel, table=True):
    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    document_number: str = Field(unique=True, index=True)
    source: str = "federal_register"
    publication_date: date | None = Field(default=None, index=True)
    effective_date: date | None = None
    title: str
    kind: str = Field(index=True)
    agency: str = "ita"
    case_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_correction: bool = False
    revokes: str = "none"
    html_url: str | None = None
    pdf_url: str | None = None
    xml_url: str | None = None
    content_hash: str | None = None
    on_public_inspection: bool = False
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    unread: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    first_seen_at: datetime | None = Field(default=None, sa_column=utc_column())
    updated_at: datetime | None = Field(default=None, sa_column=utc_column())


class Case(SQLModel, table=True):
    __tablename__ = "case"

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(unique=True, index=True)  # A-570-148
    case_type: str  # AD or CVD
    country: str = Field(index=True)  # ISO 3166-1 alpha-2
    country_name: str = ""
    product: str = ""
    status: str = "unknown"  # investigation, order, suspended, revoked, terminated, unknown
    order_date: date | None = None
    revoked_date: date | None = None
    source: str = ""
    as_of: date | None = None


class CaseHts(SQLModel, table=True):
    __tablename__ = "case_hts"
    __table_args__ = (UniqueConstraint("case_number", "hts"),)

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, foreign_key="case.case_number")
    hts: str = Field(index=True)  # digits only, 4 to 10
    source: str = ""
    as_of: date | None = None


class CompanyRate(SQLModel, table=True):
    __tablename__ = "company_rate"
    __table_args__ = (UniqueConstraint("case_number", "exporter", "producer", "notice_document_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(index=True, foreign_key="case.case_number")
    exporter: str = ""  # empty string, not NULL, so the unique constraint holds
    producer: str = ""
    rate: Decimal | None = Field(default=None, sa_column=rate_column())
    cash_deposit: Decimal | None = Field(default=None, sa_column=rate_column())
    basis: str  # combination, company, all_others, country_wide
    effective_date: date | None = None
    notice_document_number: str = ""
    footnotes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_text: str = ""


class Deadline(SQLModel, table=True):
    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("case_number", "kind", "due_date", "notice_document_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(default="", index=True)  # empty for omnibus deadlines
    kind: str
    due_date: date = Field(index=True)
    sentence: str = ""
    citation: str = ""
    notice_document_number: str = ""


class Importer(SQLModel, table=True):
    __tablename__ = "importer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    token_version: int = 0  # signed links (worker.web.tokens) carry it; bumping it revokes them all


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (UniqueConstraint("importer_id", "sku"),)

    id: int | None = Field(default=None, primary_key=True)
    importer_id: int = Field(foreign_key="importer.id", index=True)
    sku: str
    description: str = ""
    hts: str = Field(index=True)  # digits only
    country: str = Field(index=True)  # ISO 3166-1 alpha-2
    producer: str = ""
    exporter: str = ""
    annual_entered_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(16, 2)))


class CompanyAlias(SQLModel, table=True):
    """A name an importer's records use for a company Commerce lists under another name."""

    __tablename__ = "company_alias"
    __table_args__ = (UniqueConstraint("importer_id", "alias"),)

    id: int | None = Field(default=None, primary_key=True)
    importer_id: int = Field(foreign_key="importer.id", index=True)
    alias: str
    canonical: str


class Subscriber(SQLModel, table=True):
    __tablename__ = "subscriber"
    __table_args__ = (UniqueConstraint("email", "importer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True)
    importer_id: int | None = Field(default=None, foreign_key="importer.id")
    role: str  # importer, counsel, ops
    digest: str = "weekly"  # weekly or none
    time_zone: str = "UTC"
    preferences: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    unsubscribe_token: str = ""
    token_version: int = 0  # signed links (worker.web.tokens) carry it; bumping it revokes them all
    created_at: datetime | None = Field(default=None, sa_column=utc_column())
    # How alerts reach them: email (to `email`), or an HTTP POST to `channel_url` (webhook, slack, teams).
    channel: str = Field(default="email", sa_column_kwargs={"server_default": "email"})
    channel_url: str | None = None  # a secret in itself (Slack and Teams URLs carry their key): never logged
    signing_secret: str | None = None  # webhook only: the HMAC-SHA256 key of X-Adcvd-Signature


class Alert(SQLModel, table=True):
    """The outbox: one row per message to one subscriber, sent at most once by its dedupe key."""

    __tablename__ = "alert"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, index=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    kind: str  # the event kind, or reminder, digest, baseline, operator
    case_number: str = ""
    notice_document_number: str = ""
    product_id: int | None = None
    thread_key: str = ""  # alerts sharing it thread under the first one's Message-ID
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    status: str = Field(default="pending", index=True)  # pending, sending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    claimed_until: datetime | None = Field(default=None, sa_column=utc_column())
    last_error: str | None = None
    message_id: str | None = None
    created_at: datetime | None = Field(default=None, sa_column=utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_column())


class DigestRun(SQLModel, table=True):
    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("subscriber_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id")
    week_start: date
    alert_dedupe_key: str = ""
    created_at: datetime | None = Field(default=None, sa_column=utc_column())


class Dismissal(SQLModel, table=True):
    """A case an importer has judged does not reach one of its SKUs: never alerted again for it."""

    __tablename__ = "dismissal"
    __table_args__ = (UniqueConstraint("importer_id", "sku", "case_number"),)

    id: int | None = Field(default=None, primary_key=True)
    importer_id: int = Field(foreign_key="importer.id", index=True)
    sku: str
    case_number: str
    created_at: datetime | None = Field(default=None, sa_column=utc_column())


class Entry(SQLModel, table=True):
    """One line of an importer's entry summary under one case: the importer's confidential data."""

    __tablename__ = "entry"
    __table_args__ = (UniqueConstraint("importer_id", "entry_number", "case_number"),)

    id: int | None = Field(default=None, primary_key=True)
    importer_id: int = Field(foreign_key="importer.id", index=True)
    entry_number: str
    entry_date: date
    sku: str = ""
    hts: str = ""  # digits only, or empty when the SKU identifies the product
    country: str = ""  # ISO 3166-1 alpha-2, or empty
    producer: str = ""
    exporter: str = ""
    entered_value: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    case_number: str = Field(index=True)
    deposit_rate: Decimal = Field(sa_column=Column(Numeric(12, 4), nullable=False))  # percent
    deposit_paid: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    liquidation_status: str = "unliquidated"  # unliquidated, liquidated, extended, suspended
    product_id: int | None = None  # the portfolio product it is, when the SKU or the fields match one
    imported_at: datetime | None = Field(default=None, sa_column=utc_column())


class EntryAssessment(SQLModel, table=True):
    """What one results notice decides for one entry: the rate, the duty, the difference, the interest."""

    __tablename__ = "entry_assessment"
    __table_args__ = (UniqueConstraint("entry_id", "notice_document_number"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    notice_document_number: str = Field(index=True)
    notice_kind: str
    projection: bool = False  # preliminary results: what final results at these rates would cost
    period_start: date | None = None
    period_end: date | None = None
    rate: Decimal = Field(sa_column=Column(Numeric(12, 4), nullable=False))  # assessment rate, percent
    rate_rule: str = ""  # which rate and why (importer-specific, company, unreviewed, deposit)
    company_match: str = ""  # the 351.107 step that matched the entry's producer/exporter
    assessed_duty: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    difference: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))  # + owed, - refund
    interest: Decimal = Field(sa_column=Column(Numeric(16, 2), nullable=False))
    interest_through: date | None = None
    liquidation_from: date | None = None
    liquidation_to: date | None = None
    decided_at: datetime | None = Field(default=None, sa_column=utc_column())
