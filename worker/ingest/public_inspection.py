"""One poll of the public-inspection desk: ITA filings become notices marked as such, and first alerts."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.federal_register import body_hash, server_validators
from watchers.filed_pdf import FiledPdf, fetch_filed_pdf
from watchers.http import Fetcher, SourceError
from watchers.public_inspection import (
    Filing,
    fetch_public_inspection,
    filing_classification,
    filing_facts,
    parse_filings,
    select_agency_filings,
)
from watchers.records import Classification, DocumentMeta, NoticeFacts
from worker.alerts.holds import BulkHold
from worker.catalog.apply import CatalogChange
from worker.catalog.events import Event, EventKind, Severity, events_for_notice_kind
from worker.ingest.filed_pdf_retry import (
    RetriedCopies,
    mark_pdf_failed,
    retry_filed_copies,
    save_retried_copies,
)
from worker.ingest.filing_cases import CandidateCase, candidate_cases
from worker.ingest.save import EventHook, NoticeRecord, PollReport, failed_poll, ingest_record, jsonable
from worker.storage import outbox_rows, store
from worker.storage.db import transaction
from worker.storage.models import Alert, Notice

log = logging.getLogger(__name__)
PUBLIC_INSPECTION = "public_inspection"
WITHDRAWAL_FLAG = "withdrawal_requested"


def public_inspection_key(document_number: str, subscriber_id: int) -> str:
    """The filing's alert is its own outbox item: the published notice's alert is not deduped against it."""
    return f"public_inspection:{document_number}:subscriber:{subscriber_id}"


def withdrawal_key(document_number: str, subscriber_id: int) -> str:
    return f"public_inspection:{document_number}:withdrawal:subscriber:{subscriber_id}"


def filing_events(meta: DocumentMeta, kind_events: list[Event]) -> list[Event]:
    """The stage events the notice will raise, marked as coming from the filing (with its PDF and date)."""
    marks = {
        "public_inspection": True,
        "pdf_url": meta.pdf_url or "",
        "scheduled_publication": meta.publication_date.isoformat() if meta.publication_date else None,
    }
    return [dataclasses.replace(e, details={**e.details, **marks}) for e in kind_events]


def _day(value: date | None) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else "a date not yet set"


def candidate_events(filing: Filing, candidates: list[CandidateCase]) -> list[Event]:
    """One early signal per candidate case: the filing names a product and country, not its cases."""
    meta, subject = filing.meta, filing.subject
    what = "a correction" if subject.is_correction else "a notice"
    summary_head = (
        f"Commerce filed {what} on {subject.product} for publication on {_day(meta.publication_date)}; "
        "the kind of notice (review, sunset, order, ...) is not known yet"
    )
    return [
        Event(
            EventKind.EARLY_SIGNAL,
            Severity.MEDIUM,
            candidate.case.case_number,
            meta.document_number,
            f"{summary_head}. Candidate case because {candidate.why}",
            details={"candidate_because": candidate.why, "kind_known": False},
        )
        for candidate in candidates
    ]


def notice_record(
    filing: Filing, facts: NoticeFacts, classification: Classification, now: datetime
) -> NoticeRecord:
    """A filing as the one record every source hands to ingest_record; a filing is not law: no catalog."""
    meta = filing.meta
    facts_json: dict[str, Any] = jsonable(dataclasses.asdict(facts))
    facts_json[WITHDRAWAL_FLAG] = filing.subject.withdrawal_requested
    columns = {
        "source": PUBLIC_INSPECTION,
        "publication_date": meta.publication_date,  # scheduled, not yet published
        "title": meta.title,
        "kind": classification.kind.value,
        "agency": classification.agency.value,
        "case_types": [c.value for c in classification.case_types],
        "is_correction": classification.is_correction or filing.subject.is_correction,
        "revokes": classification.revokes.value,
        "html_url": meta.html_url,
        "pdf_url": meta.pdf_url,
        "on_public_inspection": True,
        "facts": facts_json,
        "unread": list(facts.unread),
        "updated_at": now,
    }
    return NoticeRecord(document_number=meta.document_number, title=meta.title, columns=columns, catalog=None)


def filing_hook(filing: Filing, facts: NoticeFacts, classification: Classification) -> EventHook:
    """The events of a saved filing: its stage events, or early signals to its candidate cases."""

    def events(session: Session, notice: Notice, change: CatalogChange) -> list[Event]:
        return _events(session, filing, notice, facts, classification)

    return events


def _events(
    session: Session, filing: Filing, notice: Notice, facts: NoticeFacts, classification: Classification
) -> list[Event]:
    meta = filing.meta
    if facts.case_numbers:
        kind_events = [
            event
            for case in facts.case_numbers
            for event in events_for_notice_kind(
                classification, case_number=case, document_number=meta.document_number, title=meta.title
            )
        ]
    else:
        candidates, unknown = candidate_cases(session, filing.subject)
        if unknown:
            notice.unread = [*notice.unread, "countries not recognised: " + ", ".join(unknown)]
        notice.facts = {**notice.facts, "candidate_cases": [c.case.case_number for c in candidates]}
        kind_events = candidate_events(filing, candidates)
    return filing_events(meta, kind_events)


def save_new_filing(
    session: Session,
    filing: Filing,
    *,
    now: datetime,
    threshold: int,
    report: PollReport,
    pdf: FiledPdf | None = None,
    pdf_problem: str | None = None,
    bulk_hold: BulkHold | None = None,
) -> list[Alert]:
    """Store the filing and route its alerts, each its own outbox item; the catalog is not changed."""
    facts = filing_facts(filing, pdf)
    if pdf_problem:
        facts.unread.append(pdf_problem)
    classification = filing_classification(filing, pdf)
    number = filing.meta.document_number

    def own_outbox_items(alerts: list[Alert]) -> None:
        for alert in alerts:
            alert.dedupe_key = public_inspection_key(number, alert.subscriber_id)
            if filing.subject.withdrawal_requested:
                alert.payload = {**alert.payload, "withdrawal": True}
            session.add(alert)

    return ingest_record(
        session,
        notice_record(filing, facts, classification, now),
        source=PUBLIC_INSPECTION,
        now=now,
        primed=False,
        threshold=threshold,
        report=report,
        bulk_hold=bulk_hold,
        events=filing_hook(filing, facts, classification),
        dress_alerts=own_outbox_items,
    )


def follow_withdrawal(session: Session, notice: Notice, *, now: datetime) -> list[Alert]:
    """A withdrawal request seen after the first alert: a follow-up in each thread, once."""
    if not notice.on_public_inspection or notice.facts.get(WITHDRAWAL_FLAG):
        return []
    notice.facts = {**notice.facts, WITHDRAWAL_FLAG: True}
    notice.updated_at = now
    session.add(notice)
    prefix = f"public_inspection:{notice.document_number}:subscriber:"
    follow_ups: list[Alert] = []
    for key in store.list_alert_keys(session, prefix=prefix):
        first = outbox_rows.load_alert_by_key(session, key)
        if first is None or first.status == "digest":
            continue
        follow_up = Alert(
            dedupe_key=withdrawal_key(notice.document_number, first.subscriber_id),
            subscriber_id=first.subscriber_id,
            kind=first.kind,
            case_number=first.case_number,
            notice_document_number=notice.document_number,
            thread_key=first.thread_key,
            payload={**first.payload, "withdrawal": True, "follows": first.dedupe_key},
            status="pending",
            created_at=now,
            next_attempt_at=now,
        )
        if store.save_alert_if_new(session, follow_up):
            follow_ups.append(follow_up)
    return follow_ups


@dataclass
class FiledCopies:
    """Filed PDFs read before the transaction, by document number; problems as one-line notes."""

    read: dict[str, FiledPdf] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    transient: set[str] = field(default_factory=set)  # not read for now (network, 5xx, not there yet)


async def read_filed_copies(fetcher: Fetcher, filings: list[Filing], *, pdf_base_url: str) -> FiledCopies:
    """One GET per new filing's PDF; a PDF not there yet or unreadable leaves product and country."""
    copies = FiledCopies()
    for filing in filings:
        number, url = filing.meta.document_number, filing.meta.pdf_url
        if not url:
            continue
        try:
            pdf = await fetch_filed_pdf(fetcher, url, pdf_base_url=pdf_base_url)
        except SourceError as exc:
            log.warning("filed PDF of %s not read: %s", number, exc)
            copies.problems[number] = f"filed PDF not read: {exc}; it is tried again at later polls"
            copies.transient.add(number)
            continue
        if pdf is None:
            copies.problems[number] = "filed PDF not there (yet): alerted by product and country"
            copies.transient.add(number)
        elif not pdf.case_numbers:
            copies.problems[number] = "filed PDF read but names no case number"
        else:
            copies.read[number] = pdf
    return copies


def save_filings(
    session: Session,
    filings: list[Filing],
    *,
    now: datetime,
    threshold: int,
    report: PollReport,
    copies: FiledCopies | None = None,
    bulk_hold: BulkHold | None = None,
) -> None:
    """Each filing not yet known is stored and routed, once; a known one may only add a withdrawal."""
    numbers = [f.meta.document_number for f in filings]
    known = store.known_document_numbers(session, numbers)
    copies = copies or FiledCopies()
    for filing in filings:
        number = filing.meta.document_number
        if number in known:
            # Only a withdrawal request needs the known row: most filings are seen again every poll.
            notice = store.load_notice(session, number) if filing.subject.withdrawal_requested else None
            if notice is not None:
                report.alerts_created += len(follow_withdrawal(session, notice, now=now))
            continue
        report.documents_new += 1
        save_new_filing(
            session,
            filing,
            now=now,
            threshold=threshold,
            report=report,
            pdf=copies.read.get(number),
            pdf_problem=copies.problems.get(number),
            bulk_hold=bulk_hold,
        )
        if number in copies.transient:
            mark_pdf_failed(session, number)


async def poll_public_inspection(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    name_threshold: int = 90,
    dry_run: bool = False,
    bust_cache: bool = True,
    pdf_base_url: str | None = None,
    bulk_hold: BulkHold | None = None,
) -> PollReport:
    """One GET of current.json past the shared cache (unless `bust_cache` is off, for the benchmark's
    comparison); an unchanged body (same hash) is not read again; new ITA filings are stored and
    alerted in one transaction. With `pdf_base_url`, each new filing's PDF is read first (one GET each)."""
    report = PollReport(source=PUBLIC_INSPECTION)
    with transaction(engine) as session:
        state = store.load_source_state(session, PUBLIC_INSPECTION)
        stored_etag, stored = state.etag, server_validators(state.etag, state.last_modified)
    requests_before = fetcher.requests_made
    try:
        result = await fetch_public_inspection(
            fetcher, base_url=base_url, validators=stored, now=now if bust_cache else None
        )
        digest = body_hash(result.body) if result.body is not None and result.status == 200 else None
        unchanged = result.not_modified or (digest is not None and digest == stored_etag)
        filings = [] if unchanged else select_agency_filings(parse_filings(result))
        copies = FiledCopies()
        if filings and pdf_base_url and not dry_run:
            with transaction(engine) as session:
                known = store.known_document_numbers(session, (f.meta.document_number for f in filings))
            new = [f for f in filings if f.meta.document_number not in known]
            copies = await read_filed_copies(fetcher, new, pdf_base_url=pdf_base_url)
        retried = RetriedCopies()
        if pdf_base_url and not dry_run:
            retried = await retry_filed_copies(engine, fetcher, pdf_base_url=pdf_base_url)
    except SourceError as exc:
        return failed_poll(
            engine, report, exc, requests=fetcher.requests_made - requests_before, now=now, dry_run=dry_run
        )
    report.requests = fetcher.requests_made - requests_before
    report.not_modified = unchanged
    report.documents_seen = len(filings)
    if dry_run:
        return report
    with transaction(engine) as session:
        save_filings(
            session,
            filings,
            now=now,
            threshold=name_threshold,
            report=report,
            copies=copies,
            bulk_hold=bulk_hold,
        )
        store.save_poll_success(
            session,
            PUBLIC_INSPECTION,
            now=now,
            etag=result.headers.get("etag") or digest,
            last_modified=result.headers.get("last-modified"),
            keep_validators=unchanged,
        )
        save_retried_copies(session, retried, now=now)
    return report
