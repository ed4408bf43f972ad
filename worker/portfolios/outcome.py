"""An import's outcome worded once, for `adcvd portfolio import` and the portfolio page alike."""

from __future__ import annotations

from typing import Any

from worker.portfolios.files import PortfolioImport
from worker.portfolios.problems import ParsedFile


def problem_lines(parse: ParsedFile[Any]) -> list[str]:
    """The first warnings and errors, one a line (`error: FILE:LINE: field: message`), with how many
    more there were (a portfolio's or an entry file's)."""
    lines: list[str] = []
    for label, problems, total in (
        ("warning", parse.warnings, parse.warnings_total),
        ("error", parse.errors, parse.errors_total),
    ):
        lines.extend(f"{label}: {problem}" for problem in problems)
        if total > len(problems):
            lines.append(f"… and {total - len(problems):,} more {label}(s) not shown")
    return lines


def refusal(parse: ParsedFile[Any]) -> str:
    """The last line of a refused import."""
    return f"{parse.errors_total:,} error(s); nothing imported"


def imported(result: PortfolioImport) -> str:
    """What a clean import did (or would do, dry-run): lines read, products created, updated, unchanged."""
    summary = result.summary
    assert summary is not None
    verb = "would import" if result.dry_run else "imported"
    return (
        f"{verb} {len(result.parse.rows)} line(s): {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged"
    )


def held(result: PortfolioImport, threshold: int) -> str | None:
    """The line saying the baseline reports wait for the operator, when they do."""
    if not result.held:
        return None
    return (
        f"{result.held_count} baseline reports held for the operator (more than "
        f"ADCVD_BULK_ALERT_THRESHOLD={threshold}): adcvd hold release {result.held} (or discard)"
    )
