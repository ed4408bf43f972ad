"""Queries on importers' entries and what results notices decide for them; the caller owns the transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from worker.storage.models import Entry, EntryAssessment, Importer, Notice

DELETE_BATCH = 1_000  # entry ids a statement: well under any database's bound-parameter limit


def replace_importer_entries(session: Session, importer_id: int, entries: Sequence[Entry]) -> int:
    """Delete the importer's entries (and what was decided for them), add these; returns how many went."""
    old = select(Entry.id).where(Entry.importer_id == importer_id)
    replaced = int(session.exec(select(func.count()).select_from(old.subquery())).one())
    if replaced:
        # By subquery, not by a list of ids: 200,000 entries would be 200,000 bound parameters.
        session.exec(delete(EntryAssessment).where(col(EntryAssessment.entry_id).in_(old)))
        session.exec(delete(Entry).where(col(Entry.importer_id) == importer_id))
    session.add_all(entries)
    session.flush()
    return replaced


def list_entries(
    session: Session, *, importer_ids: Iterable[int] | None = None, case_numbers: Iterable[str] | None = None
) -> list[Entry]:
    """Entries, of these importers and cases when given, ordered by importer, case, date and number."""
    query = select(Entry)
    if importer_ids is not None:
        query = query.where(col(Entry.importer_id).in_(list(importer_ids)))
    if case_numbers is not None:
        query = query.where(col(Entry.case_number).in_(list(case_numbers)))
    order = (col(Entry.importer_id), col(Entry.case_number), col(Entry.entry_date), col(Entry.entry_number))
    return list(session.exec(query.order_by(*order)))


def save_assessments(session: Session, assessments: Iterable[EntryAssessment]) -> None:
    """Store what notices decide for entries; a notice deciding an entry again replaces its row (of
    the same entry and notice given twice here, the last). One delete per notice and batch, not a
    query per entry."""
    latest = {(a.entry_id, a.notice_document_number): a for a in assessments}
    by_notice: dict[str, list[int]] = defaultdict(list)
    for entry_id, document_number in latest:
        by_notice[document_number].append(entry_id)
    for document_number, entry_ids in by_notice.items():
        for start in range(0, len(entry_ids), DELETE_BATCH):
            session.exec(
                delete(EntryAssessment).where(
                    col(EntryAssessment.notice_document_number) == document_number,
                    col(EntryAssessment.entry_id).in_(entry_ids[start : start + DELETE_BATCH]),
                )
            )
    session.add_all(latest.values())
    session.flush()


def list_assessments(session: Session, entry_ids: Iterable[int]) -> list[EntryAssessment]:
    """Every assessment of these entries, oldest decision first."""
    query = select(EntryAssessment).where(col(EntryAssessment.entry_id).in_(list(entry_ids)))
    return list(session.exec(query.order_by(col(EntryAssessment.decided_at), col(EntryAssessment.id))))


def list_entries_with_importers(
    session: Session, *, importer: str | None = None, importer_ids: Iterable[int] | None = None
) -> list[tuple[Entry, Importer]]:
    """Entries with their importer: of the importer with this name, or of these ids, when given."""
    query = select(Entry, Importer).where(Entry.importer_id == Importer.id)
    if importer is not None:
        query = query.where(Importer.name == importer)
    if importer_ids is not None:
        query = query.where(col(Entry.importer_id).in_(list(importer_ids)))
    return list(
        session.exec(query.order_by(col(Importer.name), col(Entry.case_number), col(Entry.entry_date)))
    )


def list_notices_of_kinds(session: Session, kinds: Iterable[str]) -> list[Notice]:
    """Every stored notice of these kinds, oldest publication first (results notices are few)."""
    query = select(Notice).where(col(Notice.kind).in_(list(kinds)))
    return list(session.exec(query.order_by(col(Notice.publication_date), col(Notice.id))))
