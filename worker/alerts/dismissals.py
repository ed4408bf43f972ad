"""Cases an importer dismissed for a SKU: kept out of alerts, reminders, digests and baselines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from worker.storage import case_rows, people
from worker.storage.models import Dismissal, Importer


class DismissalError(ValueError):
    """A dismissal that names an unknown importer, SKU or case; the message is one line."""


@dataclass(frozen=True)
class DismissalLine:
    importer: str
    sku: str
    case_number: str
    product: str  # the case's product name, '' when the case left the catalog
    created_at: datetime | None


def _importer(session: Session, name: str) -> Importer:
    importer = people.load_importer(session, name)
    if importer is None or importer.id is None:
        raise DismissalError(f"no importer named {name!r} (see `adcvd portfolio list`)")
    return importer


def dismiss(session: Session, *, importer: str, sku: str, case_number: str, now: datetime) -> bool:
    """Dismiss a case for one SKU of an importer; True when new, False when it already was."""
    owner = _importer(session, importer)
    assert owner.id is not None
    number = case_number.strip().upper()
    skus = {p.sku for p in people.list_products(session, importer_id=owner.id)}
    if sku not in skus:
        raise DismissalError(f"importer {importer!r} has no SKU {sku!r} in its portfolio")
    if case_rows.load_case(session, number) is None:
        raise DismissalError(f"no case {number!r} in the catalog (a case number reads like A-570-909)")
    if _row(session, owner.id, sku, number) is not None:
        return False
    session.add(Dismissal(importer_id=owner.id, sku=sku, case_number=number, created_at=now))
    session.flush()
    return True


def undo_dismissal(session: Session, *, importer: str, sku: str, case_number: str) -> bool:
    """Alert about the case for the SKU again; False when it was not dismissed."""
    owner = _importer(session, importer)
    assert owner.id is not None
    row = _row(session, owner.id, sku, case_number.strip().upper())
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def _row(session: Session, importer_id: int, sku: str, case_number: str) -> Dismissal | None:
    return people.load_dismissal(session, importer_id, sku, case_number)


def list_dismissals(session: Session, importer: str | None = None) -> list[DismissalLine]:
    """Every dismissal, by importer, SKU and case number."""
    name = None if importer is None else _importer(session, importer).name
    rows = people.list_dismissals_with_importers(session, name)
    products = {
        c.case_number: c.product for c in case_rows.load_cases(session, {d.case_number for d, _ in rows})
    }
    lines = [
        DismissalLine(i.name, d.sku, d.case_number, products.get(d.case_number, ""), d.created_at)
        for d, i in rows
    ]
    return sorted(lines, key=lambda line: (line.importer, line.sku, line.case_number))


def dismissed_pairs(session: Session, importer_ids: Iterable[int]) -> set[tuple[int, str, str]]:
    """(importer id, SKU, case number) of every dismissal of these importers."""
    return {(d.importer_id, d.sku, d.case_number) for d in people.list_dismissals(session, importer_ids)}
