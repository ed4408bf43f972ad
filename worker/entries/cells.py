"""Entry file cells: header names, entry numbers, dates, case numbers, deposit rates, liquidation status."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from worker.portfolios.cells import HEADER_VARIANTS, cell_text

_PORTFOLIO_KEYS = ("importer", "sku", "hts", "country_of_origin", "producer", "exporter")
ENTRY_HEADER_VARIANTS: dict[str, str] = {
    **{k: v for k, v in HEADER_VARIANTS.items() if v in _PORTFOLIO_KEYS},
    "entry_number": "entry_number", "entry_no": "entry_number", "entry_num": "entry_number",
    "entry": "entry_number", "entry_id": "entry_number", "cbp_entry_number": "entry_number",
    "entry_summary_number": "entry_number",
    "entry_date": "entry_date", "date_of_entry": "entry_date", "entered_on": "entry_date",
    "entry_dt": "entry_date",
    "entered_value_usd": "entered_value_usd", "entered_value": "entered_value_usd",
    "value_usd": "entered_value_usd", "value": "entered_value_usd", "line_value": "entered_value_usd",
    "case_number": "case_number", "case": "case_number", "case_no": "case_number",
    "adcvd_case": "case_number", "adcvd_case_number": "case_number", "ad_cvd_case_number": "case_number",
    "deposit_rate_pct": "deposit_rate_pct", "deposit_rate": "deposit_rate_pct",
    "cash_deposit_rate": "deposit_rate_pct", "cash_deposit_rate_pct": "deposit_rate_pct",
    "adcvd_rate": "deposit_rate_pct",
    "deposit_paid_usd": "deposit_paid_usd", "deposit_paid": "deposit_paid_usd",
    "deposit": "deposit_paid_usd", "deposit_usd": "deposit_paid_usd", "cash_deposit": "deposit_paid_usd",
    "adcvd_deposit": "deposit_paid_usd", "duty_deposited": "deposit_paid_usd",
    "liquidation_status": "liquidation_status", "liquidation": "liquidation_status",
    "liq_status": "liquidation_status", "status": "liquidation_status",
}  # fmt: skip

LIQUIDATION_STATUSES: dict[str, str] = {
    "": "unliquidated", "unliquidated": "unliquidated", "open": "unliquidated", "pending": "unliquidated",
    "not_liquidated": "unliquidated",
    "suspended": "suspended", "liquidation_suspended": "suspended",
    "extended": "extended", "liquidation_extended": "extended",
    "liquidated": "liquidated", "final": "liquidated", "closed": "liquidated",
}  # fmt: skip

_ENTRY_NUMBER = re.compile(r"^[A-Z0-9]{3}\d{8}$")  # filer code, 7-digit number, check digit
_CASE_NUMBER = re.compile(r"^([AC])\s*[-\u2010-\u2015]?\s*(\d{3})\s*[-\u2010-\u2015]?\s*(\d{3})$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y")


def entry_number(text: str) -> str:
    """The CBP entry number as 11 characters (filer code, number, check digit) without separators."""
    compact = re.sub(r"[\s\-.]", "", text).upper()
    if not _ENTRY_NUMBER.match(compact):
        raise ValueError(
            f"not a CBP entry number (filer code, 7 digits, check digit, e.g. ABC-1234567-8): {text!r}"
        )
    return compact


def entry_date(value: Any) -> date:
    """A date cell: a spreadsheet date, ISO 2024-03-05, US 03/05/2024, or 5-Mar-2024."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date (use 2024-03-05 or 03/05/2024): {text!r}")


def case_number(text: str) -> str:
    """A-570-148 / C-570-149, whatever dashes or spaces the file uses."""
    found = _CASE_NUMBER.match(text.strip().upper())
    if not found:
        raise ValueError(f"not an AD/CVD case number (A-570-148, C-570-149): {text!r}")
    return "-".join(found.groups())


def rate_pct(text: str) -> Decimal:
    """A percent ad valorem rate: 12.5, 12.5%, 0; never negative."""
    cleaned = text.replace("%", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a rate in percent: {text!r}") from None
    if not value.is_finite() or value < 0 or value > 10_000:
        raise ValueError(f"not a rate in percent: {text!r}")
    return value


def liquidation_status(text: str) -> str:
    key = re.sub(r"[^a-z]+", "_", text.strip().lower()).strip("_")
    if key not in LIQUIDATION_STATUSES:
        raise ValueError(f"unknown status {text!r}; use unliquidated, suspended, extended or liquidated")
    return LIQUIDATION_STATUSES[key]
