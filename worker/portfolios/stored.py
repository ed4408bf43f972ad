"""Stored portfolio lines: listed per importer, removed by SKU."""

from __future__ import annotations

from sqlmodel import Session

from worker.alerts.matching import ProductLine
from worker.storage import people


def list_products(session: Session, importer: str | None = None) -> list[ProductLine]:
    """Portfolio lines, optionally of one importer, ordered by importer and SKU."""
    lines = [
        ProductLine(
            sku=p.sku,
            hts=p.hts,
            country=p.country,
            description=p.description,
            producer=p.producer,
            exporter=p.exporter,
            annual_entered_value=p.annual_entered_value,
            importer=i.name,
        )
        for p, i in people.list_products_with_importers(session, importer)
    ]
    return sorted(lines, key=lambda line: (line.importer, line.sku))


def remove_products(session: Session, importer: str, skus: list[str]) -> tuple[list[str], list[str]]:
    """Delete the importer's products with these SKUs; returns (removed, not found). Caller commits."""
    owner = people.load_importer(session, importer)
    if owner is None:
        raise LookupError(f"no importer named {importer!r}")
    wanted = list(dict.fromkeys(sku.strip() for sku in skus))
    found = {
        p.sku: p
        for p in people.load_products_by_sku(session, [owner.id] if owner.id is not None else [], wanted)
    }
    for product in found.values():
        session.delete(product)
    session.flush()
    return [s for s in wanted if s in found], [s for s in wanted if s not in found]
