"""The scheduler is only a clock: every job declared here with a stable id, fired by APScheduler 3."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from worker.alerts.digest import run_digests
from worker.alerts.reminder_job import run_reminders
from worker.app.runtime import STOPPING, poll_is_due, run_delivery, run_poll, utc_now
from worker.app.settings import Settings
from worker.app.sources import ADAPTERS, SourceAdapter
from worker.ingest.save import PollReport

log = logging.getLogger(__name__)
# Reminders and digests are due by the subscriber's local day (digests from Monday 07:00): checking
# every quarter hour sends them within minutes; what was queued is never queued twice.
REMINDER_SECONDS = 15 * 60
DIGEST_SECONDS = 15 * 60


def poll_summary(report: PollReport) -> str:
    """A poll's outcome in words for the log (never the object's repr)."""
    if report.skipped:
        return f"skipped, {report.skipped}"
    if not report.ok:
        return f"failed: {report.error}"
    if report.not_modified:
        return "nothing new (not modified)"
    return (
        f"{report.documents_seen} documents seen, {report.documents_new} new, "
        f"{report.alerts_created} alerts" + (" (primed)" if report.primed else "")
    )


@dataclass(frozen=True)
class Job:
    job_id: str
    seconds: int
    run: Callable[[], Awaitable[object]]


def declare_jobs(settings: Settings, engine: Engine, *, force: bool = False) -> list[Job]:
    """Every job with its stable id; `force` polls whatever the schedule says (for `run --once`)."""

    def scheduled_poll(adapter: SourceAdapter) -> Callable[[], Awaitable[object]]:
        source = adapter.name

        async def poll() -> object:
            # An FR-scheduled job ticks often; the source's own state and the FR schedule decide
            # whether to fetch.
            if adapter.follows_fr_schedule and not force and not poll_is_due(engine, source, now=utc_now()):
                return f"poll {source}: not due"
            report = await run_poll(settings, engine, source)
            log.info("poll %s: %s", source, poll_summary(report))
            return report

        return poll

    async def reminders() -> object:
        queued = run_reminders(
            engine, now=utc_now(), ladder=settings.reminder_days, operator_email=settings.operator_email
        )
        if queued:
            log.info("reminders: %d queued", queued)
        return f"{queued} reminders queued"

    async def digests() -> object:
        queued = run_digests(engine, now=utc_now(), threshold=settings.name_match_threshold)
        if queued:
            log.info("digests: %d queued", queued)
        return f"{queued} digests queued"

    async def deliver() -> object:
        report = await run_delivery(settings, engine)
        if report.claimed:
            log.info("deliver: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed)
        return report

    return [
        *(Job(f"poll:{a.name}", a.interval_seconds(settings), scheduled_poll(a)) for a in ADAPTERS),
        # Before delivery, so `run --once` sends what they queue.
        Job("reminders", REMINDER_SECONDS, reminders),
        Job("digest", DIGEST_SECONDS, digests),
        Job("deliver", settings.deliver_seconds, deliver),
    ]


STOP_GRACE_SECONDS = 60.0  # how long in-flight jobs may take to finish after SIGTERM


def tracked(job: Job, running: set[asyncio.Task[object]]) -> Callable[[], Awaitable[object]]:
    """The job's coroutine, registered while it runs so a stop can wait for it."""

    async def run() -> object:
        task = asyncio.current_task()
        if task is not None:
            running.add(task)
        try:
            return await job.run()
        finally:
            if task is not None:
                running.discard(task)

    return run


def build_scheduler(
    jobs: list[Job], *, first_run: datetime, running: set[asyncio.Task[object]] | None = None
) -> AsyncIOScheduler:
    """Interval jobs that first fire at `first_run`; the source state, not the fire time, decides the work."""
    scheduler = AsyncIOScheduler(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    )
    for job in jobs:
        run = tracked(job, running) if running is not None else job.run
        scheduler.add_job(run, "interval", seconds=job.seconds, id=job.job_id, next_run_time=first_run)
    return scheduler


async def run_forever(jobs: list[Job], *, first_run: datetime) -> None:
    """Run the jobs until SIGTERM or SIGINT; then claim nothing new, let in-flight jobs finish, and return.

    Delivery checks the stop between messages and puts what it claimed but did not send back to pending,
    so nothing waits in `sending` for the lease after the worker stopped.
    """
    running: set[asyncio.Task[object]] = set()
    stop = asyncio.Event()
    STOPPING.requested = False
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    scheduler = build_scheduler(jobs, first_run=first_run, running=running)
    scheduler.start()
    try:
        await stop.wait()
        log.info("stopping: finishing %d running jobs", len(running))
        STOPPING.requested = True
        scheduler.pause()  # no new runs; shutdown would cancel the running ones mid-send
        if running:
            await asyncio.wait(set(running), timeout=STOP_GRACE_SECONDS)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)
