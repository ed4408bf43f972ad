"""Creates or upgrades the schema and loads the bundled seed catalog."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from worker.catalog_seed import load_seed_catalog
from worker.db import create_schema, transaction


def init_database(engine: Engine, *, load_seed: bool = True) -> str:
    create_schema(engine)
    if not load_seed:
        return "schema ready"
    with transaction(engine) as session:
        summary = load_seed_catalog(session)
    return f"schema ready; seed catalog: {summary}"
