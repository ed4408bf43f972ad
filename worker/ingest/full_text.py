"""A notice is final only once its own full text was read, or failed FULL_TEXT_ATTEMPTS times for it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from watchers.full_text import FULL_TEXT_ATTEMPTS, Waiting
from worker.storage import notice_rows
from worker.storage.models import Notice

WAITING_KEY = "full_text_failures"  # in a waiting notice's facts: how many polls failed on its full text
WAITING_KIND = "awaiting_full_text"  # the kind of a notice row that only says "read this again"


def failures_so_far(session: Session, document_numbers: Iterable[str]) -> dict[str, int]:
    """How many reads of each document's full text failed so far (0 when none is counted), in one query."""
    wanted = list(document_numbers)
    notices = notice_rows.load_notices(session, wanted)
    return {number: _failures(notices.get(number)) for number in wanted}


def _failures(notice: Notice | None) -> int:
    if notice is None or not (notice.kind == WAITING_KIND or notice.on_public_inspection):
        return 0
    return int(notice.facts.get(WAITING_KEY, 0) or 0)


def save_waiting(session: Session, item: Waiting, *, source: str, now: datetime) -> None:
    """Keep the count of failed reads on a placeholder row that published_document_numbers does not count.

    A public-inspection filing's row keeps its facts and only gains the count.
    """
    notice = notice_rows.load_notice(session, item.meta.document_number)
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
