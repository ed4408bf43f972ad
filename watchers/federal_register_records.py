"""Federal Register documents as finished records: the window to read, the new documents read in batches
whose cursor never passes a document still waiting for its full text (the source's `read_new`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, date, timedelta

from watchers import federal_register
from watchers.finished import Batch, CatalogEntry, FinishedRecord, ReadRequest, StoredRecords, Tally, jsonable
from watchers.full_text import ReadNotice, Waiting, read_documents
from watchers.http import Fetcher, Validators
from watchers.records import DocumentMeta, SetAside

log = logging.getLogger(__name__)
PUBLICATION_HORIZON = timedelta(days=31)  # public inspection runs days ahead; years ahead is a broken record


def poll_window(cursor: str | None, *, today: date, prime_days: int, since: date | None) -> tuple[date, bool]:
    """Where to read from, and whether this poll primes (stores without alerting)."""
    if since is not None:
        return since, cursor is None
    if cursor is None:
        return today - timedelta(days=prime_days), True
    # The cursor's own day is read again: a day's documents can arrive in more than one batch.
    return date.fromisoformat(cursor), False


def in_publication_order(documents: Iterable[DocumentMeta]) -> list[DocumentMeta]:
    """Oldest first (undated last), so a batch's cursor never passes a document still to be saved."""
    return sorted(documents, key=lambda d: (d.publication_date or date.max, d.document_number))


def batch_cursor(saved: Sequence[DocumentMeta], today: date) -> str | None:
    """The cursor after saving `saved`: their latest date (that day is read again by the next poll)."""
    dates = [d.publication_date for d in saved if d.publication_date]
    return min(max(dates), today).isoformat() if dates else None


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


def read_record(item: ReadNotice) -> FinishedRecord:
    """A read Federal Register document as a finished record: the notice, law for the catalog."""
    meta, facts, classification = item.meta, item.facts, item.classification
    columns = {
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
    }
    return FinishedRecord(
        document_number=meta.document_number,
        title=meta.title,
        columns=columns,
        catalog=CatalogEntry(classification, facts, meta.publication_date),
        citation=meta.citation,
    )


def note_waiting(tally: Tally, waiting: list[Waiting]) -> list[Waiting]:
    """Each wait named in the tally (a final one as given up); the ones to read again next poll."""
    for wait in waiting:
        note = f"{wait.error}; {'read from its metadata alone' if wait.final else 'it will be read again'}"
        tally.unread.setdefault(wait.meta.document_number, []).append(note)
        if wait.final:
            tally.gave_up[wait.meta.document_number] = wait.error
    return [w for w in waiting if not w.final]


async def read_new(
    fetcher: Fetcher, request: ReadRequest, stored: StoredRecords, tally: Tally
) -> AsyncIterator[Batch]:
    """Every ITA document published since the cursor and not read yet, `request.batch_size` at a time,
    oldest first, full texts spaced by the request's limiter; SourceError fails the poll, and the
    batches handed back before it stay saved."""
    today = request.now.astimezone(UTC).date()
    state = request.state
    window_start, tally.primed = poll_window(
        state.cursor, today=today, prime_days=request.prime_days, since=request.since
    )
    unreadable: list[SetAside] = []
    documents, first = await federal_register.fetch_search(
        fetcher,
        base_url=request.base_url,
        since=window_start,
        validators=state.validators if request.since is None else None,
        now=request.now,
        set_aside=unreadable,
    )
    documents = set_aside_implausible(documents, today=today, set_aside=unreadable)
    tally.set_aside = {item.document: item.reason for item in unreadable}
    for item in unreadable:
        log.warning("federal_register: %s set aside: %s", item.document, item.reason)
    tally.seen = len(documents)
    new_documents: list[DocumentMeta] = []
    failures: dict[str, int] = {}
    if first is not None and first.not_modified:
        tally.not_modified = True
    else:
        known = stored.published(d.document_number for d in documents)
        new_documents = in_publication_order(d for d in documents if d.document_number not in known)
        failures = stored.full_text_failures(d.document_number for d in new_documents)
        tally.new = len(new_documents)
    new_cursor = batch_cursor(documents, today)
    if tally.primed and new_cursor is None and not tally.not_modified:
        # Priming read its whole window and found nothing: it is done all the same, or every later poll
        # would prime again and store the first real notice without alerting anyone.
        new_cursor = today.isoformat()
    validators = None
    if first is not None and not first.not_modified:
        validators = Validators(first.headers.get("etag"), first.headers.get("last-modified"))
    size = request.batch_size
    batches = [new_documents[i : i + size] for i in range(0, len(new_documents), size)] or [[]]
    still_waiting: list[Waiting] = []
    for index, batch in enumerate(batches):
        read, waiting = await read_documents(
            fetcher,
            batch,
            base_url=request.base_url,
            failures=failures,
            full_text_limiter=request.full_text_limiter,
        )
        if request.dry_run:
            continue
        waiting_now = note_waiting(tally, waiting)
        still_waiting.extend(waiting_now)
        last = index == len(batches) - 1
        cursor = new_cursor if last else batch_cursor(new_documents[: (index + 1) * size], today)
        waiting_dates = [w.meta.publication_date for w in still_waiting if w.meta.publication_date]
        if cursor is not None and waiting_dates:
            cursor = min(cursor, min(waiting_dates).isoformat())  # read that day again next poll
        yield Batch(
            [read_record(item) for item in read],
            cursor=cursor,
            # Until the last batch is in, and while a document waits for its full text, no validator
            # may let a 304 hide the documents still to read.
            validators=validators if last and not still_waiting else Validators(),
            waiting=waiting_now,
            set_aside=tally.set_aside if last else {},
        )
