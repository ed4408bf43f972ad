"""`adcvd init`, `poll`, `run`, `deliver`, `demo` and `db` (schema revisions)."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from datetime import date, datetime

import typer
from sqlalchemy.engine import Engine

from notifier.sender import sender_problem
from worker.app.commands.console import shown
from worker.app.context import AppContext, app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import run_delivery, run_poll, utc_now
from worker.app.scheduler import Job, declare_jobs, run_forever
from worker.app.sources import SOURCES
from worker.ingest.save import PollReport
from worker.outbox.delivery import DeliveryReport
from worker.storage import outbox_rows
from worker.storage.catalog_facts import catalog_facts
from worker.storage.database_url import redacted_url
from worker.storage.db import current_revision, head_revision, transaction, write_revision
from worker.storage.locks import LockBusyError, worker_lock

ONCE_MAX_RETRIES = 2  # `run --once` and `poll` report a dead network in seconds (1 s + 2 s of backoff)


def echo_poll(report: PollReport, *, retried_by_scheduler: bool = False) -> None:
    if report.skipped:
        typer.echo(f"poll {report.source}: skipped, {report.skipped}")
        return
    if not report.ok:
        then = "the worker retries it at its next poll" if retried_by_scheduler else "run it again to retry"
        saved = (
            f"{report.documents_saved} documents saved before the failure, with their alerts and cursor; "
            "the rest are read again"
            if report.documents_saved
            else "stored state unchanged"
        )
        typer.echo(
            f"poll {report.source} failed: {shown(report.error or 'unknown error')} ({saved}; {then})",
            err=True,
        )
        return
    if report.not_modified:
        typer.echo(f"poll {report.source}: nothing new (not modified)")
        return
    typer.echo(
        f"poll {report.source}: {report.documents_seen} documents seen, {report.documents_new} new, "
        f"{report.cases_touched} cases touched, {report.rates_added} rates, {report.alerts_created} alerts"
        + (f", {report.alerts_held} held for the operator (adcvd hold list)" if report.alerts_held else "")
        + (" (primed: stored without alerting)" if report.primed else "")
    )
    for document_number, notes in report.unread.items():
        typer.echo(f"  {document_number}: not fully read: {shown('; '.join(notes[:3]))}")


def describe_delivery(report: DeliveryReport, waiting: int) -> str:
    by_channel = report.sent_by_channel
    channels = ""
    if set(by_channel) - {"email"}:  # webhooks, Slack or Teams too: say which took how many
        channels = " (" + ", ".join(f"{n} {channel}" for channel, n in sorted(by_channel.items())) + ")"
    said = f"delivery: {report.sent} sent{channels}, {report.retried} to retry, {report.failed} failed"
    if report.unsubscribed:
        said += f"; {report.unsubscribed} not sent: unsubscribed after they were queued"
    return said + (f"; {waiting} wait for their retry time" if waiting else "")


def waiting_for_retry(engine: Engine, now: datetime) -> int:
    """Pending alerts whose next attempt is later than now (a send failed and backs off)."""
    with transaction(engine) as session:
        return outbox_rows.count_waiting_retries(session, now=now)


async def run_jobs_side_by_side(jobs: list[Job]) -> list[object]:
    """The polls at once (each source on its own), then the other jobs in order; a failure stops none."""

    async def run(job: Job) -> object:
        try:
            return await job.run()
        except Exception as exc:
            return exc

    polls = [job for job in jobs if job.job_id.startswith("poll:")]
    results = dict(
        zip((j.job_id for j in polls), await asyncio.gather(*(run(j) for j in polls)), strict=True)
    )
    for job in jobs:
        if job.job_id not in results:
            results[job.job_id] = await run(job)
    return [results[job.job_id] for job in jobs]


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_cmd(ctx: typer.Context) -> None:
        """Create or upgrade the database and load the seed case catalog."""
        actx = app_context(ctx)
        summary = init_database(actx.engine)
        typer.echo(f"database ready at {redacted_url(actx.settings.database_url)}: {summary}")
        with transaction(actx.engine) as session:
            facts = catalog_facts(session)
        today = utc_now().date()
        typer.echo(facts.describe(today))
        step = facts.next_step(today)
        if step:
            typer.echo(f"next: {step}")

    @app.command("poll")
    def poll_cmd(
        ctx: typer.Context,
        source: str = typer.Argument(..., help=f"One of: {', '.join(SOURCES)}"),
        since: str | None = typer.Option(None, help="Read from this date (YYYY-MM-DD)."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Fetch and read, store nothing."),
        record: str | None = typer.Option(None, "--record", help="Save every raw response in DIR."),
    ) -> None:
        """Poll one source now."""
        actx = app_context(ctx)
        if source not in SOURCES:
            typer.echo(f"error: unknown source {source!r}; known: {', '.join(SOURCES)}", err=True)
            raise typer.Exit(2)
        try:
            since_date = date.fromisoformat(since) if since else None
        except ValueError:
            typer.echo(f"error: --since must be YYYY-MM-DD, not {since!r}", err=True)
            raise typer.Exit(2) from None
        init_database(actx.engine, load_seed=False)
        settings = actx.settings.model_copy(
            update={"http_max_retries": min(actx.settings.http_max_retries, ONCE_MAX_RETRIES)}
        )
        report = asyncio.run(
            run_poll(settings, actx.engine, source, since=since_date, dry_run=dry_run, record_dir=record)
        )
        echo_poll(report)
        if not report.ok:
            raise typer.Exit(1)

    @app.command("run")
    def run_cmd(
        ctx: typer.Context, once: bool = typer.Option(False, "--once", help="Run every job once.")
    ) -> None:
        """Start the scheduler (poll and delivery jobs), or run each job once and exit."""
        actx = app_context(ctx)
        refuse_unsendable_sender(actx)
        with ExitStack() as stack:
            try:
                stack.enter_context(worker_lock(actx.engine))
            except LockBusyError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(3) from None
            run_worker(actx, once=once)

    def refuse_unsendable_sender(actx: AppContext) -> None:
        """With an SMTP server the placeholder sender would be refused: say so before starting."""
        if not actx.settings.smtp_url_value():
            return  # the Maildir outbox (and the demo) may keep the .localhost default
        problem = sender_problem(actx.settings.mail_from)
        if problem:
            typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2)

    def run_worker(actx: AppContext, *, once: bool) -> None:
        init_database(actx.engine, load_seed=False)
        if once:
            settings = actx.settings.model_copy(
                update={"http_max_retries": min(actx.settings.http_max_retries, ONCE_MAX_RETRIES)}
            )
            jobs = declare_jobs(settings, actx.engine, force=True)
            results = asyncio.run(run_jobs_side_by_side(jobs))
            failed = False
            for job, result in zip(jobs, results, strict=True):
                if isinstance(result, PollReport):
                    echo_poll(result)
                    failed = failed or not result.ok
                elif isinstance(result, DeliveryReport):
                    typer.echo(describe_delivery(result, waiting_for_retry(actx.engine, utc_now())))
                    failed = failed or bool(result.failed or result.retried)
                elif isinstance(result, Exception):
                    typer.echo(
                        f"{job.job_id} failed: {shown(f'{type(result).__name__}: {result}')}", err=True
                    )
                    failed = True
                else:
                    typer.echo(f"{job.job_id}: {result}")
            raise typer.Exit(1 if failed else 0)
        jobs = declare_jobs(actx.settings, actx.engine)
        with ExitStack() as stack:
            if actx.settings.serve_with_run:
                from worker.app.web_server import serving_in_thread, web_server

                server = stack.enter_context(serving_in_thread(web_server(actx.settings, actx.engine)))
                typer.echo(f"serving the web pages on http://{server.config.host}:{server.config.port}")
            typer.echo(f"adcvd-watch running {len(jobs)} jobs; Ctrl-C stops")
            try:
                asyncio.run(run_forever(jobs, first_run=utc_now()))
            except KeyboardInterrupt:
                typer.echo("stopped")

    @app.command("deliver")
    def deliver_cmd(ctx: typer.Context) -> None:
        """Send the pending alerts now."""
        actx = app_context(ctx)
        report = asyncio.run(run_delivery(actx.settings, actx.engine))
        typer.echo(describe_delivery(report, waiting_for_retry(actx.engine, utc_now())))
        for error in (report.errors or [])[:5]:
            typer.echo(f"  {shown(error)}", err=True)
        if report.failed or report.retried:
            raise typer.Exit(1)

    @app.command("demo")
    def demo_cmd(ctx: typer.Context) -> None:
        """Whole pipeline on the bundled recorded notices; mail goes to ./outbox (Maildir)."""
        from worker.app.demo import run_demo

        actx = app_context(ctx)
        for line in run_demo(actx.settings):
            typer.echo(line)

    db_app = typer.Typer(help="The database schema: its revision, and new migrations for developers.")
    app.add_typer(db_app, name="db")

    @db_app.command("current")
    def db_current_cmd(ctx: typer.Context) -> None:
        """Show the schema revision of the database and the newest one this version knows."""
        actx = app_context(ctx)
        with actx.engine.connect() as connection:
            current = current_revision(connection)
        typer.echo(
            f"database {redacted_url(actx.settings.database_url)}: revision {current or 'none'}; "
            f"newest {head_revision()}"
        )

    @db_app.command("revision")
    def db_revision_cmd(
        message: str = typer.Option(..., "--message", "-m", help="What the migration changes."),
    ) -> None:
        """Write a new migration under worker/storage/migrations/versions from the difference between the
        models and the newest revision (autogenerate against a scratch SQLite database).
        Review it before use."""
        path = write_revision(message)
        typer.echo(f"wrote {path}; review it, then `adcvd init` upgrades every database to it")
