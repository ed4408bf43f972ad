"""Reading portfolio files as streams of lines: CSV in any common encoding, XLSX within size limits."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_BYTES = 64 * 1024
MAX_COLUMNS = 64  # a portfolio has 8 known columns; later ones are not read
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # declared size of all parts; zipfile stops at it
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850", "ascii"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class PortfolioFileError(ValueError):
    """The file cannot be read as a portfolio; the message says why and what to do."""


@dataclass(frozen=True)
class Lines:
    """A file's lines as (line number, cells), read lazily, and the note on how it was read."""

    records: Iterator[tuple[int, list[Any]]]
    note: str | None = None


def detect_encoding(sample: bytes) -> tuple[str, str | None]:
    """(encoding, note): a BOM, else UTF-8 when the sample is UTF-8, else charset-normalizer's guess,
    read as Windows-1252 (what Excel saves "CSV" as on Western Windows) for Latin-script guesses."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding, None if encoding == "utf-8-sig" else f"read as {encoding.upper()}"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in _WESTERN:
        try:
            sample.decode("cp1252")
            guess = "cp1252"
        except UnicodeDecodeError:
            pass
    return guess, f"not UTF-8: read as {guess}"


def read_csv(path: Path) -> Lines:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    encoding, note = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    try:
        dialect: Any = csv.Sniffer().sniff(text_sample[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def records() -> Iterator[tuple[int, list[Any]]]:
        with path.open(encoding=encoding, newline="", errors="strict") as f:
            reader = csv.reader(f, dialect)
            start = 1
            for record in reader:
                yield start, record[:MAX_COLUMNS]
                start = reader.line_num + 1

    return Lines(records(), note)


def check_xlsx(path: Path) -> None:
    """Refuse a file that is not a zip archive, or whose parts unpack to more than the limit."""
    if not zipfile.is_zipfile(path):
        raise PortfolioFileError(
            "not an Excel .xlsx workbook (it is not a zip archive); save it from Excel as .xlsx, or as .csv"
        )
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise PortfolioFileError(
            f"the workbook unpacks to {unpacked:,} bytes, over the limit of {MAX_XLSX_UNPACKED_BYTES:,}; "
            "save the portfolio sheet alone, or as .csv"
        )


def read_xlsx(path: Path, sheet: str | None = None) -> Lines:
    """The lines of `sheet` (a name or a 1-based number), else of the active sheet."""
    check_xlsx(path)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PortfolioFileError(f"not a readable .xlsx workbook: {exc}") from None
    names = list(workbook.sheetnames)
    if sheet is None:
        worksheet = workbook.active
    elif sheet in names:
        worksheet = workbook[sheet]
    elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
        worksheet = workbook[names[int(sheet) - 1]]
    else:
        workbook.close()
        raise PortfolioFileError(f"no sheet {sheet!r}; the sheets are: {', '.join(map(repr, names))}")

    def records() -> Iterator[tuple[int, list[Any]]]:
        try:
            rows = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            for number, values in enumerate(rows, start=1):
                yield number, list(values)
        finally:
            workbook.close()

    note = f"sheet {worksheet.title!r}" if len(names) > 1 else None
    return Lines(records(), note)


def read_lines(path: Path, sheet: str | None = None) -> Lines:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    if sheet is not None:
        raise PortfolioFileError("--sheet applies to .xlsx workbooks only")
    return read_csv(path)
