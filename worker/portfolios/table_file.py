"""An import file as a table: its header matched to known columns, then each data line, problems counted."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from worker.portfolios.cells import cell_text
from worker.portfolios.problems import ParsedFile, PortfolioError, Problems, header_columns
from worker.portfolios.reading import PortfolioFileError, read_lines

SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")
RowT = TypeVar("RowT")


@dataclass
class TableFile:
    """One import file read as a table; `stopped` says it was given up before its end (the reason is
    in `errors`): unreadable, a bad header, or more than `max_rows` data lines."""

    path: Path
    variants: Mapping[str, str]
    required: Sequence[str]
    max_rows: int
    sheet: str | None = None
    unit: str = "lines"
    stopped: bool = False
    name: str = ""  # the file's name in problems (an upload's own name); default: the path

    def __post_init__(self) -> None:
        self.errors = Problems()
        self.warnings = Problems()
        self.name = self.name or str(self.path)

    def problem(self, line: int, field: str, message: str) -> PortfolioError:
        return PortfolioError(self.name, line, field, message)

    def lines(self) -> Iterator[tuple[int, list[Any], dict[str, int]]]:
        """(line number, cells, column positions) of each non-blank data line."""
        if self.path.suffix.lower() not in SUFFIXES:
            self._stop(self.problem(0, "file", "expected a .csv or .xlsx file"))
            return
        columns: dict[str, int] | None = None
        data_lines = 0
        try:
            read = read_lines(self.path, self.sheet)
            if read.note:
                self.warnings.add(self.problem(0, "file", read.note))
            for line, record in read.records:
                if not any(cell_text(v) for v in record):
                    continue
                if columns is None:
                    columns = header_columns(
                        self.name,
                        line,
                        record,
                        self.errors,
                        self.warnings,
                        variants=self.variants,
                        required=self.required,
                    )
                    if self.errors.total:
                        self.stopped = True
                        return
                    continue
                data_lines += 1
                if data_lines > self.max_rows:
                    # the limit is the first thing to say, whatever else was found
                    self.errors.total += 1
                    self.errors.insert(
                        0,
                        self.problem(
                            line, "file", f"more than {self.max_rows:,} {self.unit}; split the file"
                        ),
                    )
                    self.stopped = True
                    return
                yield line, record, columns
        except PortfolioFileError as exc:
            self._stop(self.problem(0, "file", str(exc)))
            return
        except UnicodeDecodeError as exc:
            self._stop(self.problem(0, "file", f"cannot read: text is not in one encoding ({exc.reason})"))
            return
        except (OSError, csv.Error, ValueError, KeyError, zipfile.BadZipFile) as exc:
            self._stop(self.problem(0, "file", f"cannot read: {exc}"))
            return
        if columns is None:
            self._stop(self.problem(1, "header", "the file is empty"))

    def parsed(self, rows: list[RowT]) -> ParsedFile[RowT]:
        """The file's valid rows (none when it was given up) with its problems, once lines() is done."""
        kept = [] if self.stopped else rows
        return ParsedFile(
            kept, list(self.errors), list(self.warnings), self.errors.total, self.warnings.total
        )

    def _stop(self, problem: PortfolioError) -> None:
        self.errors.add(problem)
        self.stopped = True
