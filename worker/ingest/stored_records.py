"""What a watcher may ask of the stored records while it reads: each answer in its own short transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine

from watchers.finished import PendingCopy
from worker.ingest.full_text import failures_so_far
from worker.storage import notice_rows
from worker.storage.db import transaction


class StoredLookups:
    """The ingest path's answer to watchers.finished.StoredRecords, read from the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def known(self, numbers: Iterable[str]) -> set[str]:
        with transaction(self.engine) as session:
            return notice_rows.known_document_numbers(session, list(numbers))

    def published(self, numbers: Iterable[str]) -> set[str]:
        with transaction(self.engine) as session:
            return notice_rows.published_document_numbers(session, list(numbers))

    def full_text_failures(self, numbers: Iterable[str]) -> dict[str, int]:
        with transaction(self.engine) as session:
            return failures_so_far(session, numbers)

    def copies_to_retry(self, counter: str, attempts: int) -> list[PendingCopy]:
        with transaction(self.engine) as session:
            rows = notice_rows.list_on_public_inspection(session)
            pending = [(n.document_number, n.pdf_url, int(n.facts.get(counter, 0) or 0)) for n in rows]
        return [
            PendingCopy(number, url, count) for number, url, count in pending if url and 0 < count < attempts
        ]
