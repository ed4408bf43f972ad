"""Public-inspection filings as finished records: new ITA filings with their filed PDFs read, withdrawal
follow-ups of known ones, and filed PDFs read again at later polls (the source's `read_new`)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from watchers.federal_register import body_hash, server_validators
from watchers.filed_pdf import FiledPdf, fetch_filed_pdf
from watchers.finished import (
    Amendment,
    Batch,
    CandidateSignal,
    FinishedRecord,
    FollowUp,
    OwnAlerts,
    PendingCopy,
    ReadRequest,
    Record,
    StageSignal,
    StoredRecords,
    Tally,
    jsonable,
)
from watchers.http import Fetcher, SourceError, Validators
from watchers.public_inspection import (
    PDF_NOTE,
    Filing,
    fetch_public_inspection,
    filing_classification,
    filing_facts,
    parse_filings,
    select_agency_filings,
)

log = logging.getLogger(__name__)
SCOPE = "public_inspection"  # a filing's alerts are its own outbox items, beside the published notice's
WITHDRAWAL_FLAG = "withdrawal_requested"
PDF_FAILURES = "filed_pdf_failures"  # in a filing's facts: polls that could not read its filed PDF
PDF_ATTEMPTS = 5  # polls that failed on a filed PDF before it is left unread for good


@dataclass
class FiledCopies:
    """Filed PDFs read, by document number; problems as one-line notes."""

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


async def retry_filed_copies(
    fetcher: Fetcher, pending: list[PendingCopy], *, pdf_base_url: str
) -> list[Amendment]:
    """One GET per filing whose PDF is still to be read: a PDF read late gives the filing its cases and kind
    (the published notice inherits them); one that failed again counts one more failure."""
    amendments: list[Amendment] = []
    read: list[Amendment] = []
    for copy in pending:
        try:
            pdf = await fetch_filed_pdf(fetcher, copy.url, pdf_base_url=pdf_base_url)
            error = "not there (yet)" if pdf is None else "read but names no case number"
        except SourceError as exc:
            pdf, error = None, str(exc)
        if pdf is not None and pdf.case_numbers:
            facts = {"case_numbers": list(pdf.case_numbers), "unread": [PDF_NOTE]}
            columns = {
                "kind": pdf.classification.kind.value,
                "case_types": [c.value for c in pdf.classification.case_types],
                "unread": [PDF_NOTE],
            }
            read.append(Amendment(copy.document_number, facts, drop=(PDF_FAILURES,), columns=columns))
            continue
        failures = copy.failures + 1
        if failures >= PDF_ATTEMPTS:
            log.warning(
                "filed PDF of %s not read after %d polls: %s", copy.document_number, PDF_ATTEMPTS, error
            )
        amendments.append(Amendment(copy.document_number, {PDF_FAILURES: failures}))
    return amendments + read


def _day(value: date | None) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else "a date not yet set"


def filing_record(
    filing: Filing, pdf: FiledPdf | None = None, problem: str | None = None, *, transient: bool = False
) -> FinishedRecord:
    """A new filing as a finished record: not law (no catalog), its own alerts, and what it signals:
    its stage events when its cases are known, else early signals to the catalog's candidate cases."""
    meta, subject = filing.meta, filing.subject
    facts = filing_facts(filing, pdf)
    if problem:
        facts.unread.append(problem)
    classification = filing_classification(filing, pdf)
    facts_json: dict[str, Any] = jsonable(dataclasses.asdict(facts))
    facts_json[WITHDRAWAL_FLAG] = subject.withdrawal_requested
    if transient:
        facts_json[PDF_FAILURES] = 1
    columns = {
        "publication_date": meta.publication_date,  # scheduled, not yet published
        "title": meta.title,
        "kind": classification.kind.value,
        "agency": classification.agency.value,
        "case_types": [c.value for c in classification.case_types],
        "is_correction": classification.is_correction or subject.is_correction,
        "revokes": classification.revokes.value,
        "html_url": meta.html_url,
        "pdf_url": meta.pdf_url,
        "on_public_inspection": True,
        "facts": facts_json,
        "unread": list(facts.unread),
    }
    what = "a correction" if subject.is_correction else "a notice"
    head = (
        f"Commerce filed {what} on {subject.product} for publication on {_day(meta.publication_date)}; "
        "the kind of notice (review, sunset, order, ...) is not known yet"
    )
    signal = (
        StageSignal(classification, facts.case_numbers)
        if facts.case_numbers
        else CandidateSignal(subject.product, subject.country_names, head)
    )
    marks = {  # the events are marked as coming from the filing, with its PDF and date
        "public_inspection": True,
        "pdf_url": meta.pdf_url or "",
        "scheduled_publication": meta.publication_date.isoformat() if meta.publication_date else None,
    }
    own = OwnAlerts(SCOPE, {"withdrawal": True} if subject.withdrawal_requested else {})
    return FinishedRecord(
        meta.document_number,
        meta.title,
        columns,
        catalog=None,
        signal=signal,
        event_details=marks,
        own_alerts=own,
        only_if_new=True,
    )


def withdrawal_follow_up(filing: Filing) -> FollowUp:
    """A withdrawal request seen after the first alert: a follow-up in each thread, once."""
    return FollowUp(filing.meta.document_number, SCOPE, WITHDRAWAL_FLAG, "withdrawal", {"withdrawal": True})


async def read_new(
    fetcher: Fetcher, request: ReadRequest, stored: StoredRecords, tally: Tally
) -> AsyncIterator[Batch]:
    """One GET of current.json past the shared cache (unless `bust_cache` is off, for the benchmark's
    comparison); an unchanged body (same hash) is not read again. With `filed_copy_url`, each new filing's
    PDF is read first (one GET each), and the PDFs that failed at earlier polls are tried again."""
    state, pdf_base_url = request.state, request.filed_copy_url
    result = await fetch_public_inspection(
        fetcher,
        base_url=request.base_url,
        validators=server_validators(state.etag, state.last_modified),
        now=request.now if request.bust_cache else None,
    )
    digest = body_hash(result.body) if result.body is not None and result.status == 200 else None
    unchanged = result.not_modified or (digest is not None and digest == state.etag)
    filings = [] if unchanged else select_agency_filings(parse_filings(result))
    tally.not_modified, tally.seen = unchanged, len(filings)
    if request.dry_run:
        return
    known = stored.known(f.meta.document_number for f in filings) if filings else set()
    new = [f for f in filings if f.meta.document_number not in known]
    copies = FiledCopies()
    retried: list[Amendment] = []
    if pdf_base_url:
        if new:
            copies = await read_filed_copies(fetcher, new, pdf_base_url=pdf_base_url)
        pending = stored.copies_to_retry(PDF_FAILURES, PDF_ATTEMPTS)
        retried = await retry_filed_copies(fetcher, pending, pdf_base_url=pdf_base_url)
    records: list[Record] = []
    for filing in filings:
        number = filing.meta.document_number
        if number in known:
            # Only a withdrawal request needs the known row: most filings are seen again every poll.
            if filing.subject.withdrawal_requested:
                records.append(withdrawal_follow_up(filing))
            continue
        tally.new += 1
        pdf, problem = copies.read.get(number), copies.problems.get(number)
        records.append(filing_record(filing, pdf, problem, transient=number in copies.transient))
    etag = result.headers.get("etag") or digest
    validators = None if unchanged else Validators(etag, result.headers.get("last-modified"))
    yield Batch([*records, *retried], validators=validators)
