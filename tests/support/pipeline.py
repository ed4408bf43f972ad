"""Helpers to run the real pipeline against a RecordedSite: routes, settings, a subscribed portfolio."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.fixtures import fixture
from worker.app.recorded_site import Route
from worker.app.settings import Settings
from worker.portfolios.files import import_portfolio
from worker.storage import people, source_rows
from worker.storage.db import transaction
from worker.storage.models import Subscriber

SEARCH_PATH = "/api/v1/documents.json"
XML_PATH = "/documents/full_text/xml/2024/02/12/2024-02902.xml"
IMPORTER = "Demo Outdoor Power Inc."
IMPORTER_EMAIL = "imports@demo-outdoor-power.example"


def pressure_washer_routes() -> list[Route]:
    return [
        Route.from_file(SEARCH_PATH, fixture("fr_api", "search_ita_2024-02-09.json"), "application/json"),
        Route.from_file(XML_PATH, fixture("fr_api", "2024-02902.xml"), "application/xml"),
    ]


def settings_for(base_url: str, *, smtp_url: str | None, outbox: Path, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        federal_register_url=base_url + "/api/v1",
        trade_gov_url=base_url,
        public_inspection_pdf_url=base_url,  # never the real desk from a test
        smtp_url=smtp_url,  # type: ignore[arg-type]
        outbox_dir=outbox,
        database_url=database_url,
        http_max_retries=1,
        http_requests_per_second=0,
        http_xml_requests_per_second=0,
    )


def subscribe_sample_portfolio(
    engine: Engine, *, email: str = IMPORTER_EMAIL, role: str = "importer"
) -> None:
    summary = import_portfolio(engine, fixture("portfolio", "sample_portfolio.csv"), dry_run=False)
    assert not summary.errors, summary.errors
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        session.add(
            Subscriber(
                email=email,
                importer_id=importer.id,
                role=role,
                unsubscribe_token="t",
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )


def set_cursor(engine: Engine, cursor: str) -> None:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "federal_register")
        state.cursor = cursor
        session.add(state)
