"""Benchmark: backfill of 3,000 constructed ITA notices served from a local RecordedSite (time, requests).

Run: .venv/bin/python -m bench.backfill [--notices N] [--concurrency C]
The site answers documents.json for any window (paged, oldest first) and a small GPO-XML notice per
document (bench/_fr_site.py, CONSTRUCTED). Rate limits are off because the server is local; the figure
printed last is what the same backfill costs at the default limits against the real API.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from sqlmodel import func, select

from bench._fr_site import ConstructedRegister, constructed_notices
from watchers.http import Fetcher
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite
from worker.app.settings import Settings
from worker.ingest.backfill import run_backfill
from worker.storage.db import make_engine, transaction
from worker.storage.models import Notice

SINCE, UNTIL = date(2021, 1, 1), date(2024, 12, 31)
GOAL_SECONDS = 60.0


async def measure(count: int, concurrency: int) -> None:
    register = ConstructedRegister(constructed_notices(count, since=SINCE, until=UNTIL))
    with tempfile.TemporaryDirectory() as tmp, RecordedSite() as site:
        site.hook = register.hook
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_database(engine, load_seed=False)
        async with httpx.AsyncClient(timeout=30.0) as client:
            fetcher = Fetcher(client=client, allowed_hosts=frozenset({site.base_url}))
            started = time.perf_counter()
            report = await run_backfill(
                engine,
                fetcher,
                base_url=site.base_url + "/api/v1",
                since=SINCE,
                until=UNTIL,
                now=datetime.now(UTC),
                concurrency=concurrency,
                xml_limiter=None,
            )
            elapsed = time.perf_counter() - started
        with transaction(engine) as session:
            stored = session.exec(select(func.count()).select_from(Notice)).one()
        engine.dispose()
    assert report.ok, report.error
    settings = Settings(_env_file=None)
    searches = report.windows_done + report.windows_split
    polite = (
        searches / settings.http_requests_per_second
        + report.documents_read / settings.http_xml_requests_per_second
    )
    verdict = "meets" if elapsed < GOAL_SECONDS else "MISSES"
    print(
        f"backfill: {count} notices, {report.windows_done} windows ({SINCE}..{UNTIL}), "
        f"concurrency {concurrency}"
    )
    print(
        f"backfill: {elapsed:.1f} s, {report.requests} requests ({len(site.requests)} seen by the server), "
        f"{report.documents_read / elapsed:.0f} notices/s, {stored} notices stored, "
        f"{report.rates_added} rates, {report.alerts_created} alerts"
    )
    print(f"backfill: goal < {GOAL_SECONDS:.0f} s for 3,000: {verdict}")
    print(
        f"backfill: at the default limits ({settings.http_requests_per_second:g} req/s API, "
        f"{settings.http_xml_requests_per_second:g} req/s XML) the same run takes >= {polite / 60:.0f} min"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(measure(args.notices, args.concurrency))


if __name__ == "__main__":
    main()
