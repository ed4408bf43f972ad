"""Importer portfolios: reading CSV and XLSX files, validating every row, saving them (stored.py lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from worker.alerts.baseline import queue_baseline_reports
from worker.alerts.holds import BulkHold, hold_import_if_bulk
from worker.portfolios.cells import HEADER_VARIANTS, cell_text, hts_cell, money
from worker.portfolios.problems import ParsedFile, PortfolioError, Problems
from worker.portfolios.table_file import TableFile
from worker.rules.countries import normalize_country
from worker.rules.hts import normalize_hts
from worker.storage import people
from worker.storage.models import Alert, Importer, Product

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
MAX_ROWS = 100_000  # product lines per file
MAX_CELL_CHARS = 1_000


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


# The valid rows, and the first errors and warnings with how many there were in all.
PortfolioParse = ParsedFile[PortfolioRow]


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
    held: str | None = (
        None  # the hold key when its baseline reports wait for the operator (worker.alerts.holds)
    )
    held_count: int = 0

    @property
    def errors(self) -> list[PortfolioError]:
        return self.parse.errors

    @property
    def warnings(self) -> list[PortfolioError]:
        return self.parse.warnings


def _validate_row(
    name: str, line: int, record: list[Any], columns: dict[str, int], warnings: Problems
) -> PortfolioRow | list[PortfolioError]:
    """The row as a PortfolioRow, or its errors."""

    def raw(key: str) -> Any:
        position = columns.get(key)
        return record[position] if position is not None and position < len(record) else None

    texts = {key: cell_text(raw(key)) for key in FIELDS}

    def text(key: str) -> str:
        return texts[key]

    row_errors: list[PortfolioError] = []
    for key in columns:
        if len(text(key)) > MAX_CELL_CHARS:
            row_errors.append(PortfolioError(name, line, key, f"longer than {MAX_CELL_CHARS:,} characters"))
    if row_errors:
        return row_errors
    for required in ("importer", "sku"):
        if not text(required):
            row_errors.append(PortfolioError(name, line, required, "empty"))
    hts_text, hts_warning = hts_cell(raw("hts"))
    hts = ""
    if hts_text is None:
        row_errors.append(PortfolioError(name, line, "hts", hts_warning or "unreadable"))
    else:
        try:
            hts = normalize_hts(hts_text)
            if hts_warning:
                warnings.add(PortfolioError(name, line, "hts", hts_warning))
        except ValueError as exc:
            row_errors.append(PortfolioError(name, line, "hts", str(exc)))
    country = ""
    try:
        country = normalize_country(text("country_of_origin"))
    except ValueError as exc:
        row_errors.append(PortfolioError(name, line, "country_of_origin", str(exc)))
    value: Decimal | None = None
    try:
        value = money(text("annual_entered_value_usd"))
    except InvalidOperation:
        amount = text("annual_entered_value_usd")
        row_errors.append(
            PortfolioError(name, line, "annual_entered_value_usd", f"not an amount in USD: {amount!r}")
        )
    if row_errors:
        return row_errors
    return PortfolioRow(
        text("importer"),
        text("sku"),
        text("description"),
        hts,
        country,
        text("producer"),
        text("exporter"),
        value,
        line,
    )


def parse_portfolio(
    path: Path, *, sheet: str | None = None, max_rows: int = MAX_ROWS, name: str = "", importer: str = ""
) -> PortfolioParse:
    """Read and validate a portfolio file as a stream; every bad row is counted, the first are listed.

    At most `max_rows` product lines: a longer file is refused at the first line over the limit.
    Problems name the file `name` (default: the path). With `importer`, a line of another is an error.
    """
    name = name or str(path)
    table = TableFile(path, HEADER_VARIANTS, REQUIRED, max_rows, sheet=sheet, unit="product lines", name=name)
    errors, warnings = table.errors, table.warnings
    rows: list[PortfolioRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, record, columns in table.lines():
        checked = _validate_row(name, line, record, columns, warnings)
        if isinstance(checked, list):
            for problem in checked:
                errors.add(problem)
            continue
        if importer and checked.importer != importer:
            errors.add(PortfolioError(name, line, "importer", f"not {importer!r}, whose portfolio this is"))
            continue
        ident = (checked.importer, checked.sku)
        if ident in seen:
            errors.add(
                PortfolioError(
                    name, line, "sku", f"duplicate of line {seen[ident]} for importer {ident[0]!r}"
                )
            )
            continue
        seen[ident] = line
        rows.append(checked)
    return table.parsed(rows)


SAVE_BATCH = 2_000  # products flushed and let go of at a time: memory stays flat on big files


def save_portfolio(session: Session, rows: list[PortfolioRow]) -> ImportSummary:
    """Upsert products by (importer name, SKU), creating importers by name; caller commits.

    Works in batches: each batch's stored products are loaded, changed or added, flushed, and
    dropped from the session, so a large import does not hold every product object at once.
    """
    importer_ids: dict[str, int] = people.importer_ids_by_name(session)
    created = updated = unchanged = 0
    for start in range(0, len(rows), SAVE_BATCH):
        batch = rows[start : start + SAVE_BATCH]
        for row in batch:
            if row.importer not in importer_ids:
                importer = Importer(name=row.importer)
                session.add(importer)
                session.flush()
                assert importer.id is not None
                importer_ids[row.importer] = importer.id
        wanted_ids = {importer_ids[row.importer] for row in batch}
        stored = {
            (p.importer_id, p.sku): p
            for p in people.load_products_by_sku(session, wanted_ids, {row.sku for row in batch})
        }
        for row in batch:
            importer_id = importer_ids[row.importer]
            values: dict[str, Any] = {
                "description": row.description,
                "hts": row.hts,
                "country": row.country,
                "producer": row.producer,
                "exporter": row.exporter,
                "annual_entered_value": row.annual_entered_value,
            }
            product = stored.get((importer_id, row.sku))
            if product is None:
                session.add(Product(importer_id=importer_id, sku=row.sku, **values))
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
        session.expunge_all()
    return ImportSummary(created, updated, unchanged)


def import_portfolio(
    engine: Engine,
    path: Path,
    *,
    dry_run: bool = False,
    baseline_at: datetime | None = None,
    sheet: str | None = None,
    bulk_hold: BulkHold | None = None,
    name: str = "",
    importer: str = "",
) -> PortfolioImport:
    """Parse, and only when no row is bad, save everything in one transaction (or roll back).

    With `baseline_at`, the importers' subscribers get their baseline report queued in the same
    transaction: what already reaches the portfolio as imported; with `bulk_hold`, more of them than its
    threshold are held for the operator (`adcvd hold release import-…`). `name` and `importer`: as
    parse_portfolio reads them.
    """
    parsed = parse_portfolio(path, sheet=sheet, name=name, importer=importer)
    if parsed.errors:
        return PortfolioImport(parsed, None, dry_run)
    held: str | None = None
    queued: list[Alert] = []
    with Session(engine, expire_on_commit=False) as session:
        summary = save_portfolio(session, parsed.rows)
        if baseline_at is not None and not dry_run:
            names = {row.importer for row in parsed.rows}
            ids = [i.id for i in people.list_importers(session) if i.name in names and i.id is not None]
            queued = queue_baseline_reports(session, importer_ids=ids, now=baseline_at)
            if bulk_hold is not None:
                held = hold_import_if_bulk(
                    session, queued, source=Path(name or path).name, rule=bulk_hold, now=baseline_at
                )
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return PortfolioImport(parsed, summary, dry_run, held, len(queued) if held else 0)
