"""The scheduler is only a clock: every job declared here with a stable id, fired by APScheduler 3."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from worker.runtime import run_delivery, run_poll
from worker.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    job_id: str
    seconds: int
    run: Callable[[], Awaitable[object]]


def declare_jobs(settings: Settings, engine: Engine) -> list[Job]:
    async def poll_federal_register() -> object:
        report = await run_poll(settings, engine, "federal_register")
        log.info("poll federal_register: %s", report)
        return report

    async def poll_trade_gov() -> object:
        report = await run_poll(settings, engine, "trade_gov")
        log.info("poll trade_gov: %s", report)
        return report

    async def deliver() -> object:
        report = await run_delivery(settings, engine)
        if report.claimed:
            log.info("deliver: %s", report)
        return report

    return [
        Job("poll:federal_register", settings.poll_federal_register_minutes * 60, poll_federal_register),
        Job("poll:trade_gov", settings.poll_trade_gov_minutes * 60, poll_trade_gov),
        Job("deliver", settings.deliver_seconds, deliver),
    ]


async def run_jobs_once(jobs: list[Job]) -> list[object]:
    """Each job once, in order; one failing job does not stop the rest."""
    results: list[object] = []
    for job in jobs:
        try:
            results.append(await job.run())
        except Exception as exc:  # noqa: BLE001 - isolation: one bad job never stops the cycle
            log.exception("job %s failed", job.job_id)
            results.append(exc)
    return results


def build_scheduler(jobs: list[Job], *, first_run: datetime) -> AsyncIOScheduler:
    """Interval jobs that first fire at `first_run`; the source state, not the fire time, decides the work."""
    scheduler = AsyncIOScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    )
    for job in jobs:
        scheduler.add_job(job.run, "interval", seconds=job.seconds, id=job.job_id, next_run_time=first_run)
    return scheduler


async def run_forever(jobs: list[Job], *, first_run: datetime) -> None:
    scheduler = build_scheduler(jobs, first_run=first_run)
    scheduler.start()
    try:
        await asyncio.Event().wait()
    finally:
        scheduler.shutdown(wait=False)
