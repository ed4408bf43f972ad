"""One poll of the public-inspection desk: ITA filings become notices marked as such, and first alerts."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.case_numbers import extract_case_numbers
from watchers.classify import classify_notice
from watchers.http import Fetcher, SourceError, Validators
from watchers.public_inspection import fetch_public_inspection, parse_public_inspection, select_agency
from watchers.records import DocumentMeta, NoticeFacts
from worker import store
from worker.db import transaction
from worker.events import Event, events_for_notice_kind
from worker.models import Notice
from worker.pipeline import PollReport, jsonable, record_failure
from worker.routing import route_notice_events

log = logging.getLogger(__name__)
PUBLIC_INSPECTION = "public_inspection"
FILING_NOTE = "on public inspection: cases from the docket numbers only; publication completes the facts"


def public_inspection_key(document_number: str, subscriber_id: int) -> str:
    """The filing's alert is its own outbox item: the published notice's alert is not deduped against it."""
    return f"public_inspection:{document_number}:subscriber:{subscriber_id}"


def filing_facts(meta: DocumentMeta) -> NoticeFacts:
    facts = NoticeFacts(
        document_number=meta.document_number,
        title=meta.title,
        publication_date=meta.publication_date,
        case_numbers=extract_case_numbers(" ".join(meta.docket_ids)),
    )
    facts.unread.append(FILING_NOTE)
    return facts


def filing_events(meta: DocumentMeta, kind_events: list[Event]) -> list[Event]:
    """The stage events the notice will raise, marked as coming from the filing (with its PDF and date)."""
    marks = {
        "public_inspection": True,
        "pdf_url": meta.pdf_url or "",
        "scheduled_publication": meta.publication_date.isoformat() if meta.publication_date else None,
    }
    return [dataclasses.replace(e, details={**e.details, **marks}) for e in kind_events]


def save_filings(
    session: Session, documents: list[DocumentMeta], *, now: datetime, threshold: int, report: PollReport
) -> None:
    """Each filing not yet known (as a filing or as a published notice) is stored and routed, once."""
    known = store.known_document_numbers(session, (d.document_number for d in documents))
    for meta in documents:
        if meta.document_number in known:
            continue
        report.documents_new += 1
        classification = classify_notice(title=meta.title, agencies=meta.agencies, docket_ids=meta.docket_ids)
        facts = filing_facts(meta)
        notice = Notice(
            document_number=meta.document_number,
            source=PUBLIC_INSPECTION,
            publication_date=meta.publication_date,  # scheduled, not yet published
            title=meta.title,
            kind=classification.kind.value,
            agency=classification.agency.value,
            case_types=[c.value for c in classification.case_types],
            is_correction=classification.is_correction,
            revokes=classification.revokes.value,
            html_url=meta.html_url,
            pdf_url=meta.pdf_url,
            on_public_inspection=True,
            facts=jsonable(dataclasses.asdict(facts)),
            unread=list(facts.unread),
            first_seen_at=now,
            updated_at=now,
        )
        session.add(notice)
        session.flush()
        # The catalog is not changed from a filing: it is not law until published, and can be withdrawn.
        kind_events = [
            event
            for case in facts.case_numbers
            for event in events_for_notice_kind(
                classification, case_number=case, document_number=meta.document_number, title=meta.title
            )
        ]
        events = filing_events(meta, kind_events)
        alerts = route_notice_events(session, notice=notice, events=events, now=now, threshold=threshold)
        for alert in alerts:
            alert.dedupe_key = public_inspection_key(meta.document_number, alert.subscriber_id)
            session.add(alert)
        report.alerts_created += len(alerts)


async def poll_public_inspection(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    name_threshold: int = 90,
    dry_run: bool = False,
) -> PollReport:
    """One conditional GET of current.json; new ITA filings are stored and alerted in one transaction."""
    report = PollReport(source=PUBLIC_INSPECTION)
    with transaction(engine) as session:
        state = store.load_source_state(session, PUBLIC_INSPECTION)
        stored = Validators(state.etag, state.last_modified)
    requests_before = fetcher.requests_made
    try:
        result = await fetch_public_inspection(fetcher, base_url=base_url, validators=stored)
        documents = [] if result.not_modified else select_agency(parse_public_inspection(result))
    except SourceError as exc:
        report.ok, report.error = False, str(exc)
        report.requests = fetcher.requests_made - requests_before
        log.warning("poll %s failed: %s", PUBLIC_INSPECTION, exc)
        if not dry_run:
            record_failure(engine, PUBLIC_INSPECTION, str(exc), now)
        return report
    report.requests = fetcher.requests_made - requests_before
    report.not_modified = result.not_modified
    report.documents_seen = len(documents)
    if dry_run:
        return report
    with transaction(engine) as session:
        save_filings(session, documents, now=now, threshold=name_threshold, report=report)
        store.save_poll_success(
            session,
            PUBLIC_INSPECTION,
            now=now,
            etag=result.headers.get("etag"),
            last_modified=result.headers.get("last-modified"),
            keep_validators=result.not_modified,
        )
    return report
