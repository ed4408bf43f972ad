"""A filed PDF that could not be had (network, 5xx, not there yet) is fetched again at later polls."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from watchers.filed_pdf import FiledPdf, fetch_filed_pdf
from watchers.http import Fetcher, SourceError
from worker.storage import notice_rows, store
from worker.storage.db import transaction
from worker.storage.models import Notice

log = logging.getLogger(__name__)
PDF_FAILURES = "filed_pdf_failures"  # in a filing's facts: polls that could not read its filed PDF
PDF_ATTEMPTS = 5  # polls that failed on a filed PDF before it is left unread for good
PDF_READ_NOTE = "on public inspection: cases and kind from the filed PDF; publication completes the facts"


@dataclass
class RetriedCopies:
    """Filed PDFs tried again in this poll: read ones, and the numbers that failed once more."""

    read: dict[str, FiledPdf] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def mark_pdf_failed(session: Session, document_number: str) -> None:
    """Count one more poll that could not read this filing's PDF."""
    notice = store.load_notice(session, document_number)
    if notice is None or not notice.on_public_inspection:
        return
    failures = int(notice.facts.get(PDF_FAILURES, 0) or 0) + 1
    notice.facts = {**notice.facts, PDF_FAILURES: failures}
    session.add(notice)


def filings_to_retry(session: Session) -> list[Notice]:
    """Filings still on public inspection whose PDF failed fewer than PDF_ATTEMPTS times."""
    rows = notice_rows.list_on_public_inspection(session)
    return [n for n in rows if n.pdf_url and 0 < int(n.facts.get(PDF_FAILURES, 0) or 0) < PDF_ATTEMPTS]


async def retry_filed_copies(engine: Engine, fetcher: Fetcher, *, pdf_base_url: str) -> RetriedCopies:
    """One GET per filing whose PDF is still to be read; nothing is written here."""
    with transaction(engine) as session:
        pending = [(n.document_number, n.pdf_url or "") for n in filings_to_retry(session)]
    retried = RetriedCopies()
    for number, url in pending:
        try:
            pdf = await fetch_filed_pdf(fetcher, url, pdf_base_url=pdf_base_url)
        except SourceError as exc:
            retried.failed[number] = str(exc)
            continue
        if pdf is None:
            retried.failed[number] = "not there (yet)"
        elif pdf.case_numbers:
            retried.read[number] = pdf
        else:
            retried.failed[number] = "read but names no case number"
    return retried


def save_retried_copies(session: Session, retried: RetriedCopies, *, now: datetime) -> None:
    """A PDF read late gives the filing its cases and kind (the published notice inherits them);
    one that failed again counts one more failure, and at PDF_ATTEMPTS it is left unread."""
    for number, error in retried.failed.items():
        mark_pdf_failed(session, number)
        notice = store.load_notice(session, number)
        if notice is not None and int(notice.facts.get(PDF_FAILURES, 0) or 0) >= PDF_ATTEMPTS:
            log.warning("filed PDF of %s not read after %d polls: %s", number, PDF_ATTEMPTS, error)
    for number, pdf in retried.read.items():
        notice = store.load_notice(session, number)
        if notice is None or not notice.on_public_inspection:
            continue
        facts = {k: v for k, v in notice.facts.items() if k != PDF_FAILURES}
        facts["case_numbers"] = list(pdf.case_numbers)
        facts["unread"] = [PDF_READ_NOTE]
        notice.facts = facts
        notice.kind = pdf.classification.kind.value
        notice.case_types = [c.value for c in pdf.classification.case_types]
        notice.unread = [PDF_READ_NOTE]
        notice.updated_at = now
        session.add(notice)
