"""Portfolio cells: header names, text, HTS codes stored as numbers, amounts in USD."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

HEADER_VARIANTS: dict[str, str] = {
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


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # terminal escapes among them


def cell_text(value: Any) -> str:
    """The cell as one line of text: whitespace runs become a space, control characters are dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _CONTROL.sub("", _SPACES.sub(" ", str(value))).strip()


def hts_cell(value: Any) -> tuple[str | None, str | None]:
    """(text to normalise, warning); spreadsheets store codes as numbers and drop zeros."""
    if isinstance(value, float) and not value.is_integer():
        return None, "stored as a decimal number, which loses trailing zeros; format it as text"
    if isinstance(value, int | float):
        digits = str(int(value))
        if len(digits) % 2:
            return "0" + digits, f"stored as a number: read {digits} as 0{digits}"
    return cell_text(value), None


def money(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s$,]|USD", "", text, flags=re.IGNORECASE)
    if not cleaned:
        return None
    value = Decimal(cleaned)
    if not value.is_finite() or value < 0:
        raise InvalidOperation
    return value.quantize(Decimal("0.01"))
