"""The seed catalog with tests/fixtures/portfolio/realistic_portfolio.csv imported, and a subscriber for
one of its importers (Harbor Home Goods LLC is the one the alert tests follow)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from worker.catalog.seed import load_seed_catalog
from worker.portfolios.files import import_portfolio
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Subscriber

HARBOR = "Harbor Home Goods LLC"


def seeded_realistic_portfolio(engine: Engine) -> None:
    """The bundled seed catalog, then the realistic portfolio (its five importers and their products)."""
    with transaction(engine) as session:
        load_seed_catalog(session)
    result = import_portfolio(engine, fixture("portfolio", "realistic_portfolio.csv"))
    assert not result.errors, result.errors


def add_subscriber(
    engine: Engine, email: str, *, role: str, created_at: datetime, importer: str = HARBOR, **fields: Any
) -> None:
    """A subscriber of an importer already imported; `fields` as the Subscriber row's (digest, ...)."""
    with transaction(engine) as session:
        owner = people.load_importer(session, importer)
        assert owner is not None
        fields.setdefault("unsubscribe_token", "t")
        session.add(Subscriber(email=email, importer_id=owner.id, role=role, created_at=created_at, **fields))
