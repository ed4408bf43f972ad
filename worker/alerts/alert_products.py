"""Bounds what one alert holds about its products: the top ones by exposure, a count, and a capped CSV.

Routing keeps one compact ProductLine per reached product (not its full view), then builds full views
only for the products the email shows, so a 50,000-product portfolio costs lines, not views.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from notifier.summary import as_decimal
from notifier.views import AlertProductFields, ProductsCsvView, ProductView

MAX_PRODUCTS_SHOWN = 25  # products an alert's email lists in full, highest exposure first
MAX_CSV_BYTES = 2 * 1024 * 1024  # the attached full list, before compression (about 2.7 MB in the email)
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


def exposure_of(view: Mapping[str, Any]) -> Decimal:
    """A product view's estimated annual exposure: the largest of its stacked deposits' exposures
    (one that is empty or not a number counts as 0)."""
    found = (as_decimal(s.get("exposure")) for s in view.get("stacks", []))
    return max((Decimal(0) if d is None else d for d in found), default=Decimal(0))


@dataclass(frozen=True, slots=True)
class ProductLine:
    """What an alert needs of one reached product besides its full view: rank, count, CSV row, changes."""

    product_id: int
    sku: str
    description: str
    hts: str
    country: str
    cases: tuple[str, ...]
    total_rates: str
    entered_value: str
    exposure: Decimal | None
    candidate_only: bool
    changed: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, product_id: int, view: Mapping[str, Any]) -> ProductLine:
        """The compact line of a product view (or of an unreached product's partial row)."""
        stacks = view.get("stacks", [])
        matches = view.get("matches", [])
        known = any(s.get("exposure") is not None for s in stacks)
        return cls(
            product_id=product_id,
            sku=str(view.get("sku", "")),
            description=str(view.get("description", "")),
            hts=str(view.get("hts", "")),
            country=str(view.get("country", "")),
            cases=tuple(sorted({str(m.get("case_number", "")) for m in matches})),
            total_rates="; ".join(str(s.get("total_rate") or "") for s in stacks),
            entered_value=str(view.get("annual_entered_value") or ""),
            exposure=exposure_of(view) if known else None,
            candidate_only=bool(view.get("candidate_only")),
            changed=frozenset(
                (str(m["case_number"]), str(company))
                for m in matches
                for company in m.get("changed_companies", [])
            ),
        )

    def rank(self) -> tuple[Decimal, str]:
        return (-(self.exposure or Decimal(0)), self.sku)

    def row(self, shown_cases: Collection[str]) -> list[str]:
        return [
            self.sku,
            self.description,
            self.hts,
            self.country,
            "; ".join(c for c in self.cases if c in shown_cases),
            self.total_rates,
            self.entered_value,
            "" if self.exposure is None else str(self.exposure),
            "yes" if self.candidate_only else "no",
        ]


def products_to_show(lines: Sequence[ProductLine], limit: int = MAX_PRODUCTS_SHOWN) -> set[int]:
    """Product ids the email lists in full: all when few, else the `limit` with the highest exposure."""
    return {line.product_id for line in sorted(lines, key=ProductLine.rank)[:limit]}


def products_csv(
    lines: Sequence[ProductLine], shown_cases: Collection[str], *, max_bytes: int = MAX_CSV_BYTES
) -> tuple[bytes, int]:
    """The lines as CSV (in the order given), cut before `max_bytes`; returns it and the rows left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    size = buffer.tell()
    for written, line in enumerate(lines):
        one = io.StringIO()
        csv.writer(one, lineterminator="\r\n").writerow(line.row(shown_cases))
        encoded = len(one.getvalue().encode())
        if size + encoded > max_bytes:
            left_out = len(lines) - written
            writer.writerow([f"... {left_out} more products not listed: the attachment is capped"])
            return buffer.getvalue().encode(), left_out
        buffer.write(one.getvalue())
        size += encoded
    return buffer.getvalue().encode(), 0


def alert_product_fields(
    views: Sequence[ProductView],
    lines: Sequence[ProductLine],
    shown_cases: Collection[str],
    *,
    filename: str,
    limit: int = MAX_PRODUCTS_SHOWN,
) -> AlertProductFields:
    """The payload's product fields. `views` are the full views of products_to_show(lines) (SKU order);
    with more lines than `limit`, they are listed by exposure and every line goes into the CSV."""
    count = len({line.sku for line in lines})
    if len(lines) <= limit:
        return {"products": list(views), "skus": sorted({v["sku"] for v in views}), "product_count": count}
    return {
        "products": by_exposure(views),
        "skus": sorted({v["sku"] for v in views}),
        "product_count": count,
        "products_csv": csv_attachment(sorted(lines, key=ProductLine.rank), shown_cases, filename=filename),
    }


def by_exposure(views: Iterable[ProductView]) -> list[ProductView]:
    """Product views by estimated annual exposure, highest first, then by SKU."""
    return sorted(views, key=lambda v: (-exposure_of(v), str(v["sku"])))


def csv_attachment(
    lines: Sequence[ProductLine], shown_cases: Collection[str], *, filename: str
) -> ProductsCsvView:
    """The lines as a capped CSV (products_csv), gzip-compressed in base64, with how many rows it holds."""
    content, left_out = products_csv(lines, shown_cases)
    return {
        "filename": filename,
        "gzip_base64": base64.b64encode(gzip.compress(content, mtime=0)).decode("ascii"),
        "rows": len(lines) - left_out,
        "left_out": left_out,
    }
