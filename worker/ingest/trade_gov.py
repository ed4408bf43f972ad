"""One poll of trade.gov case announcements: the early signal, days before the Federal Register notice."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.http import Fetcher, SourceError, Validators
from watchers.records import Agency, Classification, NoticeKind, Revokes
from watchers.trade_gov import Announcement
from watchers.trade_gov_records import announcement_facts, announcement_number, classification_of, read_new
from worker.alerts.holds import BulkHold
from worker.catalog.apply import CatalogChange
from worker.catalog.events import Event, EventKind, Severity
from worker.ingest.save import (
    CatalogEntry,
    EventHook,
    NoticeRecord,
    PollReport,
    failed_poll,
    ingest_record,
    jsonable,
)
from worker.storage import store
from worker.storage.db import transaction
from worker.storage.models import Notice

TRADE_GOV = "trade_gov"


def early_signal_events(announcement: Announcement, *, document_number: str) -> list[Event]:
    kind = announcement.kind.value.replace("_", " ") if announcement.kind else "announcement"
    outcome = f"{announcement.outcome} " if announcement.outcome else ""
    parts = [
        f"Commerce announced a {outcome}{kind} on trade.gov"
        + (f" on {announcement.announced.isoformat()}" if announcement.announced else "")
    ]
    if announcement.country_wide_rate is not None:
        parts.append(f"country-wide entity rate {announcement.country_wide_rate}%")
    if announcement.all_others_rate is not None:
        parts.append(f"all-others rate {announcement.all_others_rate}%")
    if announcement.rates:
        parts.append(f"{len(announcement.rates)} company rates announced")
    parts.extend(
        f"{step.event.replace('_', ' ')} expected {step.due.isoformat()}" for step in announcement.next_steps
    )
    parts.append("deposits start when the Federal Register notice is published, usually within days")
    summary = "; ".join(parts)
    return [
        Event(
            EventKind.EARLY_SIGNAL,
            Severity.MEDIUM,
            case_number,
            document_number,
            summary,
            details={"announced_kind": announcement.kind.value if announcement.kind else ""},
        )
        for case_number in announcement.case_numbers
    ]


def early_signal_hook(announcement: Announcement) -> EventHook:
    """The events of a saved announcement: its early signal, not the catalog's change."""

    def events(session: Session, notice: Notice, change: CatalogChange) -> list[Event]:
        return early_signal_events(announcement, document_number=notice.document_number)

    return events


def notice_record(announcement: Announcement, *, now: datetime) -> NoticeRecord:
    """An announcement as the one record every source hands to ingest_record.

    Only its cases go to the catalog: a stage is set by the published notice, so the catalog sees an
    "other" notice; the stored kind is the announced one, and the whole announcement is kept as facts.
    """
    classification = classification_of(announcement)
    columns = {
        "source": TRADE_GOV,
        "publication_date": announcement.announced,
        "title": announcement.title,
        "kind": classification.kind.value,
        "agency": "ita",
        "case_types": [t.value for t in classification.case_types],
        "html_url": announcement.url,
        "facts": jsonable(asdict(announcement)),
        "unread": list(announcement.unread),
        "updated_at": now,
    }
    cases_only = Classification(NoticeKind.OTHER, Agency.ITA, (), False, Revokes.NONE)
    return NoticeRecord(
        document_number=announcement_number(announcement.url),
        title=announcement.title,
        columns=columns,
        catalog=CatalogEntry(cases_only, announcement_facts(announcement), announcement.announced),
    )


def _known(engine: Engine, numbers: list[str]) -> set[str]:
    with transaction(engine) as session:
        return store.known_document_numbers(session, numbers)


async def poll_trade_gov(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    name_threshold: int = 90,
    bulk_hold: BulkHold | None = None,
    dry_run: bool = False,
) -> PollReport:
    """Read new announcements; the first poll primes (stores what is listed, alerts nothing).

    With `dry_run`, what is new is read and reported, and nothing is stored."""
    report = PollReport(source=TRADE_GOV)
    with transaction(engine) as session:
        state = store.load_source_state(session, TRADE_GOV)
        primed = state.cursor is None
        validators = Validators(state.etag, state.last_modified)
    report.primed = primed
    before = fetcher.requests_made
    try:
        new = await read_new(
            fetcher, base_url=base_url, validators=validators, known=lambda numbers: _known(engine, numbers)
        )
    except (SourceError, ValueError) as exc:
        return failed_poll(
            engine, report, exc, requests=fetcher.requests_made - before, now=now, dry_run=dry_run
        )
    report.not_modified = new.not_modified
    report.documents_seen = new.seen
    for number, error in new.not_fetched.items():
        report.unread[number] = [f"not fetched, will retry: {error}"]
    report.requests = fetcher.requests_made - before
    report.documents_new = len(new.announcements)
    if dry_run:
        return report
    with transaction(engine) as session:
        for announcement in new.announcements:
            ingest_record(
                session,
                notice_record(announcement, now=now),
                source=TRADE_GOV,
                now=now,
                primed=primed,
                threshold=name_threshold,
                report=report,
                bulk_hold=bulk_hold,
                events=early_signal_hook(announcement),
            )
        # With a page still to fetch, the validators are empty: the next poll sees the listing again.
        store.save_poll_success(
            session,
            TRADE_GOV,
            now=now,
            cursor=now.astimezone(UTC).date().isoformat(),
            etag=new.validators.etag,
            last_modified=new.validators.last_modified,
            keep_validators=new.not_modified,
        )
    return report
