"""Importer portfolios: reading CSV and XLSX files, validating every row, saving and listing."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from worker import store
from worker.baseline import queue_baseline_reports
from worker.countries import normalize_country
from worker.hts import normalize_hts
from worker.matching import ProductLine
from worker.models import Importer, Product

FIELDS = (
    "importer",
    "sku",
    "description",
    "hts",
    "country_of_origin",
    "producer",
    "exporter",
    "annual_entered_value_usd",
)
REQUIRED = ("importer", "sku", "hts", "country_of_origin")
_HEADER_VARIANTS: dict[str, str] = {
    "importer": "importer", "importer_name": "importer", "importer_of_record": "importer",
    "sku": "sku", "part_number": "sku", "part_no": "sku", "item": "sku", "item_number": "sku",
    "product_code": "sku", "product_id": "sku",
    "description": "description", "product_description": "description", "desc": "description",
    "item_description": "description",
    "hts": "hts", "hts_code": "hts", "htsus": "hts", "htsus_code": "hts", "hts_number": "hts",
    "hts10": "hts", "hs_code": "hts", "tariff_code": "hts",
    "country_of_origin": "country_of_origin", "country": "country_of_origin",
    "origin": "country_of_origin", "coo": "country_of_origin", "origin_country": "country_of_origin",
    "producer": "producer", "manufacturer": "producer", "mfr": "producer", "factory": "producer",
    "exporter": "exporter", "seller": "exporter", "shipper": "exporter",
    "annual_entered_value_usd": "annual_entered_value_usd",
    "annual_entered_value": "annual_entered_value_usd", "entered_value": "annual_entered_value_usd",
    "value": "annual_entered_value_usd", "annual_value": "annual_entered_value_usd",
    "value_usd": "annual_entered_value_usd", "annual_value_usd": "annual_entered_value_usd",
}  # fmt: skip


@dataclass(frozen=True)
class PortfolioError:
    """One problem in an input file, located by file, line and field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class PortfolioRow:
    """A validated portfolio line; hts in digits, country as ISO alpha-2."""

    importer: str
    sku: str
    description: str
    hts: str
    country: str
    producer: str
    exporter: str
    annual_entered_value: Decimal | None
    line: int


@dataclass(frozen=True)
class PortfolioParse:
    rows: list[PortfolioRow]
    errors: list[PortfolioError]
    warnings: list[PortfolioError] = field(default_factory=list)


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} products added, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class PortfolioImport:
    """An import's outcome: the parse, and the summary when it was saved (or dry-run)."""

    parse: PortfolioParse
    summary: ImportSummary | None
    dry_run: bool

    @property
    def errors(self) -> list[PortfolioError]:
        return self.parse.errors

    @property
    def warnings(self) -> list[PortfolioError]:
        return self.parse.warnings


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _read_csv(path: Path) -> list[tuple[int, list[Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        sample = f.read(4096)
        f.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(f, dialect)
        rows: list[tuple[int, list[Any]]] = []
        start = 1
        for record in reader:
            rows.append((start, list(record)))
            start = reader.line_num + 1
        return rows


def _read_xlsx(path: Path) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.active
        return [
            (number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _hts_cell(value: Any) -> tuple[str | None, str | None]:
    """(text to normalise, warning); spreadsheets store codes as numbers and drop zeros."""
    if isinstance(value, float) and not value.is_integer():
        return None, "stored as a decimal number, which loses trailing zeros; format it as text"
    if isinstance(value, int | float):
        digits = str(int(value))
        if len(digits) % 2:
            return "0" + digits, f"stored as a number: read {digits} as 0{digits}"
    return _cell_text(value), None


def _money(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s$,]|USD", "", text, flags=re.IGNORECASE)
    if not cleaned:
        return None
    value = Decimal(cleaned)
    if not value.is_finite() or value < 0:
        raise InvalidOperation
    return value.quantize(Decimal("0.01"))


def parse_portfolio(path: Path) -> PortfolioParse:
    """Read and validate a portfolio file; every bad row is reported, none is dropped silently."""
    name = str(path)
    errors: list[PortfolioError] = []
    warnings: list[PortfolioError] = []
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt"):
        return PortfolioParse([], [PortfolioError(name, 0, "file", "expected a .csv or .xlsx file")])
    try:
        records = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        return PortfolioParse([], [PortfolioError(name, 0, "file", f"cannot read: {exc}")])
    records = [(n, r) for n, r in records if any(_cell_text(v) for v in r)]
    if not records:
        return PortfolioParse([], [PortfolioError(name, 1, "header", "the file is empty")])
    header_line, header = records[0]
    columns: dict[str, int] = {}
    for position, title in enumerate(header):
        key = _HEADER_VARIANTS.get(_header_key(_cell_text(title)))
        if key is None:
            warnings.append(
                PortfolioError(
                    name,
                    header_line,
                    _cell_text(title) or f"column {position + 1}",
                    "unknown column, ignored",
                )
            )
        elif key in columns:
            errors.append(PortfolioError(name, header_line, key, "column given twice"))
        else:
            columns[key] = position
    missing = [f for f in REQUIRED if f not in columns]
    for missing_field in missing:
        errors.append(PortfolioError(name, header_line, missing_field, "required column missing"))
    if missing:
        return PortfolioParse([], errors, warnings)

    rows: list[PortfolioRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, record in records[1:]:

        def raw(key: str, record: list[Any] = record) -> Any:
            position = columns.get(key)
            return record[position] if position is not None and position < len(record) else None

        def text(key: str) -> str:
            return _cell_text(raw(key))

        row_errors: list[PortfolioError] = []
        for required in ("importer", "sku"):
            if not text(required):
                row_errors.append(PortfolioError(name, line, required, "empty"))
        hts_text, hts_warning = _hts_cell(raw("hts"))
        hts = ""
        if hts_text is None:
            row_errors.append(PortfolioError(name, line, "hts", hts_warning or "unreadable"))
        else:
            try:
                hts = normalize_hts(hts_text)
                if hts_warning:
                    warnings.append(PortfolioError(name, line, "hts", hts_warning))
            except ValueError as exc:
                row_errors.append(PortfolioError(name, line, "hts", str(exc)))
        country = ""
        try:
            country = normalize_country(text("country_of_origin"))
        except ValueError as exc:
            row_errors.append(PortfolioError(name, line, "country_of_origin", str(exc)))
        value: Decimal | None = None
        try:
            value = _money(text("annual_entered_value_usd"))
        except InvalidOperation:
            row_errors.append(
                PortfolioError(
                    name,
                    line,
                    "annual_entered_value_usd",
                    f"not an amount in USD: {text('annual_entered_value_usd')!r}",
                )
            )
        ident = (text("importer"), text("sku"))
        if all(ident) and ident in seen:
            row_errors.append(
                PortfolioError(
                    name, line, "sku", f"duplicate of line {seen[ident]} for importer {ident[0]!r}"
                )
            )
        elif all(ident):
            seen[ident] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            PortfolioRow(
                ident[0],
                ident[1],
                text("description"),
                hts,
                country,
                text("producer"),
                text("exporter"),
                value,
                line,
            )
        )
    return PortfolioParse(rows, errors, warnings)


def save_portfolio(session: Session, rows: list[PortfolioRow]) -> ImportSummary:
    """Upsert products by (importer name, SKU), creating importers by name; caller commits."""
    importers = {i.name: i for i in session.exec(select(Importer)).all()}
    products = {(p.importer_id, p.sku): p for p in session.exec(select(Product)).all()}
    created = updated = unchanged = 0
    for row in rows:
        importer = importers.get(row.importer)
        if importer is None:
            importer = Importer(name=row.importer)
            session.add(importer)
            session.flush()
            importers[row.importer] = importer
        assert importer.id is not None
        product = products.get((importer.id, row.sku))
        values: dict[str, object] = {
            "description": row.description,
            "hts": row.hts,
            "country": row.country,
            "producer": row.producer,
            "exporter": row.exporter,
            "annual_entered_value": row.annual_entered_value,
        }
        if product is None:
            product = Product(
                importer_id=importer.id,
                sku=row.sku,
                description=row.description,
                hts=row.hts,
                country=row.country,
                producer=row.producer,
                exporter=row.exporter,
                annual_entered_value=row.annual_entered_value,
            )
            session.add(product)
            products[(importer.id, row.sku)] = product
            created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(product, k) != v}
        for key, value in changed.items():
            setattr(product, key, value)
        if changed:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportSummary(created, updated, unchanged)


def import_portfolio(
    engine: Engine, path: Path, *, dry_run: bool = False, baseline_at: datetime | None = None
) -> PortfolioImport:
    """Parse, and only when no row is bad, save everything in one transaction (or roll back).

    With `baseline_at`, the importers' subscribers get their baseline report queued in the same
    transaction: what already reaches the portfolio as imported.
    """
    parsed = parse_portfolio(path)
    if parsed.errors:
        return PortfolioImport(parsed, None, dry_run)
    with Session(engine, expire_on_commit=False) as session:
        summary = save_portfolio(session, parsed.rows)
        if baseline_at is not None and not dry_run:
            names = {row.importer for row in parsed.rows}
            ids = [i.id for i in store.list_importers(session) if i.name in names and i.id is not None]
            queue_baseline_reports(session, importer_ids=ids, now=baseline_at)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return PortfolioImport(parsed, summary, dry_run)


def list_products(session: Session, importer: str | None = None) -> list[ProductLine]:
    """Portfolio lines, optionally of one importer, ordered by importer and SKU."""
    statement = select(Product, Importer).where(Product.importer_id == Importer.id)
    if importer is not None:
        statement = statement.where(Importer.name == importer)
    lines = [
        ProductLine(
            sku=p.sku,
            hts=p.hts,
            country=p.country,
            description=p.description,
            producer=p.producer,
            exporter=p.exporter,
            annual_entered_value=p.annual_entered_value,
            importer=i.name,
        )
        for p, i in session.exec(statement).all()
    ]
    return sorted(lines, key=lambda line: (line.importer, line.sku))
