"""Portfolio import: every bad row reported with file, line and field; nothing saved; upserts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from worker.portfolios.files import import_portfolio, parse_portfolio
from worker.portfolios.stored import list_products
from worker.storage.db import transaction
from worker.storage.models import Importer, Product

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "portfolio"


def test_every_bad_row_is_reported_and_nothing_is_imported(engine: Engine) -> None:
    path = FIXTURES / "bad_rows.csv"
    result = import_portfolio(engine, path, dry_run=False)
    found = {(e.line, e.field) for e in result.errors}
    assert found == {
        (3, "hts"),
        (4, "country_of_origin"),
        (5, "sku"),
        (6, "sku"),
        (7, "annual_entered_value_usd"),
        (8, "hts"),
        (8, "country_of_origin"),
        (8, "annual_entered_value_usd"),
    }
    assert all(e.file == str(path) for e in result.errors)
    assert "duplicate of line 2" in next(e.message for e in result.errors if e.line == 6)
    assert str(result.errors[0]).startswith(f"{path}:3: hts: not an HTS code")
    assert result.summary is None
    with Session(engine) as session:
        assert session.exec(select(Product)).all() == []
        assert session.exec(select(Importer)).all() == []


def test_header_variants_and_values() -> None:
    parsed = parse_portfolio(FIXTURES / "bad_rows.csv")
    good = parsed.rows[0]
    assert (good.sku, good.hts, good.country, good.producer) == (
        "ROD-M10",
        "7318155090",
        "CN",
        "Example Fastener Co. Ltd.",
    )
    assert good.annual_entered_value == Decimal("10000.00")


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("importer,description,hts\nAcme,x,7318\n", encoding="utf-8")
    parsed = parse_portfolio(path)
    assert {(e.line, e.field) for e in parsed.errors} == {(1, "sku"), (1, "country_of_origin")}


def test_import_then_reimport_updates(engine: Engine) -> None:
    first = import_portfolio(engine, FIXTURES / "portfolio_v1.csv", dry_run=False)
    assert first.errors == [] and first.summary is not None
    assert (first.summary.created, first.summary.updated, first.summary.unchanged) == (3, 0, 0)
    second = import_portfolio(engine, FIXTURES / "portfolio_v2.csv", dry_run=False)
    assert second.summary is not None
    assert (second.summary.created, second.summary.updated, second.summary.unchanged) == (1, 1, 1)
    with transaction(engine) as session:
        acme = list_products(session, "Acme Imports LLC")
        everyone = list_products(session)
    assert [p.sku for p in acme] == ["NAIL-2IN", "PW-3100", "ROD-M10"]
    assert next(p for p in acme if p.sku == "PW-3100").annual_entered_value == Decimal("900000.00")
    assert next(p for p in acme if p.sku == "NAIL-2IN").country == "KR"
    assert len(everyone) == 4  # Bravo's line stays: an import upserts, it never deletes
    bravo = next(p for p in everyone if p.importer == "Bravo Outdoor Inc.")
    assert (bravo.country, bravo.annual_entered_value) == ("VN", None)


def test_dry_run_saves_nothing(engine: Engine) -> None:
    result = import_portfolio(engine, FIXTURES / "portfolio_v1.csv", dry_run=True)
    assert result.summary is not None and result.summary.created == 3
    with Session(engine) as session:
        assert session.exec(select(Product)).all() == []


def test_xlsx_import_with_errors_then_fixed(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Importer", "SKU", "HTSUS", "Origin", "Producer", "Annual Entered Value"])
    sheet.append(["Acme Imports LLC", "ROD-M10", "7318.15.50.90", "PRC", "Example", 120000])
    sheet.append(["Acme Imports LLC", "AAM-1", 3801105000, "China", "", 1500.5])
    sheet.append(["Acme Imports LLC", "BAD-1", 8424.3, "Chinese Taipei", "", "n/a"])
    sheet.append(["Acme Imports LLC", "SEED-1", 101210010, "Mexico", "", None])
    path = tmp_path / "portfolio.xlsx"
    workbook.save(path)

    result = import_portfolio(engine, path, dry_run=False)
    assert {(e.line, e.field) for e in result.errors} == {(4, "hts"), (4, "annual_entered_value_usd")}
    assert all(e.file == str(path) for e in result.errors)
    assert result.summary is None

    sheet.delete_rows(4)
    workbook.save(path)
    fixed = import_portfolio(engine, path, dry_run=False)
    assert fixed.errors == [] and fixed.summary is not None and fixed.summary.created == 3
    assert any("read 101210010 as 0101210010" in w.message for w in fixed.warnings)
    with transaction(engine) as session:
        lines = {p.sku: p for p in list_products(session)}
    assert lines["AAM-1"].hts == "3801105000"
    assert lines["AAM-1"].annual_entered_value == Decimal("1500.50")
    assert lines["SEED-1"].hts == "0101210010"
    assert lines["ROD-M10"].country == "CN"
