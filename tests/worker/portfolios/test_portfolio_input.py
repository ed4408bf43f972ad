"""Portfolios as people have them: Excel encodings, workbook sheets, any ISO country, limits, removal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from worker.app.cli import app
from worker.portfolios import reading as portfolio_files
from worker.portfolios.files import import_portfolio, parse_portfolio
from worker.portfolios.stored import list_products
from worker.storage.db import transaction

HEADER = "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd"
# CONSTRUCTED in the test: names with the accents Excel keeps in Windows-1252 (é, ü, ô, ñ) and an
# ISO country the old table refused (Côte d'Ivoire, Honduras); facts below written by hand.
ROWS = [
    "Société Générale d'Import,CAF-01,Café vert,0901.11.0000,Côte d'Ivoire,Coopérative Daloa,,1200",
    "Société Générale d'Import,MEL-02,Melón cantaloupe,0807.19.0000,HN,Frutas Peña S.A.,,300",
    "Müller Stahlhandel GmbH,ST-9,Stahlrohr ø 12 mm,7306.30.5028,Deutschland,Müller Werke,,",
]


def write_text(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_windows_1252_csv_from_excel(tmp_path: Path) -> None:
    rows = ROWS[:2]  # Deutschland is German for Germany, not an ISO name: tested apart below
    path = write_text(tmp_path / "p.csv", "\r\n".join([HEADER, *rows]) + "\r\n", "cp1252")
    parsed = parse_portfolio(path)
    assert parsed.errors == []
    assert [(r.importer, r.sku, r.country, r.producer) for r in parsed.rows] == [
        ("Société Générale d'Import", "CAF-01", "CI", "Coopérative Daloa"),
        ("Société Générale d'Import", "MEL-02", "HN", "Frutas Peña S.A."),
    ]
    assert any("read as cp1252" in w.message for w in parsed.warnings)


def test_a_utf16_tab_separated_file_from_excel(tmp_path: Path) -> None:
    text = "\r\n".join(line.replace(",", "\t") for line in [HEADER, ROWS[0]]) + "\r\n"
    path = write_text(tmp_path / "p.txt", "\ufeff" + text, "utf-16-le")
    parsed = parse_portfolio(path)
    assert parsed.errors == []
    (row,) = parsed.rows
    assert (row.sku, row.description, row.hts, row.country) == (
        "CAF-01",
        "Café vert",
        "0901110000",
        "CI",
    )


def test_an_unknown_country_name_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write_text(tmp_path / "p.csv", "\n".join([HEADER, ROWS[2]]), "utf-8")
    parsed = parse_portfolio(path)
    assert [(e.line, e.field) for e in parsed.errors] == [(2, "country_of_origin")]
    assert "unknown country: 'Deutschland'" in parsed.errors[0].message


def test_choose_the_sheet_of_a_workbook(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["This workbook lists our products on the next sheet"])
    products = workbook.create_sheet("Products")
    products.append(HEADER.split(","))
    products.append(["Acme", "A-1", "Steel nails", "7317.00.5503", "China", "", "", 1000])
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    assert [e.field for e in parse_portfolio(path).errors][:1] == ["importer"]  # the active sheet: Notes
    by_name = parse_portfolio(path, sheet="Products")
    by_number = parse_portfolio(path, sheet="2")
    assert by_name.errors == [] and by_number.errors == []
    assert [(r.sku, r.hts, r.country) for r in by_name.rows] == [("A-1", "7317005503", "CN")]
    missing = parse_portfolio(path, sheet="Sheet9")
    assert missing.errors[0].message == "no sheet 'Sheet9'; the sheets are: 'Notes', 'Products'"


def test_a_file_named_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = write_text(tmp_path / "p.xlsx", HEADER + "\n", "utf-8")
    code, stderr = run_import(tmp_path, path)
    assert code == 1
    assert "not an Excel .xlsx workbook (it is not a zip archive)" in stderr
    assert "Traceback" not in stderr


def test_a_workbook_that_unpacks_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portfolio_files, "MAX_XLSX_UNPACKED_BYTES", 1_000_000)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * 2_000_000)
    assert path.stat().st_size < 20_000
    parsed = parse_portfolio(path)
    assert "unpacks to 2,000,005 bytes, over the limit of 1,000,000" in parsed.errors[0].message


def test_too_many_lines_stop_the_read_and_errors_are_counted(tmp_path: Path) -> None:
    lines = [HEADER] + [f"Acme,SKU-{n},,7317.00.5503,Narnia,,," for n in range(500)]
    path = write_text(tmp_path / "p.csv", "\n".join(lines), "utf-8")
    parsed = parse_portfolio(path)
    assert len(parsed.errors) == 50
    assert parsed.errors_total == 500
    over = parse_portfolio(path, max_rows=100)
    assert over.errors[0].message == "more than 100 product lines; split the file"
    assert over.errors[0].line == 102
    assert over.rows == []


def test_the_cli_prints_the_first_errors_and_a_count(tmp_path: Path) -> None:
    lines = [HEADER] + [f"Acme,SKU-{n},,7317.00.5503,Narnia,,," for n in range(120)]
    path = write_text(tmp_path / "p.csv", "\n".join(lines), "utf-8")
    code, stderr = run_import(tmp_path, path)
    assert code == 1
    assert stderr.count("unknown country") == 50
    assert "… and 70 more error(s) not shown" in stderr
    assert stderr.rstrip().endswith("120 error(s); nothing imported")


def run_import(tmp_path: Path, path: Path, *extra: str) -> tuple[int, str]:
    env = {"ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = CliRunner().invoke(app, ["portfolio", "import", str(path), *extra], env=env)
    return result.exit_code, result.stderr


def test_markup_and_terminal_escapes_in_cells_print_as_text(tmp_path: Path) -> None:
    row = "Acme,[/],[bold]x[/bold] \x1b]0;pwned\x07,7317.00.5503,CN,,,"
    path = write_text(tmp_path / "p.csv", "\n".join([HEADER, row]), "utf-8")
    env = {"ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["portfolio", "import", str(path)], env=env).exit_code == 0
    listed = runner.invoke(app, ["portfolio", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "[/]" in listed.stdout
    assert "[bold]x[/bold]" in listed.stdout
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout


def test_remove_skus(engine: Engine, tmp_path: Path) -> None:
    lines = [
        HEADER,
        "Acme,A-1,,7317.00.5503,CN,,,",
        "Acme,A-2,,7317.00.5503,CN,,,",
        "Beta,A-1,,7317.00.5503,CN,,,",
    ]
    path = write_text(tmp_path / "p.csv", "\n".join(lines), "utf-8")
    assert import_portfolio(engine, path).errors == []
    env = {"ADCVD_DATABASE_URL": str(engine.url.render_as_string(hide_password=False))}
    runner = CliRunner()
    refused = runner.invoke(app, ["portfolio", "remove", "A-1", "NOPE", "--importer", "Acme"], env=env)
    assert refused.exit_code == 1
    assert "no product 'NOPE' for importer 'Acme'; nothing removed" in refused.stderr
    removed = runner.invoke(app, ["portfolio", "remove", "A-1", "--importer", "Acme"], env=env)
    assert removed.exit_code == 0, removed.output
    with transaction(engine) as session:
        left = [(line.importer, line.sku) for line in list_products(session)]
    assert left == [("Acme", "A-2"), ("Beta", "A-1")]


def test_a_file_that_cannot_be_read_is_named_without_a_line(tmp_path: Path) -> None:
    """A problem with the whole file names the file, not a line 0 that is no line of it."""
    broken = tmp_path / "bad.xlsx"
    broken.write_bytes(b"this is not a workbook")
    parsed = parse_portfolio(broken)
    assert str(parsed.errors[0]).startswith(f"{broken}: file: ")
    assert parsed.rows == []
