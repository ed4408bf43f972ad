"""`adcvd demo`: the whole pipeline on the bundled recorded notices, served from 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import mailer_for, run_delivery, run_poll, utc_now
from worker.app.settings import Settings
from worker.portfolios.files import import_portfolio
from worker.storage import case_rows, people, source_rows
from worker.storage.db import make_engine, transaction
from worker.storage.models import Subscriber

DEMO_DATABASE_URL = "sqlite:///adcvd-demo.db"
DEMO_OUTBOX = Path("outbox")
DEMO_SUBSCRIBER = "imports@demo-outdoor-power.example"
DEMO_IMPORTER = "Demo Outdoor Power Inc."
DEMO_ISSUE_DATE = date(2024, 2, 12)


def demo_data_dir() -> Path:
    return Path(str(resources.files("worker") / "demo_data"))


def demo_routes(data: Path) -> list[Route]:
    routes = [
        Route.from_file("/api/v1/documents.json", data / "search_ita_2024-02-09.json", "application/json")
    ]
    day = DEMO_ISSUE_DATE.strftime("%Y/%m/%d")
    for xml in sorted(data.glob("*.xml")):
        routes.append(
            Route.from_file(f"/documents/full_text/xml/{day}/{xml.stem}.xml", xml, "application/xml")
        )
    return routes


def run_demo(settings: Settings) -> list[str]:
    """One cycle against a local server; running it again finds nothing new and sends nothing."""
    data = demo_data_dir()
    engine = make_engine(DEMO_DATABASE_URL)
    lines = [f"database: {DEMO_DATABASE_URL}"]
    lines.append("catalog: " + init_database(engine))
    imported = import_portfolio(engine, data / "sample_portfolio.csv", dry_run=False)
    lines.append(f"portfolio: {imported.summary}")
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, DEMO_IMPORTER)
        if people.load_subscriber(session, email=DEMO_SUBSCRIBER, importer_id=importer.id) is None:
            session.add(
                Subscriber(
                    email=DEMO_SUBSCRIBER,
                    importer_id=importer.id,
                    role="importer",
                    unsubscribe_token="demo",
                    created_at=utc_now(),
                )
            )
        state = source_rows.load_source_state(session, "federal_register")
        if state.cursor is None:
            # As if the worker had been watching until the business day before the recorded issue.
            state.cursor = (DEMO_ISSUE_DATE - timedelta(days=3)).isoformat()
            session.add(state)
    with RecordedSite(demo_routes(data)) as site:
        demo_settings = settings.model_copy(
            update={
                "federal_register_url": site.base_url + "/api/v1",
                "database_url": DEMO_DATABASE_URL,
                "smtp_url": None,  # the demo's mail stays on disk, whatever server is configured
                "outbox_dir": DEMO_OUTBOX,
            }
        )
        report = asyncio.run(run_poll(demo_settings, engine, "federal_register", now=utc_now()))
    if not report.ok:
        lines.append(f"poll failed: {report.error}")
        return lines
    delivery = asyncio.run(run_delivery(demo_settings, engine))
    with transaction(engine) as session:
        cases = len(case_rows.list_cases(session))
    if report.not_modified:
        lines.append(
            f"federal register: nothing new since the last poll (HTTP 304); catalog holds {cases} cases"
        )
    else:
        lines.append(
            f"federal register: {report.documents_seen} documents read, {report.documents_new} new, "
            f"{report.cases_touched} cases updated, {report.rates_added} company rates; "
            f"catalog holds {cases} cases"
        )
    lines.append(f"alerts: {report.alerts_created} new, {delivery.sent} sent, {delivery.retried} to retry")
    lines.append(f"mail went to: {mailer_for(demo_settings).description}")
    lines.extend(explore_hints())
    return lines


def explore_hints() -> list[str]:
    env = f"ADCVD_DATABASE_URL={DEMO_DATABASE_URL}"
    return [
        "explore the demo database:",
        f"  {env} adcvd status",
        f"  {env} adcvd portfolio list",
        f"  {env} adcvd outbox list",
        f"  {env} adcvd deadlines --days 3650",
        f"  the emails: ls {DEMO_OUTBOX}/new (each file is one message; open it in a mail client)",
    ]
