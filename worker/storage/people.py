"""Queries on importers, their products, subscribers and dismissals; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from worker.storage.models import Alert, DigestRun, Dismissal, Importer, Product, Subscriber


def importer_ids_by_name(session: Session) -> dict[str, int]:
    return {i.name: i.id for i in session.exec(select(Importer)).all() if i.id}


def load_products_by_sku(session: Session, importer_ids: Iterable[int], skus: Iterable[str]) -> list[Product]:
    """Products of these importers whose SKU is one of these (both lists matched independently)."""
    query = select(Product).where(
        col(Product.importer_id).in_(list(importer_ids)), col(Product.sku).in_(list(skus))
    )
    return list(session.exec(query).all())


def list_products_with_importers(
    session: Session, importer: str | None = None
) -> list[tuple[Product, Importer]]:
    """Every product with its importer, or those of the importer with this name."""
    query = select(Product, Importer).where(Product.importer_id == Importer.id)
    if importer is not None:
        query = query.where(Importer.name == importer)
    return list(session.exec(query).all())


def find_subscribers(session: Session, email: str, importer_id: int | None = None) -> list[Subscriber]:
    """Subscribers with this address, compared without regard to case; of one importer when given."""
    query = select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower())
    if importer_id is not None:
        query = query.where(Subscriber.importer_id == importer_id)
    return list(session.exec(query.order_by(col(Subscriber.id))))


def delete_subscriber_rows(session: Session, subscriber_id: int | None) -> int:
    """Delete a subscriber's outbox rows and digest runs; returns how many alerts were unsent."""
    unsent = len(
        session.exec(
            select(Alert.id).where(
                Alert.subscriber_id == subscriber_id, col(Alert.status).in_(("pending", "sending"))
            )
        ).all()
    )
    session.execute(delete(Alert).where(col(Alert.subscriber_id) == subscriber_id))
    session.execute(delete(DigestRun).where(col(DigestRun.subscriber_id) == subscriber_id))
    return unsent


def load_dismissal(session: Session, importer_id: int, sku: str, case_number: str) -> Dismissal | None:
    query = select(Dismissal).where(
        Dismissal.importer_id == importer_id, Dismissal.sku == sku, Dismissal.case_number == case_number
    )
    return session.exec(query).first()


def list_dismissals_with_importers(
    session: Session, importer: str | None = None
) -> list[tuple[Dismissal, Importer]]:
    """Every dismissal with its importer, or those of the importer with this name."""
    query = select(Dismissal, Importer).where(Dismissal.importer_id == Importer.id)
    if importer is not None:
        query = query.where(Importer.name == importer)
    return list(session.exec(query))


def list_dismissals(session: Session, importer_ids: Iterable[int]) -> list[Dismissal]:
    wanted = sorted(set(importer_ids))
    if not wanted:
        return []
    return list(session.exec(select(Dismissal).where(col(Dismissal.importer_id).in_(wanted))))
