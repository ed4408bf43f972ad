"""Jinja2 filters for numbers, rates, money and dates as the emails show them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from notifier.summary import alert_summary, as_decimal


def format_percent(value: Any) -> str:
    """A rate in percent; 'unknown' when there is none (never 0%)."""
    number = as_decimal(value)
    return "unknown" if number is None else f"{number.quantize(Decimal('0.01'))}%"


def format_usd(value: Any) -> str:
    """Dollars, rounded; 'unknown' when the amount is not known (never $0)."""
    number = as_decimal(value)
    return "unknown" if number is None else f"${number.quantize(Decimal('1')):,}"


def format_usd_cents(value: Any) -> str:
    """Dollars to the cent, as assessed figures are stated: '$1,234.56', '-$12.30' for a refund."""
    number = as_decimal(value)
    if number is None:
        return "unknown"
    sign = "-" if number < 0 else ""
    return f"{sign}${abs(number).quantize(Decimal('0.01')):,}"


def format_signed_usd(value: Any) -> str:
    """A change in money: '+$1,200' or '-$1,200' ('no change' for zero)."""
    number = as_decimal(value)
    if number is None:
        return "n/a"
    if number == 0:
        return "no change"
    sign = "+" if number > 0 else "-"
    return f"{sign}${abs(number).quantize(Decimal('1')):,}"


def format_date(value: Any) -> str:
    if value is None or value == "":
        return "n/a"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day:%B} {day.day}, {day:%Y}"


def format_weekday_date(value: Any) -> str:
    if value is None or value == "":
        return "n/a"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day:%A}, {format_date(day)}"


def format_hts(value: Any) -> str:
    digits = str(value)
    groups = [digits[:4], digits[4:6], digits[6:8], digits[8:10]]
    return ".".join(g for g in groups if g)


def first_sentence(value: Any) -> str:
    """The first sentence of a paragraph (up to the first '. ' or the end)."""
    text = " ".join(str(value).split())
    head, dot, _rest = text.partition(". ")
    return head + ("." if dot else "")


FILTERS: dict[str, Callable[[Any], Any]] = {
    "percent": format_percent,
    "usd": format_usd,
    "cents": format_usd_cents,
    "longdate": format_date,
    "weekdaydate": format_weekday_date,
    "signed_usd": format_signed_usd,
    "hts": format_hts,
    "first_sentence": first_sentence,
    "alert_summary": alert_summary,
}
