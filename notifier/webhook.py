"""An alert as a generic webhook's JSON body (docs/webhooks.md documents it, one schema per kind)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from notifier.links import SOURCE_LINK_HOSTS, safe_links

SCHEMA_VERSION = 1

# What `data` holds for each type of alert: the keys of the view its email renders, minus the
# transport (template, recipient address, attachments). Keep docs/webhooks.md in step.
DATA_KEYS: dict[str, tuple[str, ...]] = {
    "alert": ("notice", "events", "cases", "products", "product_count", "skus", "deadlines"),
    "reminder": ("deadline", "rung"),
    "digest": (
        "period", "events", "high_events", "deadlines", "deadline_days", "exposure", "total_exposure",
        "possible", "possible_count", "product_count",
    ),
    "baseline": (
        "cases", "products", "product_count", "reached_count", "deadlines", "deadline_days", "unreached",
        "unreached_count", "possible", "possible_count",
    ),
    "entry_assessment": (
        "notice", "case_number", "product", "results_kind", "projection", "period_start", "period_end",
        "entries", "entry_count", "totals", "windows", "interest_through", "rules",
    ),
    "operator": ("subject", "lines"),
}  # fmt: skip


def alert_type(template: str) -> str:
    """alert (every event kind: alert_order …), reminder, digest, baseline, entry_assessment, operator."""
    return "alert" if template.startswith("alert") else template


def webhook_body(
    view: Mapping[str, Any],
    *,
    delivery_id: str,
    kind: str,
    template: str,
    subject: str,
    created_at: datetime,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> bytes:
    """The JSON bytes posted (and signed): an envelope naming the alert, its kind's `data`, its calendar."""
    kind_of = alert_type(template)
    safe = safe_links(dict(view), link_hosts)
    data = {key: safe[key] for key in DATA_KEYS.get(kind_of, ()) if key in safe}
    recipient = safe.get("recipient") or {}
    body: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "delivery_id": delivery_id,
        "type": kind_of,
        "kind": kind,
        "severity": str(safe.get("severity") or "info"),
        "subject": subject,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "importer": str(safe.get("importer") or recipient.get("importer") or ""),
        "role": str(safe.get("role") or recipient.get("role") or ""),
        "data": data,
        "calendar": list((safe.get("ics") or {}).get("entries") or ()),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()
