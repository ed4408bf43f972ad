"""A portfolio file's problems worded once, for `adcvd portfolio import` and the portfolio page alike."""

from __future__ import annotations

from worker.portfolios.files import PortfolioParse


def problem_lines(parse: PortfolioParse) -> list[str]:
    """The first warnings and errors, one a line (`error: FILE:LINE: field: message`), with how many
    more there were."""
    lines: list[str] = []
    for label, problems, total in (
        ("warning", parse.warnings, parse.warnings_total),
        ("error", parse.errors, parse.errors_total),
    ):
        lines.extend(f"{label}: {problem}" for problem in problems)
        if total > len(problems):
            lines.append(f"… and {total - len(problems):,} more {label}(s) not shown")
    return lines


def refusal(parse: PortfolioParse) -> str:
    """The last line of a refused import."""
    return f"{parse.errors_total:,} error(s); nothing imported"
