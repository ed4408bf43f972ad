"""Entry files: every line validated (file, line and field named), then an importer's entries replaced."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from worker.entries import cells
from worker.entries.decide import decide_from_stored_notices
from worker.portfolios.cells import cell_text, hts_cell, money
from worker.portfolios.problems import ParsedFile, PortfolioError, Problems
from worker.portfolios.table_file import TableFile
from worker.rules.countries import normalize_country
from worker.rules.hts import normalize_hts
from worker.storage import entry_rows, people
from worker.storage.models import Entry, Product

FIELDS = (
    "entry_number",
    "entry_date",
    "importer",
    "sku",
    "hts",
    "country_of_origin",
    "producer",
    "exporter",
    "entered_value_usd",
    "case_number",
    "deposit_rate_pct",
    "deposit_paid_usd",
    "liquidation_status",
)
REQUIRED = (
    "entry_number",
    "entry_date",
    "entered_value_usd",
    "case_number",
    "deposit_rate_pct",
    "deposit_paid_usd",
)
MAX_ROWS = 200_000  # entry lines per file
MAX_CELL_CHARS = 1_000
DEFAULT_NAME_THRESHOLD = 90  # ADCVD_NAME_MATCH_THRESHOLD's default


@dataclass(frozen=True)
class EntryRow:
    """A validated entry line: hts in digits, country ISO alpha-2, money in USD to the cent."""

    line: int
    entry_number: str
    entry_date: date
    sku: str
    hts: str
    country: str
    producer: str
    exporter: str
    entered_value: Decimal
    case_number: str
    deposit_rate: Decimal
    deposit_paid: Decimal
    liquidation_status: str


EntryParse = ParsedFile[EntryRow]


@dataclass(frozen=True)
class EntryImport:
    """An import's outcome: the parse; when clean, how many entries replaced how many (or would)."""

    parse: EntryParse
    imported: int = 0
    replaced: int = 0
    matched_products: int = 0
    decided: int = 0  # entries a results notice already stored decides (assessed at once, no alert)
    dry_run: bool = False


class _Row:
    """One line's cells by field, and the problems found reading them."""

    def __init__(self, name: str, line: int, record: list[Any], columns: dict[str, int]) -> None:
        self.name, self.line, self.problems = name, line, list[PortfolioError]()
        self.raw = {k: record[p] if p < len(record) else None for k, p in columns.items()}
        self.text = {k: cell_text(self.raw.get(k)) for k in FIELDS}

    def fail(self, key: str, message: str) -> None:
        self.problems.append(PortfolioError(self.name, self.line, key, message))

    def read(self, key: str, parse: Any, default: Any) -> Any:
        if not self.text[key]:
            if key in REQUIRED:
                self.fail(key, "empty")
            return default
        try:
            return parse(self.text[key])
        except (ValueError, InvalidOperation) as exc:
            self.fail(key, str(exc) if str(exc) else f"cannot read {self.text[key]!r}")
            return default


def _amount(text: str) -> Decimal:
    try:
        value = money(text)
    except (ValueError, InvalidOperation):
        value = None
    if value is None:
        raise ValueError(f"not an amount in USD, zero or more (25,000.00 or $25,000): {text!r}")
    return value


def _validate(row: _Row, importer: str, warnings: Problems) -> EntryRow | None:
    for key, text in row.text.items():
        if len(text) > MAX_CELL_CHARS:
            row.fail(key, f"longer than {MAX_CELL_CHARS:,} characters")
    if row.problems:
        return None
    named = row.text["importer"]
    if named and named.casefold() != importer.casefold():
        row.fail(
            "importer", f"{named!r} is not the importer being imported ({importer!r}); nothing of it is read"
        )
        return None
    number = row.read("entry_number", cells.entry_number, "")
    when = row.read("entry_date", lambda _: cells.entry_date(row.raw.get("entry_date")), None)
    hts = ""
    if row.text["hts"]:
        hts_text, note = hts_cell(row.raw.get("hts"))
        if hts_text is None:
            row.fail("hts", note or "unreadable")
        else:
            hts = row.read("hts", lambda _: normalize_hts(hts_text), "")
            if note and hts:
                warnings.add(PortfolioError(row.name, row.line, "hts", note))
    country = row.read("country_of_origin", normalize_country, "")
    if not row.text["sku"] and not (hts and country):
        row.fail("sku", "empty, and no hts and country_of_origin to identify the product")
    value = row.read("entered_value_usd", _amount, Decimal(0))
    case = row.read("case_number", cells.case_number, "")
    rate = row.read("deposit_rate_pct", cells.rate_pct, Decimal(0))
    paid = row.read("deposit_paid_usd", _amount, Decimal(0))
    status = row.read("liquidation_status", cells.liquidation_status, "unliquidated")
    if row.problems:
        return None
    return EntryRow(
        row.line, number, when, row.text["sku"], hts, country, row.text["producer"], row.text["exporter"],
        value, case, rate, paid, status,
    )  # fmt: skip


def parse_entries(
    path: Path, *, importer: str, sheet: str | None = None, max_rows: int = MAX_ROWS
) -> EntryParse:
    """Read and validate one importer's entry file; every bad line is counted, the first are listed."""
    table = TableFile(path, cells.ENTRY_HEADER_VARIANTS, REQUIRED, max_rows, sheet=sheet, unit="entry lines")
    errors, warnings = table.errors, table.warnings
    rows: list[EntryRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, record, columns in table.lines():
        row = _Row(str(path), line, record, columns)
        checked = _validate(row, importer, warnings)
        for problem in row.problems:
            errors.add(problem)
        if checked is None:
            continue
        ident = (checked.entry_number, checked.case_number)
        if ident in seen:
            message = f"entry {checked.entry_number} under {checked.case_number} is on line {seen[ident]} too"
            errors.add(PortfolioError(str(path), line, "entry_number", message))
            continue
        seen[ident] = line
        rows.append(checked)
    return table.parsed(rows)


def _product_id(
    row: EntryRow, by_sku: dict[str, Product], by_line: dict[tuple[str, str], list[Product]]
) -> int | None:
    """The portfolio product the entry is: by SKU, else the one product with its HTS and country."""
    if row.sku and row.sku in by_sku:
        return by_sku[row.sku].id
    if row.hts and row.country:
        same = by_line.get((row.hts, row.country), [])
        if len(same) == 1:
            return same[0].id
    return None


def import_entries(
    engine: Engine,
    path: Path,
    *,
    importer: str,
    now: datetime,
    dry_run: bool = False,
    sheet: str | None = None,
    threshold: int = DEFAULT_NAME_THRESHOLD,
) -> EntryImport:
    """Parse, and only when no line is bad, replace the importer's entries with the file's in one
    transaction (a re-import of the same file leaves the same entries), and assess them by the results
    notices already stored (no alert: the exposure shows them). LookupError: no such importer."""
    with Session(engine, expire_on_commit=False) as session:
        owner = people.load_importer(session, importer)
        if owner is None or owner.id is None:
            raise LookupError(
                f"no importer named {importer!r}; import its portfolio, "
                "or add a subscriber with --create-importer"
            )
        parsed = parse_entries(path, importer=owner.name, sheet=sheet)
        if parsed.errors:
            return EntryImport(parsed, dry_run=dry_run)
        products = people.list_products(session, importer_id=owner.id)
        by_sku = {p.sku: p for p in products}
        by_line: dict[tuple[str, str], list[Product]] = defaultdict(list)
        for product in products:
            by_line[(product.hts, product.country)].append(product)
        entries = [
            Entry(
                importer_id=owner.id,
                entry_number=row.entry_number,
                entry_date=row.entry_date,
                sku=row.sku,
                hts=row.hts,
                country=row.country,
                producer=row.producer,
                exporter=row.exporter,
                entered_value=row.entered_value,
                case_number=row.case_number,
                deposit_rate=row.deposit_rate,
                deposit_paid=row.deposit_paid,
                liquidation_status=row.liquidation_status,
                product_id=_product_id(row, by_sku, by_line),
                imported_at=now,
            )
            for row in parsed.rows
        ]
        replaced = entry_rows.replace_importer_entries(session, owner.id, entries)
        matched = sum(1 for e in entries if e.product_id is not None)
        decided = decide_from_stored_notices(
            session,
            importer_id=owner.id,
            case_numbers={e.case_number for e in entries},
            now=now,
            threshold=threshold,
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return EntryImport(parsed, len(entries), replaced, matched, decided, dry_run)
