"""Bounds what one alert stores about its products: the top ones by exposure, a count, and a capped CSV."""

from __future__ import annotations

import base64
import csv
import gzip
import io
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_PRODUCTS_SHOWN = 25  # products an alert's email lists in full, highest exposure first
MAX_CSV_BYTES = 4 * 1024 * 1024  # the attached full list, before compression (an email stays under ~6 MB)
CSV_COLUMNS = (
    "sku",
    "description",
    "hts",
    "country",
    "cases",
    "total_deposit_rate_percent",
    "annual_entered_value_usd",
    "annual_exposure_usd",
    "heading_level_candidate_only",
)


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def exposure_of(view: dict[str, Any]) -> Decimal:
    """A product view's estimated annual exposure: the largest of its stacked deposits' exposures."""
    return max((_decimal(s.get("exposure")) for s in view.get("stacks", [])), default=Decimal(0))


def csv_row(view: dict[str, Any]) -> list[str]:
    stacks = view.get("stacks", [])
    return [
        str(view.get("sku", "")),
        str(view.get("description", "")),
        str(view.get("hts", "")),
        str(view.get("country", "")),
        "; ".join(sorted({str(m.get("case_number", "")) for m in view.get("matches", [])})),
        "; ".join(str(s.get("total_rate") or "") for s in stacks),
        str(view.get("annual_entered_value") or ""),
        str(exposure_of(view)) if any(s.get("exposure") is not None for s in stacks) else "",
        "yes" if view.get("candidate_only") else "no",
    ]


def products_csv(views: Sequence[dict[str, Any]], *, max_bytes: int = MAX_CSV_BYTES) -> tuple[bytes, int]:
    """The views as CSV (in the order given), cut before `max_bytes`; returns it and the rows left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    size = buffer.tell()
    for written, view in enumerate(views):
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(csv_row(view))
        text = line.getvalue()
        if size + len(text.encode()) > max_bytes:
            left_out = len(views) - written
            writer.writerow([f"... {left_out} more products not listed: the attachment is capped"])
            return buffer.getvalue().encode(), left_out
        buffer.write(text)
        size += len(text.encode())
    return buffer.getvalue().encode(), 0


def bounded_products(
    views: Sequence[dict[str, Any]], *, filename: str, limit: int = MAX_PRODUCTS_SHOWN
) -> dict[str, Any]:
    """The payload's product fields: every view when there are few, else the top `limit` by exposure,
    the count, and the full list as a gzip-compressed CSV for the attachment."""
    if len(views) <= limit:
        skus = sorted({v["sku"] for v in views})
        return {"products": list(views), "skus": skus, "product_count": len(skus)}
    ranked = sorted(views, key=lambda v: (-exposure_of(v), str(v["sku"])))
    content, left_out = products_csv(ranked)
    return {
        "products": ranked[:limit],
        "skus": sorted({v["sku"] for v in ranked[:limit]}),
        "product_count": len({v["sku"] for v in views}),
        "products_csv": {
            "filename": filename,
            "gzip_base64": base64.b64encode(gzip.compress(content, mtime=0)).decode("ascii"),
            "rows": len(views) - left_out,
            "left_out": left_out,
        },
    }
