"""Queries on notices by kind and inspection state, and the catalog's size; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlmodel import Session, col, func, select

from worker.storage.models import (
    Case,
    Notice,
)


def list_notices_of_kind(session: Session, *, kind: str, source: str) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.kind == kind, Notice.source == source)))


def list_on_public_inspection(session: Session) -> list[Notice]:
    """Notices still on public inspection (filings not yet published)."""
    return list(session.exec(select(Notice).where(col(Notice.on_public_inspection).is_(True))))


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())


def known_document_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    wanted = list(numbers)
    if not wanted:
        return set()
    rows = session.exec(select(Notice.document_number).where(col(Notice.document_number).in_(wanted)))
    return set(rows)


def published_document_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    """Numbers already read as published notices (a public-inspection filing does not count)."""
    wanted = list(numbers)
    if not wanted:
        return set()
    rows = session.exec(
        select(Notice.document_number).where(
            col(Notice.document_number).in_(wanted),
            col(Notice.on_public_inspection).is_(False),
            col(Notice.kind) != "awaiting_full_text",  # worker.ingest.full_text: its full text is read again
        )
    )
    return set(rows)


def load_notice(session: Session, document_number: str) -> Notice | None:
    return session.exec(select(Notice).where(Notice.document_number == document_number)).first()


def list_notices(
    session: Session, *, since: date | None = None, kinds: Sequence[str] | None = None
) -> list[Notice]:
    query = select(Notice)
    if since is not None:
        query = query.where(col(Notice.publication_date) >= since)
    if kinds:
        query = query.where(col(Notice.kind).in_(list(kinds)))
    return list(session.exec(query.order_by(col(Notice.publication_date), col(Notice.document_number))))


def load_notices(session: Session, document_numbers: Iterable[str]) -> dict[str, Notice]:
    wanted = sorted(set(document_numbers))
    if not wanted:
        return {}
    rows = session.exec(select(Notice).where(col(Notice.document_number).in_(wanted)))
    return {notice.document_number: notice for notice in rows}
