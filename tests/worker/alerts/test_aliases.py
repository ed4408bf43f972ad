"""An importer's alias table: the cascade reads their name for a supplier as Commerce's name for it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.pipeline import IMPORTER, pressure_washer_routes, set_cursor, settings_for
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Product, Subscriber


def rate_for(engine: Engine, sku: str, case_number: str) -> tuple[str, str | None]:
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.notice_document_number == "2024-02902"]
    for product in alert.payload["products"]:
        if product["sku"] == sku:
            [match] = [m for m in product["matches"] if m["case_number"] == case_number]
            return match["step"], match["rate"]
    raise AssertionError(f"{sku} not in the alert")


def portfolio_with_nickname(engine: Engine) -> None:
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        assert importer.id is not None
        session.add(
            Product(
                importer_id=importer.id,
                sku="PW-SHT",
                description="gas pressure washer",
                hts="8424309000",
                country="CN",
                producer="SHT Nanjing",
                exporter="SHT Nanjing",
            )
        )
        session.add(Subscriber(email="buyer@example.com", importer_id=importer.id, role="importer"))


async def poll_order(engine: Engine, tmp_path: Path, now: datetime) -> None:
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        assert (await run_poll(settings, engine, "federal_register", now=now)).alerts_created == 1


async def test_without_alias_the_unknown_name_pays_the_country_wide_rate(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    portfolio_with_nickname(engine)
    await poll_order(engine, tmp_path, now)
    assert rate_for(engine, "PW-SHT", "A-570-148") == ("country_wide", "263.8300")


async def test_alias_added_on_the_command_line_gives_the_supplier_its_own_rate(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    portfolio_with_nickname(engine)
    env = {"ADCVD_DATABASE_URL": str(engine.url)}
    added = CliRunner().invoke(
        app,
        ["alias", "add", "SHT Nanjing", "Sumec Hardware and Tools Co., Ltd", "--importer", IMPORTER],
        env=env,
    )
    assert added.exit_code == 0, added.output
    listed = CliRunner().invoke(app, ["alias", "list", "--importer", IMPORTER], env=env)
    assert "SHT Nanjing\tSumec Hardware and Tools Co., Ltd" in listed.output
    await poll_order(engine, tmp_path, now)
    assert rate_for(engine, "PW-SHT", "A-570-148") == ("combination", "169.3400")


def test_alias_for_unknown_importer_is_refused(engine: Engine) -> None:
    result = CliRunner().invoke(
        app,
        ["alias", "add", "A", "B Co", "--importer", "Nobody Inc."],
        env={"ADCVD_DATABASE_URL": str(engine.url)},
    )
    assert result.exit_code == 1 and "no importer named 'Nobody Inc.'" in result.output
