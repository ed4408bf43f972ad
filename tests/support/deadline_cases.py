"""Cases with deadlines ahead for the sample importer, before any notice is read: India shrimp, and
the pressure washers order with the sample portfolio subscribed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from tests.support.pipeline import IMPORTER, subscribe_sample_portfolio
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Case, CaseHts, Product

# The order of February 1, 2005 (seed catalog: usitc orders in place); its review-request window
# closes on the last business day of each February: Thursday February 29 in 2024.
SHRIMP_CASE = "A-533-840"
PRESSURE_WASHERS_CASE = "A-570-148"  # ordered 2024-02-12 (FR Doc 2024-02902)


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


def subscribed_pressure_washer_order(engine: Engine) -> None:
    """The sample portfolio subscribed (tests.support.pipeline) and the pressure washers AD order
    (A-570-148, ordered February 12, 2024) reaching its 8424.30.9000 lines."""
    subscribe_sample_portfolio(engine)
    with transaction(engine) as session:
        session.add(
            Case(
                case_number=PRESSURE_WASHERS_CASE,
                case_type="AD",
                country="CN",
                product="Gas Powered Pressure Washers",
                status="order",
                order_date=date(2024, 2, 12),
            )
        )
        session.flush()
        session.add(CaseHts(case_number=PRESSURE_WASHERS_CASE, hts="8424309000"))
