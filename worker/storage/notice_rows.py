"""Queries on notices by kind and inspection state, and the catalog's size; caller owns the transaction."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from worker.storage.models import Case, Notice


def list_notices_of_kind(session: Session, *, kind: str, source: str) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.kind == kind, Notice.source == source)))


def list_on_public_inspection(session: Session) -> list[Notice]:
    """Notices still on public inspection (filings not yet published)."""
    return list(session.exec(select(Notice).where(col(Notice.on_public_inspection).is_(True))))


def count_cases(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())
