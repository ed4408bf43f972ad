"""Queries on importers, their products, subscribers and dismissals; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from worker.storage.models import (
    Alert,
    CompanyAlias,
    DigestRun,
    Dismissal,
    Importer,
    Product,
    Subscriber,
)


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


def load_importer(session: Session, name: str) -> Importer | None:
    return session.exec(select(Importer).where(Importer.name == name)).first()


def load_or_create_importer(session: Session, name: str) -> Importer:
    importer = load_importer(session, name)
    if importer is None:
        importer = Importer(name=name)
        session.add(importer)
        session.flush()
    return importer


def load_aliases(session: Session, importer_id: int) -> dict[str, str]:
    """The importer's alias table: the name in their records -> the name as Commerce lists it."""
    rows = session.exec(select(CompanyAlias).where(CompanyAlias.importer_id == importer_id))
    return {row.alias: row.canonical for row in rows}


def save_alias(session: Session, *, importer_id: int, alias: str, canonical: str) -> bool:
    """Add or change one alias; True when it is new."""
    row = session.exec(
        select(CompanyAlias).where(CompanyAlias.importer_id == importer_id, CompanyAlias.alias == alias)
    ).first()
    created = row is None
    row = row or CompanyAlias(importer_id=importer_id, alias=alias, canonical=canonical)
    row.canonical = canonical
    session.add(row)
    return created


def list_importers(session: Session) -> list[Importer]:
    return list(session.exec(select(Importer).order_by(col(Importer.name))))


def list_products(
    session: Session, *, importer_id: int | None = None, country: str | None = None
) -> list[Product]:
    query = select(Product)
    if importer_id is not None:
        query = query.where(Product.importer_id == importer_id)
    if country is not None:
        query = query.where(Product.country == country)
    return list(session.exec(query.order_by(col(Product.importer_id), col(Product.sku))))


def list_products_in_countries(session: Session, countries: Iterable[str]) -> list[Product]:
    wanted = sorted(set(countries))
    if not wanted:
        return []
    return list(session.exec(select(Product).where(col(Product.country).in_(wanted))))


def list_subscribers(session: Session, *, importer_ids: Iterable[int] | None = None) -> list[Subscriber]:
    query = select(Subscriber)
    if importer_ids is not None:
        query = query.where(col(Subscriber.importer_id).in_(list(importer_ids)))
    return list(session.exec(query.order_by(col(Subscriber.id))))


def load_subscriber(session: Session, *, email: str, importer_id: int | None) -> Subscriber | None:
    return session.exec(
        select(Subscriber).where(Subscriber.email == email, Subscriber.importer_id == importer_id)
    ).first()


def load_operator_subscriber(session: Session, email: str) -> Subscriber:
    """The operator's subscriber row (no importer), created on first use."""
    row = session.exec(
        select(Subscriber).where(Subscriber.email == email, col(Subscriber.importer_id).is_(None))
    ).first()
    if row is None:
        row = Subscriber(email=email, importer_id=None, role="operator", digest="none")
        session.add(row)
        session.flush()
    return row


def list_subscribers_by_email(session: Session, email: str) -> list[Subscriber]:
    query = select(Subscriber).where(Subscriber.email == email)
    return list(session.exec(query.order_by(col(Subscriber.id))))
