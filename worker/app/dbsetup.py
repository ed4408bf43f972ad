"""Creates or upgrades the schema (Alembic, to the newest revision) and loads the bundled seed catalog."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from worker.catalog.seed import load_seed_catalog
from worker.storage.db import transaction, upgrade_schema


def init_database(engine: Engine, *, load_seed: bool = True) -> str:
    done = upgrade_schema(engine)
    if not load_seed:
        return done
    with transaction(engine) as session:
        summary = load_seed_catalog(session)
    return f"{done}; seed catalog: {summary}"
