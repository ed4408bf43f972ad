"""Seed catalog load (idempotent, newer facts kept) and the guide's worked example through check."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from worker.alerts.matching import ProductLine, check_shipment, load_catalog_index, match_products
from worker.app.commands import check, portfolio
from worker.app.context import AppContext
from worker.app.settings import Settings
from worker.catalog.seed import load_seed_catalog, read_seed_catalog
from worker.storage.db import make_engine, transaction
from worker.storage.models import Case, CaseHts, CompanyRate

WORKED = {"A-570-932", "A-570-104", "C-570-105"}


def test_seed_load_is_idempotent_and_keeps_newer_facts(engine: Engine) -> None:
    with transaction(engine) as session:
        first = load_seed_catalog(session)
    assert first.cases_created > 1000 and first.hts_created > 5000
    with transaction(engine) as session:
        again = load_seed_catalog(session)
    assert (again.cases_created, again.cases_updated, again.hts_created) == (0, 0, 0)
    with transaction(engine) as session:
        case = session.exec(select(Case).where(Case.case_number == "A-570-932")).one()
        case.status, case.as_of = "revoked", date(2025, 1, 1)
        session.add(case)
    with transaction(engine) as session:
        third = load_seed_catalog(session)
        case = session.exec(select(Case).where(Case.case_number == "A-570-932")).one()
    assert third.cases_kept == 1 and case.status == "revoked"


def test_seed_provenance_and_no_rates() -> None:
    seed = read_seed_catalog()
    assert {s["file"].rsplit("/", 1)[1] for s in seed["provenance"]["sources"]} == {
        "ita_access_case_list_2020.csv",
        "usitc_adcvd_orders_in_place_edis.csv",
        "us_adcvd_orders_list_itc_style_2020.csv",
        "ita_adcvd_orders_api_search_paper_2019.json",
        "wto_itip_us_antidumping_measures_hs.csv",
    }
    assert all(c["source"] and c["as_of"] for c in seed["cases"])
    hts = {h["case_number"]: h for h in seed["hts"]}
    assert hts["A-570-909"]["codes"] == ["731700"]  # nails: heading 7317 in the data, not 7318
    assert "rates" not in seed


def test_worked_example_7318_15_50_90_china(engine: Engine) -> None:
    with transaction(engine) as session:
        load_seed_catalog(session)
        catalog = load_catalog_index(session)
    result = check_shipment(
        catalog,
        hts="7318.15.50.90",
        country="CN",
        entry_date=date(2026, 5, 1),
        value=Decimal("10000"),
        threshold=90,
    )
    by_case = {c.match.case.case_number: c for c in result.candidates}
    assert set(by_case) >= WORKED
    for number in WORKED:
        candidate = by_case[number]
        assert (candidate.match.level, candidate.match.basis) == (6, "hts")
        assert candidate.match.country_match
        assert (candidate.cascade.step, candidate.cascade.rate) == ("no_rate", None)  # no 206%
        assert candidate.estimated_duty is None
    assert "A-570-909" not in by_case  # the data lists nails under 7317
    assert all(c.match.case.country == "CN" for c in result.candidates)
    described = check_shipment(
        catalog,
        hts="7318.15.50.90",
        country="CN",
        entry_date=date(2026, 5, 1),
        description="steel nails and studs",
        threshold=90,
    )
    nails = next(c for c in described.candidates if c.match.case.case_number == "A-570-909")
    assert (nails.match.basis, nails.match.confidence) == ("description", "low")


def test_check_uses_catalog_rates_for_pressure_washers(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Case(
                case_number="A-570-148",
                case_type="AD",
                country="CN",
                product="Gas Powered Pressure Washers",
                status="order",
            )
        )
        session.flush()
        session.add(CaseHts(case_number="A-570-148", hts="8424309000", source="FR Doc 2024-02902"))
        session.add(
            CompanyRate(
                case_number="A-570-148",
                exporter="Sumec Hardware and Tools Co., Ltd",
                producer="Sumec Hardware and Tools Co., Ltd",
                rate=Decimal("179.88"),
                cash_deposit=Decimal("169.34"),
                basis="combination",
                effective_date=date(2024, 2, 12),
                notice_document_number="2024-02902",
            )
        )
        session.add(
            CompanyRate(
                case_number="A-570-148",
                rate=Decimal("274.37"),
                cash_deposit=Decimal("263.83"),
                basis="country_wide",
                effective_date=date(2024, 2, 12),
                notice_document_number="2024-02902",
            )
        )
    with transaction(engine) as session:
        catalog = load_catalog_index(session)
    sumec = "Sumec Hardware & Tools Co., Ltd."
    result = check_shipment(
        catalog,
        hts="8424.30.9000",
        country="CN",
        entry_date=date(2024, 6, 1),
        producer=sumec,
        exporter=sumec,
        value=Decimal("850000"),
        threshold=90,
    )
    (candidate,) = result.candidates
    assert (candidate.match.level, candidate.match.confidence) == (10, "high")
    assert (candidate.cascade.step, candidate.cascade.rate) == ("combination", Decimal("169.34"))
    assert candidate.estimated_duty == Decimal("1439390.00")
    lines = [ProductLine("PW-VN", "8424309000", "VN"), ProductLine("PW-CN", "8424309000", "CN")]
    assert [m.product.sku for m in match_products(lines, catalog)] == ["PW-CN"]


def _app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)

    @app.callback()
    def callback(ctx: typer.Context) -> None:
        ctx.obj = AppContext(settings=Settings())

    check.register(app)
    portfolio.register(app)
    return app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ADCVD_DATABASE_URL", url)
    make_engine(url).dispose()
    return CliRunner()


def test_cli_check_json_and_bad_input(cli: CliRunner) -> None:
    app = _app()
    ok = cli.invoke(
        app,
        [
            "check",
            "--hts",
            "7318.15.50.90",
            "--country",
            "CN",
            "--date",
            "2026-05-01",
            "--value",
            "10000",
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    found = {c["case_number"]: c for c in data["candidates"]}
    assert set(found) >= WORKED
    assert found["A-570-932"]["rate"]["text"] == "no rate in catalog"
    for args, message in [
        (["check", "--hts", "73x", "--country", "CN"], "not an HTS code"),
        (["check", "--hts", "7318", "--country", "Narnia"], "unknown country"),
        (["check", "--hts", "7318", "--country", "CN", "--date", "2026-13-01"], "YYYY-MM-DD"),
        (["check", "--hts", "7318", "--country", "CN", "--value", "ten"], "--value"),
        (["calc", "--normal-value", "140", "--export-price", "0"], "greater than zero"),
    ]:
        bad = cli.invoke(app, args)
        assert bad.exit_code == 1 and message in bad.output and "Traceback" not in bad.output


def test_cli_calc_worked_example(cli: CliRunner) -> None:
    result = cli.invoke(
        _app(),
        [
            "calc",
            "--normal-value",
            "140",
            "--export-price",
            "112",
            "--entered-value",
            "112000",
            "--other-duties",
            "3000",
            "--json",
        ],
    )
    data = json.loads(result.stdout)
    assert (data["margin_percent"], data["estimated_duty"], data["total_exposure"]) == (
        "25.00",
        "28000.00",
        "31000.00",
    )


def test_cli_portfolio_import_and_list(cli: CliRunner) -> None:
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "portfolio"
    app = _app()
    bad = cli.invoke(app, ["portfolio", "import", str(fixtures / "bad_rows.csv")])
    assert bad.exit_code == 1 and "bad_rows.csv:3: hts" in bad.output and "nothing imported" in bad.output
    ok = cli.invoke(app, ["portfolio", "import", str(fixtures / "portfolio_v1.csv")])
    assert ok.exit_code == 0 and "3 created" in ok.output
    listed = cli.invoke(app, ["portfolio", "list", "--importer", "Bravo Outdoor Inc."])
    assert listed.exit_code == 0 and "PW-2700" in listed.output and "ROD-M10" not in listed.output
