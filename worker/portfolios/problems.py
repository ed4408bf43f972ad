"""Problems found in an import file (file, line, field, what), and its header matched to known columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from worker.portfolios.cells import cell_text, header_key

MAX_REPORTED = 50  # errors (and warnings) kept to print; all are counted


@dataclass(frozen=True)
class PortfolioError:
    """One problem in an input file, located by file, line and field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # Line 0 is the file as a whole (unreadable, wrong type, too large): no line to name.
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


RowT = TypeVar("RowT")


@dataclass(frozen=True)
class ParsedFile(Generic[RowT]):
    """An import file read: the valid rows, and the first errors and warnings with how many there were
    in all (portfolio and entry files alike)."""

    rows: list[RowT]
    errors: list[PortfolioError]
    warnings: list[PortfolioError] = field(default_factory=list)
    errors_total: int = 0
    warnings_total: int = 0


class Problems(list[PortfolioError]):
    """Keeps the first MAX_REPORTED problems and counts them all."""

    total = 0

    def add(self, problem: PortfolioError) -> None:
        self.total += 1
        if len(self) < MAX_REPORTED:
            self.append(problem)


def header_columns(
    name: str,
    line: int,
    header: list[Any],
    errors: Problems,
    warnings: Problems,
    *,
    variants: Mapping[str, str],
    required: Sequence[str],
) -> dict[str, int]:
    """The position of each known column in the header row, named by `variants`; unknown titles are
    warned about, a column given twice or a required one missing is an error."""
    columns: dict[str, int] = {}
    for position, title in enumerate(header):
        key = variants.get(header_key(cell_text(title)))
        if key is None:
            if cell_text(title):
                warnings.add(PortfolioError(name, line, cell_text(title)[:60], "unknown column, ignored"))
        elif key in columns:
            errors.add(PortfolioError(name, line, key, "column given twice"))
        else:
            columns[key] = position
    for missing_field in (f for f in required if f not in columns):
        errors.add(PortfolioError(name, line, missing_field, "required column missing"))
    return columns
