"""The portfolio page over HTTP: the exposure is `adcvd check` for each product, uploads are guarded
(CSRF, size, the link's importer only) and a refused upload imports nothing."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from notifier.formatting import format_percent
from tests.support.fixtures import fixture
from tests.support.mail import free_port
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from tests.support.web import SECRET_KEY, live_server, web_settings
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.portfolios.files import import_portfolio
from worker.storage import people, web_rows
from worker.storage.db import transaction
from worker.web.portfolio_page import portfolio_path, shown_name
from worker.web.tokens import LinkTokens

NOW = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
DEMO = "Demo Outdoor Power Inc."
ACME = "Acme Imports LLC"


def page_path(engine: Engine, importer: str, *, signed_at: datetime = NOW) -> str:
    with transaction(engine) as session:
        owner = people.load_or_create_importer(session, importer)
        assert owner.id is not None
        return portfolio_path(LinkTokens(SECRET_KEY, clock=lambda: signed_at), owner.id, owner.token_version)


def product_row(html: str, sku: str) -> str:
    [row] = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if f'<td class="sku">{sku}</td>' in r]
    return row


def csrf_field(html: str) -> str:
    [value] = re.findall(r'name="csrf_token" value="([^"]+)"', html)
    return value


def skus(engine: Engine, importer: str) -> list[str]:
    with transaction(engine) as session:
        owner = people.load_importer(session, importer)
        return [p.sku for p in people.list_products(session, importer_id=owner.id)] if owner else []


async def test_the_exposure_table_is_adcvd_check_for_each_product_with_the_deadlines_ahead(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=database_url
        )
        assert (await run_poll(settings, engine, "federal_register", now=NOW)).ok
    path = page_path(engine, DEMO)
    with live_server(web_settings(), engine, clock=lambda: NOW) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            response = await client.get(path)
    assert response.status_code == 200
    html = response.text
    # PW-3100 (Sumec, $850,000 a year): AD 169.34% (Sumec's combination rate), CVD 11.19% (all
    # others), stacked 180.53%; 850,000 x 1.6934 = 1,439,390 and 850,000 x 0.1119 = 95,115.
    sumec = product_row(html, "PW-3100")
    for needle in ("A-570-148", "C-570-149", "<strong>169.34%</strong>", "<strong>11.19%</strong>",
                   "<strong>180.53%</strong>", "$1,534,505"):  # fmt: skip
        assert needle in sumec, needle
    # Every product's figures are those `adcvd check --json` gives for it, entered that day.
    for sku, producer in (
        ("PW-3100", "Sumec Hardware & Tools Co., Ltd."),
        ("PW-2700", "Ningbo Example Cleaning Machinery Co. Ltd."),
    ):
        args = ["check", "--hts", "8424.30.9000", "--country", "CN", "--producer", producer,
                "--exporter", producer, "--date", "2024-02-12", "--json"]  # fmt: skip
        result = CliRunner().invoke(app, args, env={"ADCVD_DATABASE_URL": database_url})
        assert result.exit_code == 0, result.output
        checked = json.loads(result.stdout)
        row = product_row(html, sku)
        shown = re.findall(r"<strong>([AC]-\d{3}-\d{3})</strong>", row)
        assert shown == [c["case_number"] for c in checked["candidates"]]
        for candidate in checked["candidates"]:
            assert f"<strong>{format_percent(candidate['rate']['rate'])}</strong>" in row
    # PW-2700 ($240,000, China-wide 263.83% + all-others 11.19%): 633,192 + 26,856 = 660,048.
    assert "$660,048" in product_row(html, "PW-2700")
    assert '<strong id="total-duty">$2,194,553</strong> estimated AD/CVD duty a year.' in html
    assert "No AD/CVD case reaches it." in product_row(html, "PW-VN-01")  # Vietnam: the China orders do not
    deadlines = html[html.index('id="deadlines"') :]
    assert "Wednesday, March 13, 2024" in deadlines and "Annual inquiry service list" in deadlines


async def test_a_product_with_possible_matches_only_is_not_reached_nor_counted_in_the_duty(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """CONSTRUCTED line: a spray nozzle under 8424.90 (parts) from China shares only the 4-digit heading
    with the order's 8424.30.90.00, a possible match. The README: possible matches never count as
    reaching a product; the page counted it as reached and added 275.02% of its value to the total."""
    subscribe_sample_portfolio(engine)
    nozzle = tmp_path / "nozzle.csv"
    nozzle.write_text(
        "importer,sku,description,hts,country_of_origin,annual_entered_value_usd\n"
        f"{DEMO},PW-NOZZLE,Spray nozzle,8424.90.9080,CN,100000\n",
        encoding="utf-8",
    )
    assert not import_portfolio(engine, nozzle, dry_run=False).errors
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=database_url
        )
        assert (await run_poll(settings, engine, "federal_register", now=NOW)).ok
    with live_server(web_settings(), engine, clock=lambda: NOW) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            html = (await client.get(page_path(engine, DEMO))).text
    row = product_row(html, "PW-NOZZLE")
    assert "A-570-148" in row and "possible" in row  # listed, as `adcvd check` lists it
    assert "possible matches only: not counted" in row
    assert "5 product(s), 2 reached by an AD/CVD case" in html
    # The same total as without the nozzle: PW-3100 $1,534,505 + PW-2700 $660,048.
    assert '<strong id="total-duty">$2,194,553</strong> estimated AD/CVD duty a year.' in html


def test_uploads_need_the_form_token_fit_the_limit_and_hold_only_the_links_importer(engine: Engine) -> None:
    path = page_path(engine, ACME)
    good = fixture("portfolio", "acme_portfolio.csv")
    demo = fixture("portfolio", "sample_portfolio.csv")
    with (
        live_server(web_settings(web_max_body_bytes=4096), engine, clock=lambda: NOW) as base,
        httpx.Client(base_url=base) as client,
    ):
        no_cookie = httpx.post(base + path, files={"portfolio": (good.name, good.read_bytes(), "text/csv")})
        assert no_cookie.status_code == 403 and skus(engine, ACME) == []

        token = csrf_field(client.get(path).text)
        form = {"csrf_token": token}
        forged = client.post(
            path, data={"csrf_token": token[:-2] + "xx"}, files={"portfolio": (good.name, b"x")}
        )
        assert forged.status_code == 403

        other = client.post(path, data=form, files={"portfolio": (demo.name, demo.read_bytes(), "text/csv")})
        assert other.status_code == 422
        assert (
            "error: sample_portfolio.csv:2: importer: not &#39;Acme Imports LLC&#39;, whose portfolio this is"
            in other.text
        )
        assert "4 error(s); nothing imported" in other.text
        assert skus(engine, ACME) == [] and skus(engine, DEMO) == []

        too_big = client.post(path, data=form, files={"portfolio": ("big.csv", b"x" * 5000, "text/csv")})
        assert too_big.status_code == 413 and skus(engine, ACME) == []

        no_file = client.post(path, data=form, files={"portfolio": ("", b"", "text/csv")})
        assert no_file.status_code == 422 and "choose a .csv or .xlsx file" in no_file.text

        done = client.post(path, data=form, files={"portfolio": (good.name, good.read_bytes(), "text/csv")})
        assert done.status_code == 200
        assert "imported 5 line(s): 5 created, 0 updated, 0 unchanged" in done.text
        assert len(skus(engine, ACME)) == 5


@pytest.mark.parametrize("how", ["forged", "another purpose", "expired", "revoked"])
def test_a_bad_link_opens_nothing(engine: Engine, how: str) -> None:
    path = page_path(engine, ACME, signed_at=NOW - timedelta(days=31) if how == "expired" else NOW)
    if how == "forged":
        path = path[:-3] + "abc"
    if how == "another purpose":
        path = "/portfolio/" + LinkTokens(SECRET_KEY, clock=lambda: NOW).sign("preferences", 1, 0)
    if how == "revoked":
        with transaction(engine) as session:
            owner = people.load_importer(session, ACME)
            assert owner is not None
            web_rows.bump_token_version(owner, session)
    with live_server(web_settings(), engine, clock=lambda: NOW) as base:
        refused = httpx.get(base + path)
    assert refused.status_code == 404
    expected = "This portfolio link has expired" if how == "expired" else "This link is not valid"
    assert f"<h1>{expected}</h1>" in refused.text


def test_adcvd_portfolio_link_prints_a_link_that_opens_the_page(engine: Engine, database_url: str) -> None:
    page_path(engine, ACME)  # the importer exists
    port = free_port()
    env = {
        "ADCVD_DATABASE_URL": database_url,
        "ADCVD_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ADCVD_SECRET_KEY": SECRET_KEY,
    }
    printed = CliRunner().invoke(app, ["portfolio", "link", "--importer", ACME], env=env)
    assert printed.exit_code == 0, printed.output
    link = printed.stdout.strip()
    assert link.startswith(f"http://127.0.0.1:{port}/portfolio/")
    with live_server(web_settings(), engine, port=port):
        opened = httpx.get(link)
    assert opened.status_code == 200 and "<h1>Portfolio of Acme Imports LLC</h1>" in opened.text

    unknown = CliRunner().invoke(app, ["portfolio", "link", "--importer", "Nobody Inc."], env=env)
    assert unknown.exit_code == 1 and unknown.stderr == "error: no importer named 'Nobody Inc.'\n"
    unset = {"ADCVD_DATABASE_URL": database_url, "ADCVD_PUBLIC_URL": "", "ADCVD_SECRET_KEY": ""}
    refused = CliRunner().invoke(app, ["portfolio", "link", "--importer", ACME], env=unset)
    assert refused.exit_code == 1
    assert (
        refused.stderr == "error: set ADCVD_PUBLIC_URL and ADCVD_SECRET_KEY to make links to the web pages\n"
    )


def test_an_xlsx_upload_imports_like_the_cli(engine: Engine, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Importer", "SKU", "HTS", "Country of origin", "Annual entered value (USD)"])
    sheet.append([ACME, "ROD-M10", "7318.15.50.90", "China", 10000])
    sheet.append([ACME, "BOLT-M10", "7318152065", "VN", 7500])
    sheet.append([ACME, "ROD-M99", "7318.15.50.90", "Narnia", 1])
    workbook = tmp_path / "acme.xlsx"
    book.save(workbook)
    path = page_path(engine, ACME)
    with (
        live_server(web_settings(), engine, clock=lambda: NOW) as base,
        httpx.Client(base_url=base) as client,
    ):
        form = {"csrf_token": csrf_field(client.get(path).text)}
        refused = client.post(path, data=form, files={"portfolio": ("acme.xlsx", workbook.read_bytes())})
        assert refused.status_code == 422
        assert "error: acme.xlsx:4: country_of_origin: unknown country: &#39;Narnia&#39;" in refused.text
        assert skus(engine, ACME) == []
        sheet.delete_rows(4)
        book.save(workbook)
        done = client.post(path, data=form, files={"portfolio": ("acme.xlsx", workbook.read_bytes())})
    assert done.status_code == 200 and "imported 2 line(s): 2 created, 0 updated, 0 unchanged" in done.text
    assert sorted(skus(engine, ACME)) == ["BOLT-M10", "ROD-M10"]


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("portfolio.csv", "portfolio.csv"),
        ("C:\\Users\\buyer\\Q3 portfolio (final).xlsx", "Q3 portfolio (final).xlsx"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ('rates<2024>"q".csv', "rates_2024_q_.csv"),
        ("<img src=x onerror=alert(1)>.csv", "_img src_x onerror_alert(1)_.csv"),
        ("/", "upload"),
    ],
)
def test_problems_name_the_uploaded_file_by_its_own_name_only(sent: str, shown: str) -> None:
    assert shown_name(sent) == shown
