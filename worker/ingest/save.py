"""One way in for every source: a finished record becomes a notice, changes the catalog, and is routed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.records import Classification, NoticeFacts
from worker.alerts.holds import BulkHold, hold_if_bulk
from worker.alerts.routing import route_notice_events
from worker.catalog.apply import CatalogChange, apply_notice
from worker.catalog.events import Event
from worker.storage import store
from worker.storage.db import transaction
from worker.storage.models import Alert, Notice

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    source: str
    ok: bool = True
    primed: bool = False
    not_modified: bool = False
    documents_seen: int = 0
    documents_new: int = 0
    cases_touched: int = 0
    rates_added: int = 0
    alerts_created: int = 0
    alerts_held: int = 0  # held for the operator by the bulk-alert circuit breaker (worker.alerts.holds)
    requests: int = 0
    error: str | None = None
    unread: dict[str, list[str]] = field(default_factory=dict)
    skipped: str | None = None  # why this poll did nothing (another worker holds the source's poll lock)
    set_aside: dict[str, str] = field(default_factory=dict)  # unreadable search results, with the reason
    gave_up: dict[str, str] = field(default_factory=dict)  # full texts that never came: metadata only
    documents_saved: int = 0  # in batches committed by this poll (kept even when a later batch fails)


def jsonable(value: Any) -> Any:
    """Facts as JSON for the notice row: dates ISO, decimals as strings, enums by value."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def record_failure(engine: Engine, source: str, error: str, now: datetime) -> None:
    with transaction(engine) as session:
        state = store.load_source_state(session, source)
        state.consecutive_failures += 1
        state.last_error = error[:500]
        state.last_attempt_at = now
        session.add(state)


def failed_poll(
    engine: Engine,
    report: PollReport,
    error: Exception,
    *,
    requests: int,
    now: datetime,
    dry_run: bool = False,
) -> PollReport:
    """A poll that failed: the report says why, the log warns, and the source counts one more failure."""
    report.ok, report.error = False, str(error)
    report.requests = requests
    log.warning("poll %s failed: %s", report.source, error)
    if not dry_run:
        record_failure(engine, report.source, str(error), now)
    return report


@dataclass(frozen=True)
class CatalogEntry:
    """What a record tells the catalog: the notice's classification and the facts read from it."""

    classification: Classification
    facts: NoticeFacts
    published: date | None
    # The case numbers read from the notice itself; None: all of facts.case_numbers were. Only these
    # can a revocation mark revoked (worker.catalog.apply).
    cases_read: tuple[str, ...] | None = None


@dataclass(frozen=True)
class NoticeRecord:
    """A watcher's finished record, as the notice row to save and what it changes in the catalog."""

    document_number: str
    title: str
    columns: dict[str, Any]  # the notice row's columns (facts as JSON), set on a new or a known row
    catalog: CatalogEntry | None  # None: a filing on public inspection is not law, the catalog stays
    citation: str | None = None


# The events a saved notice raises: the catalog's change by default; a source may add its own
# (trade.gov's early signal, a public-inspection filing's stage events).
EventHook = Callable[[Session, Notice, CatalogChange], list[Event]]
AlertHook = Callable[[list[Alert]], None]


def catalog_events(session: Session, notice: Notice, change: CatalogChange) -> list[Event]:
    return change.events


def ingest_record(
    session: Session,
    record: NoticeRecord,
    *,
    source: str,
    now: datetime,
    primed: bool,
    threshold: int,
    report: PollReport,
    bulk_hold: BulkHold | None = None,
    events: EventHook = catalog_events,
    dress_alerts: AlertHook | None = None,
) -> list[Alert]:
    """Save the notice (a filing seen on public inspection becomes the published notice: same row, same
    thread), apply it to the catalog, and route its events unless the poll primes; a bulk is held."""
    number = record.document_number
    notice = store.load_notice(session, number) or Notice(
        document_number=number, first_seen_at=now, **record.columns
    )
    for name, value in record.columns.items():
        setattr(notice, name, value)
    session.add(notice)
    session.flush()
    change = CatalogChange()
    if record.catalog is not None:
        facts = record.catalog.facts
        change = apply_notice(
            session,
            document_number=number,
            title=record.title,
            published=record.catalog.published,
            classification=record.catalog.classification,
            facts=facts,
            source=source,
            cases_read=record.catalog.cases_read,
        )
        notice.unread = list(facts.unread)
        report.cases_touched += len(change.cases_touched)
        report.rates_added += change.rates_added
        if facts.unread:
            report.unread[number] = list(facts.unread)
    if primed:
        return []
    alerts = route_notice_events(
        session,
        notice=notice,
        events=events(session, notice, change),
        now=now,
        threshold=threshold,
        citation=record.citation,
    )
    if dress_alerts is not None:
        dress_alerts(alerts)
    if bulk_hold and hold_if_bulk(
        session, alerts, document_number=number, title=record.title, rule=bulk_hold, now=now
    ):
        report.alerts_held += len(alerts)
        return []
    report.alerts_created += len(alerts)
    return alerts
