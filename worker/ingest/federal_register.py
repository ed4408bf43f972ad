"""One poll of the Federal Register: fetch, read, apply to the catalog, route alerts, save all at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine

from watchers import federal_register
from watchers.full_text import ReadNotice, Waiting, read_documents
from watchers.http import Fetcher, RateLimiter, SourceError, Validators
from watchers.records import DocumentMeta, SetAside
from worker.alerts.holds import BulkHold
from worker.ingest.filing_cases import cases_named_by_filing
from worker.ingest.full_text import failures_so_far, save_waiting
from worker.ingest.save import CatalogEntry, NoticeRecord, PollReport, failed_poll, ingest_record, jsonable
from worker.storage import store
from worker.storage.db import transaction
from worker.storage.models import SourceState

log = logging.getLogger(__name__)
FEDERAL_REGISTER = "federal_register"


def poll_window(state: SourceState, *, today: date, prime_days: int, since: date | None) -> tuple[date, bool]:
    """Where to read from, and whether this poll primes (stores without alerting)."""
    if since is not None:
        return since, state.cursor is None
    if state.cursor is None:
        return today - timedelta(days=prime_days), True
    # The cursor's own day is read again: a day's documents can arrive in more than one batch.
    return date.fromisoformat(state.cursor), False


SAVE_BATCH = 50  # documents per transaction in one poll: a big day never holds the database for long


def notice_record(item: ReadNotice, *, source: str, now: datetime) -> NoticeRecord:
    """A read Federal Register document as the one record every source hands to ingest_record."""
    meta, facts, classification = item.meta, item.facts, item.classification
    columns = {
        "source": source,
        "publication_date": meta.publication_date,
        "effective_date": facts.effective_date,
        "title": meta.title,
        "kind": classification.kind.value,
        "agency": classification.agency.value,
        "case_types": [c.value for c in classification.case_types],
        "is_correction": classification.is_correction,
        "revokes": classification.revokes.value,
        "html_url": meta.html_url,
        "pdf_url": meta.pdf_url,
        "xml_url": meta.full_text_xml_url,
        "content_hash": item.content_hash,
        "on_public_inspection": False,
        "facts": jsonable(asdict(facts)),
        "unread": list(facts.unread),
        "updated_at": now,
    }
    return NoticeRecord(
        document_number=meta.document_number,
        title=meta.title,
        columns=columns,
        catalog=CatalogEntry(classification, facts, meta.publication_date),
        citation=meta.citation,
    )


def save_read_notices(
    engine: Engine,
    *,
    source: str,
    read: list[ReadNotice],
    new_cursor: str | None,
    validators: Validators | None,
    primed: bool,
    now: datetime,
    threshold: int,
    report: PollReport,
    bulk_hold: BulkHold | None = None,
    set_aside: dict[str, str] | None = None,
) -> None:
    """Notices, catalog changes, alerts and the new cursor: one transaction, all or nothing.

    Documents `set_aside` (unreadable) count as a failure of the poll that saved the others.
    """
    with transaction(engine) as session:
        for item in read:
            meta, facts, classification = item.meta, item.facts, item.classification
            borrowed = not facts.case_numbers
            if borrowed:  # a filing seen on public inspection knows its cases
                facts.case_numbers = cases_named_by_filing(session, meta.document_number, classification)
            record = notice_record(item, source=source, now=now)
            if borrowed and record.catalog is not None:
                # ... but they were not read from this notice: its revocation revokes none of them.
                record = replace(record, catalog=replace(record.catalog, cases_read=()))
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
        store.save_poll_success(
            session,
            source,
            now=now,
            cursor=new_cursor,
            etag=validators.etag if validators else None,
            last_modified=validators.last_modified if validators else None,
            keep_validators=validators is None,
        )
        if set_aside:
            store.record_set_aside(session, source, set_aside)
    report.documents_saved += len(read)


async def poll_federal_register(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    prime_days: int = 30,
    since: date | None = None,
    name_threshold: int = 90,
    dry_run: bool = False,
    full_text_limiter: RateLimiter | None = None,
    batch_size: int = SAVE_BATCH,
    bulk_hold: BulkHold | None = None,
) -> PollReport:
    """Read every ITA document published since the cursor, saving them `batch_size` at a time, each batch
    in one transaction with its alerts and the cursor; a failure keeps the batches saved before it."""
    report = PollReport(source=FEDERAL_REGISTER)
    today = now.astimezone(UTC).date()
    with transaction(engine) as session:
        state = store.load_source_state(session, FEDERAL_REGISTER)
        window_start, primed = poll_window(state, today=today, prime_days=prime_days, since=since)
        stored = Validators(state.etag, state.last_modified) if since is None else None
    report.primed = primed
    requests_before = fetcher.requests_made
    unreadable: list[SetAside] = []
    failures: dict[str, int] = {}
    try:
        documents, first = await federal_register.fetch_search(
            fetcher, base_url=base_url, since=window_start, validators=stored, now=now, set_aside=unreadable
        )
        documents = set_aside_implausible(documents, today=today, set_aside=unreadable)
        report.set_aside = {item.document: item.reason for item in unreadable}
        for item in unreadable:
            log.warning("%s: %s set aside: %s", FEDERAL_REGISTER, item.document, item.reason)
        report.documents_seen = len(documents)
        new_documents: list[DocumentMeta] = []
        if first is not None and first.not_modified:
            report.not_modified = True
        else:
            with transaction(engine) as session:
                known = store.published_document_numbers(session, (d.document_number for d in documents))
                new_documents = in_publication_order(d for d in documents if d.document_number not in known)
                failures = {
                    d.document_number: failures_so_far(session, d.document_number) for d in new_documents
                }
            report.documents_new = len(new_documents)
    except SourceError as exc:
        return failed_poll(
            engine, report, exc, requests=fetcher.requests_made - requests_before, now=now, dry_run=dry_run
        )
    new_cursor = batch_cursor(documents, today)
    if primed and new_cursor is None and not report.not_modified:
        # Priming read its whole window and found nothing: it is done all the same, or every later poll
        # would prime again and store the first real notice without alerting anyone.
        new_cursor = today.isoformat()
    validators = None
    if first is not None and not first.not_modified:
        validators = Validators(first.headers.get("etag"), first.headers.get("last-modified"))
    still_waiting: list[Waiting] = []
    batches = [new_documents[i : i + batch_size] for i in range(0, len(new_documents), batch_size)] or [[]]
    for index, batch in enumerate(batches):
        try:
            read, waiting = await read_documents(
                fetcher, batch, base_url=base_url, failures=failures, full_text_limiter=full_text_limiter
            )
        except SourceError as exc:
            # The batches saved so far stay saved, with their alerts and cursor; this one is read again.
            return failed_poll(
                engine,
                report,
                exc,
                requests=fetcher.requests_made - requests_before,
                now=now,
                dry_run=dry_run,
            )
        if dry_run:
            continue
        for wait in waiting:
            note = (
                f"{wait.error}; {'read from its metadata alone' if wait.final else 'it will be read again'}"
            )
            report.unread.setdefault(wait.meta.document_number, []).append(note)
            if wait.final:
                report.gave_up[wait.meta.document_number] = wait.error
        waiting_now = [w for w in waiting if not w.final]
        still_waiting.extend(waiting_now)
        last = index == len(batches) - 1
        cursor = new_cursor if last else batch_cursor(new_documents[: (index + 1) * batch_size], today)
        waiting_dates = [w.meta.publication_date for w in still_waiting if w.meta.publication_date]
        if cursor is not None and waiting_dates:
            cursor = min(cursor, min(waiting_dates).isoformat())  # read that day again next poll
        save_read_notices(
            engine,
            source=FEDERAL_REGISTER,
            read=read,
            new_cursor=cursor,
            # Until the last batch is in, and while a document waits for its full text, no validator
            # may let a 304 hide the documents still to read.
            validators=validators if last and not still_waiting else Validators(),
            primed=primed,
            now=now,
            threshold=name_threshold,
            report=report,
            bulk_hold=bulk_hold,
            set_aside=report.set_aside if last else None,
        )
        if waiting_now:
            with transaction(engine) as session:
                for wait in waiting_now:
                    save_waiting(session, wait, source=FEDERAL_REGISTER, now=now)
        await asyncio.sleep(0)  # each batch's transaction is closed: delivery and other jobs run between them
    report.requests = fetcher.requests_made - requests_before
    return report


def in_publication_order(documents: Iterable[DocumentMeta]) -> list[DocumentMeta]:
    """Oldest first (undated last), so a batch's cursor never passes a document still to be saved."""
    return sorted(documents, key=lambda d: (d.publication_date or date.max, d.document_number))


def batch_cursor(saved: Sequence[DocumentMeta], today: date) -> str | None:
    """The cursor after saving `saved`: their latest date (that day is read again by the next poll)."""
    dates = [d.publication_date for d in saved if d.publication_date]
    return min(max(dates), today).isoformat() if dates else None


PUBLICATION_HORIZON = timedelta(days=31)  # public inspection runs days ahead; years ahead is a broken record


def set_aside_implausible(
    documents: list[DocumentMeta], *, today: date, set_aside: list[SetAside]
) -> list[DocumentMeta]:
    """The documents a poll can use; one dated far in the future (9999-12-31) is set aside with its reason."""
    kept: list[DocumentMeta] = []
    for meta in documents:
        if meta.publication_date is not None and meta.publication_date > today + PUBLICATION_HORIZON:
            reason = f"publication date {meta.publication_date.isoformat()} is not plausible"
            set_aside.append(SetAside(meta.document_number, reason))
            continue
        kept.append(meta)
    return kept
