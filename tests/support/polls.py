"""A poll of one source through the one driver (worker/ingest/poll.py), for tests without settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from watchers import federal_register_records, public_inspection_records
from watchers.finished import ReadRequest
from watchers.http import Fetcher
from worker.alerts.holds import BulkHold
from worker.ingest.poll import poll_source
from worker.ingest.save import PollReport

FEDERAL_REGISTER, PUBLIC_INSPECTION = "federal_register", "public_inspection"  # worker/app/sources.py


async def poll_fr(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    bulk_hold: BulkHold | None = None,
    **request: Any,
) -> PollReport:
    """The Federal Register search; `request` as watchers.finished.ReadRequest (batch_size, ...)."""
    read = ReadRequest(base_url=base_url, now=now, **request)
    return await poll_source(
        engine, fetcher, FEDERAL_REGISTER, federal_register_records.read_new, read, bulk_hold=bulk_hold
    )


async def poll_desk(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    now: datetime,
    bulk_hold: BulkHold | None = None,
    **request: Any,
) -> PollReport:
    """The public-inspection desk; `request` as watchers.finished.ReadRequest (filed_copy_url, ...)."""
    read = ReadRequest(base_url=base_url, now=now, **request)
    return await poll_source(
        engine, fetcher, PUBLIC_INSPECTION, public_inspection_records.read_new, read, bulk_hold=bulk_hold
    )
