"""A notice is final only once its own full text was read, or failed FULL_TEXT_ATTEMPTS times for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from watchers.records import DocumentMeta
from watchers.xml_safety import MalformedXmlError, UnsafeXmlError, parse_xml_safely
from worker.storage import store
from worker.storage.models import Notice

FULL_TEXT_ATTEMPTS = 3  # polls that failed on this document's full text before it is stored without it
WAITING_KEY = "full_text_failures"  # in a waiting notice's facts: how many polls failed on its full text
WAITING_KIND = "awaiting_full_text"  # the kind of a notice row that only says "read this again"


@dataclass(frozen=True)
class Waiting:
    """A document whose full text failed in this poll (404, malformed XML): it is read again next poll."""

    meta: DocumentMeta
    error: str
    failures: int  # including this poll's

    @property
    def final(self) -> bool:
        return self.failures >= FULL_TEXT_ATTEMPTS


def malformed_xml(body: bytes, content_type: str) -> str | None:
    """Why an XML body cannot be read, most often a truncated download; None when it parses (or is HTML).

    Hostile XML (entity declarations) is not transient: read_full_text refuses it and stores it unread.
    """
    if "xml" not in content_type and not body.lstrip().startswith(b"<?xml"):
        return None
    try:
        parse_xml_safely(body)
    except MalformedXmlError as exc:
        return f"full text {exc}"
    except UnsafeXmlError:
        return None
    return None


def failures_so_far(session: Session, document_number: str) -> int:
    notice = store.load_notice(session, document_number)
    if notice is None or not (notice.kind == WAITING_KIND or notice.on_public_inspection):
        return 0
    return int(notice.facts.get(WAITING_KEY, 0) or 0)


def save_waiting(session: Session, item: Waiting, *, source: str, now: datetime) -> None:
    """Keep the count of failed reads on a placeholder row that published_document_numbers does not count.

    A public-inspection filing's row keeps its facts and only gains the count.
    """
    notice = store.load_notice(session, item.meta.document_number)
    if notice is not None and notice.on_public_inspection:
        notice.facts = {**notice.facts, WAITING_KEY: item.failures}
        session.add(notice)
        return
    if notice is not None and notice.kind != WAITING_KIND:
        return
    meta = item.meta
    notice = notice or Notice(document_number=meta.document_number, title=meta.title, kind=WAITING_KIND)
    notice.source = source
    notice.title = meta.title
    notice.kind = WAITING_KIND
    notice.publication_date = meta.publication_date
    notice.facts = {WAITING_KEY: item.failures, "error": item.error[:300]}
    notice.unread = [f"full text not read yet ({item.failures} of {FULL_TEXT_ATTEMPTS}): {item.error}"[:500]]
    notice.first_seen_at = notice.first_seen_at or now
    notice.updated_at = now
    session.add(notice)
