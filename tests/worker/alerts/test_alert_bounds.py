"""An alert reaching many products lists the top ones by exposure and a count, and attaches them all
as a CSV; what it stores stays bounded however large the portfolio."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.support.mail import SmtpServer, html_of, text_of
from tests.support.pipeline import IMPORTER, pressure_washer_routes, set_cursor, settings_for
from worker.alerts.alert_products import (
    MAX_PRODUCTS_SHOWN,
    ProductLine,
    alert_product_fields,
    products_csv,
    products_to_show,
)
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.portfolios.files import import_portfolio
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Subscriber

HEADER = "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
SUMEC = '"Sumec Hardware & Tools Co., Ltd."'


def write_portfolio(path: Path, count: int) -> Path:
    """CONSTRUCTED: `count` Chinese gas pressure washers from one supplier; PW-i enters (i+1) x $1,000."""
    lines = [
        f'{IMPORTER},PW-{i:05d},"Gas pressure washer model {i}",8424.30.9000,CN,{SUMEC},{SUMEC},'
        f"{(i + 1) * 1000}\n"
        for i in range(count)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def subscribe(engine: Engine, portfolio: Path) -> None:
    summary = import_portfolio(engine, portfolio, dry_run=False)
    assert not summary.errors, summary.errors
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        session.add(
            Subscriber(
                email="buyer@example.com", importer_id=importer.id, role="importer", unsubscribe_token="t"
            )
        )


async def test_an_order_reaching_many_products_lists_the_top_by_exposure_and_attaches_all(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    count = 60
    subscribe(engine, write_portfolio(tmp_path / "portfolio.csv", count))
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.ok and report.alerts_created == 1
        assert (await run_delivery(settings, engine, now=now)).sent == 1
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.kind == "order"]
        payload = alert.payload
    top = [f"PW-{i:05d}" for i in range(count - 1, count - 1 - MAX_PRODUCTS_SHOWN, -1)]
    assert [p["sku"] for p in payload["products"]] == top  # highest entered value, same rate: top exposure
    assert payload["product_count"] == count and payload["skus"] == sorted(top)

    [message] = smtp.sink.messages
    assert f"of your {count}" in str(message["Subject"]) or f" {count} of your" in str(message["Subject"])
    text, html = text_of(message), html_of(message)
    assert (
        f"and {count - MAX_PRODUCTS_SHOWN} more products" in text
        and f"all {count} are in the attached CSV" in text
    )
    assert f"and {count - MAX_PRODUCTS_SHOWN} more products" in html
    assert "PW-00059" in text and "PW-00000" not in text  # the smallest is only in the CSV
    [attached] = [part for part in message.iter_attachments() if part.get_content_type() == "text/csv"]
    assert attached.get_filename() == "adcvd-products-2024-02902.csv"
    rows = list(csv.DictReader(io.StringIO(attached.get_content())))
    assert len(rows) == count and {r["sku"] for r in rows} == {f"PW-{i:05d}" for i in range(count)}
    assert rows[0]["sku"] == "PW-00059" and rows[0]["annual_entered_value_usd"] == "60000.00"
    assert rows[0]["cases"] == "A-570-148; C-570-149"  # the AD and CVD orders of 2024-02902
    assert rows[-1]["sku"] == "PW-00000"


async def test_a_few_products_are_all_listed_with_no_attachment(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe(engine, write_portfolio(tmp_path / "portfolio.csv", 3))
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        await run_poll(settings, engine, "federal_register", now=now)
        await run_delivery(settings, engine, now=now)
    [message] = smtp.sink.messages
    assert "more product" not in text_of(message)
    assert not [p for p in message.iter_attachments() if p.get_content_type() == "text/csv"]
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.kind == "order"]
        assert "products_csv" not in alert.payload and len(alert.payload["products"]) == 3


def line(i: int) -> ProductLine:
    return ProductLine(
        product_id=i,
        sku=f"SKU-{i:06d}",
        description="A product description of moderate length " * 3,
        hts="8424309000",
        country="CN",
        cases=("A-570-148", "C-570-149"),
        total_rates="10.00",
        entered_value=f"{i}.00",
        exposure=Decimal(i) / 10,
        candidate_only=False,
        changed=frozenset(),
    )


def test_the_csv_is_cut_at_its_byte_limit_and_says_how_many_are_left_out() -> None:
    content, left_out = products_csv([line(i) for i in range(1000)], ["A-570-148"], max_bytes=20_000)
    assert len(content) <= 20_000 + 200 and left_out > 800
    text = content.decode()
    assert text.rstrip().endswith(f"... {left_out} more products not listed: the attachment is capped")
    assert ",A-570-148," in text and "C-570-149" not in text  # only the cases the alert is about


def test_the_stored_payload_stays_bounded_whatever_the_number_of_products() -> None:
    lines = [line(i) for i in range(50_000)]
    shown = products_to_show(lines)
    assert shown == set(range(49_999, 49_999 - MAX_PRODUCTS_SHOWN, -1))  # the highest exposures
    views = [
        {"sku": f"SKU-{i:06d}", "stacks": [{"exposure": str(i / 10)}], "matches": []} for i in sorted(shown)
    ]
    fields = alert_product_fields(views, lines, ["A-570-148"], filename="f.csv")
    assert fields["product_count"] == 50_000 and len(fields["products"]) == MAX_PRODUCTS_SHOWN
    assert fields["products"][0]["sku"] == "SKU-049999"
    assert len(json.dumps(fields)) < 4 * 1024 * 1024
