"""A case with a deadline ahead for the sample importer, before any notice is read: India shrimp."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from tests.support.pipeline import IMPORTER
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Case, CaseHts, Product

# The order of February 1, 2005 (seed catalog: usitc orders in place); its review-request window
# closes on the last business day of each February: Thursday February 29 in 2024.
SHRIMP_CASE = "A-533-840"


def shrimp_order(engine: Engine, importer: str = IMPORTER) -> None:
    """India shrimp (A-533-840) in the catalog, and a shrimp line in the importer's portfolio."""
    with transaction(engine) as session:
        session.add(
            Case(
                case_number=SHRIMP_CASE,
                case_type="AD",
                country="IN",
                product="Frozen Warmwater Shrimp",
                status="order",
                order_date=date(2005, 2, 1),
            )
        )
        session.flush()
        session.add(CaseHts(case_number=SHRIMP_CASE, hts="0306170040"))
        owner = people.load_or_create_importer(session, importer)
        assert owner.id is not None
        session.add(
            Product(importer_id=owner.id, sku="SH-1", description="Shrimp", hts="0306170040", country="IN")
        )
