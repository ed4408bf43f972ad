"""One way in for every source: a finished record becomes a notice, changes the catalog, and is routed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.finished import Batch, FinishedRecord, FollowUp, OwnAlerts
from worker.alerts.holds import BulkHold, hold_if_bulk
from worker.alerts.routing import route_notice_events
from worker.catalog.apply import CatalogChange, apply_notice
from worker.entries.on_notice import entries_on_notice
from worker.ingest.filing_cases import cases_named_by_filing
from worker.ingest.follow_ups import amend, follow_up
from worker.ingest.full_text import save_waiting
from worker.ingest.signals import record_events
from worker.storage import notice_rows, source_rows
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


def record_failure(engine: Engine, source: str, error: str, now: datetime) -> None:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, source)
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


def ingest_record(
    session: Session,
    record: FinishedRecord,
    *,
    source: str,
    now: datetime,
    primed: bool,
    threshold: int,
    report: PollReport,
    bulk_hold: BulkHold | None = None,
) -> list[Alert]:
    """Save the notice (a filing seen on public inspection becomes the published notice: same row, same
    thread, and a notice that names no case takes the filing's), apply it to the catalog, and route its
    events (record_events) unless the poll primes; a bulk is held."""
    number = record.document_number
    known = notice_rows.load_notice(session, number)
    if record.only_if_new and known is not None:
        return []
    columns = {**record.columns, "source": source, "updated_at": now}
    catalog = record.catalog
    if catalog is not None and not catalog.facts.case_numbers and known is not None:
        named = cases_named_by_filing(known, catalog.classification)
        if named:
            # Borrowed, not read from this notice: its revocation revokes none of them.
            catalog = replace(catalog, facts=replace(catalog.facts, case_numbers=named), cases_read=())
            columns["facts"] = {**columns["facts"], "case_numbers": list(named)}
    notice = known or Notice(document_number=number, first_seen_at=now, **columns)
    for name, value in columns.items():
        setattr(notice, name, value)
    session.add(notice)
    session.flush()
    change = CatalogChange()
    if catalog is not None:
        facts = catalog.facts
        change = apply_notice(
            session,
            document_number=number,
            title=record.title,
            published=catalog.published,
            classification=catalog.classification,
            facts=facts,
            source=source,
            cases_read=catalog.cases_read,
        )
        notice.unread = list(facts.unread)
        report.cases_touched += len(change.cases_touched)
        report.rates_added += change.rates_added
        if facts.unread:
            report.unread[number] = list(facts.unread)
        # A published notice: it may decide imported entries.
        entry_alerts = entries_on_notice(
            session, notice, now=now, threshold=threshold, citation=record.citation, alert=not primed
        )
        report.alerts_created += len(entry_alerts)
    if primed:
        return []
    alerts = route_notice_events(
        session,
        notice=notice,
        events=record_events(session, notice, record, change),
        now=now,
        threshold=threshold,
        citation=record.citation,
    )
    if record.own_alerts is not None:
        keep_apart(session, alerts, record.own_alerts, number)
    if bulk_hold and hold_if_bulk(
        session, alerts, document_number=number, title=record.title, rule=bulk_hold, now=now
    ):
        report.alerts_held += len(alerts)
        return []
    report.alerts_created += len(alerts)
    return alerts


def keep_apart(session: Session, alerts: list[Alert], own: OwnAlerts, document_number: str) -> None:
    """A record's alerts as its own outbox items: the published notice's alert is not deduped against them."""
    for alert in alerts:
        alert.dedupe_key = f"{own.scope}:{document_number}:subscriber:{alert.subscriber_id}"
        if own.payload:
            alert.payload = {**alert.payload, **own.payload}
        session.add(alert)


def save_source_state(session: Session, source: str, batch: Batch, *, now: datetime) -> None:
    """After a batch: its cursor (never backwards) and validators, the source's last success, and the
    results set aside counted as a failure of the poll that saved the others."""
    validators = batch.validators
    source_rows.save_poll_success(
        session,
        source,
        now=now,
        cursor=batch.cursor,
        etag=validators.etag if validators else None,
        last_modified=validators.last_modified if validators else None,
        keep_validators=validators is None,
    )
    if batch.set_aside:
        source_rows.record_set_aside(session, source, batch.set_aside)


def save_batch(
    engine: Engine,
    source: str,
    batch: Batch,
    *,
    primed: bool,
    now: datetime,
    threshold: int,
    report: PollReport,
    bulk_hold: BulkHold | None = None,
) -> None:
    """A batch's records, catalog changes, alerts and the source's state: one transaction, all or nothing.
    Then, apart, the documents still waiting for their full text keep the count of their attempts."""
    with transaction(engine) as session:
        for record in batch.records:
            if isinstance(record, FinishedRecord):
                ingest_record(
                    session,
                    record,
                    source=source,
                    now=now,
                    primed=primed,
                    threshold=threshold,
                    report=report,
                    bulk_hold=bulk_hold,
                )
            elif isinstance(record, FollowUp):
                report.alerts_created += len(follow_up(session, record, now=now))
            else:
                amend(session, record, now=now)
        save_source_state(session, source, batch, now=now)
    report.documents_saved += sum(isinstance(r, FinishedRecord) for r in batch.records)
    if batch.waiting:
        with transaction(engine) as session:
            for wait in batch.waiting:
                save_waiting(session, wait, source=source, now=now)
