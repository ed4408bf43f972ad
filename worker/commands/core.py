"""`adcvd init`, `poll`, `run`, `deliver`, `status`, `demo` and `db` (schema revisions)."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from datetime import date

import typer

from worker import store
from worker.context import AppContext, app_context
from worker.db import current_revision, head_revision, redacted_url, transaction, write_revision
from worker.dbsetup import init_database
from worker.locks import LockBusyError, worker_lock
from worker.pipeline import PollReport
from worker.runtime import SOURCES, run_delivery, run_poll, utc_now
from worker.scheduler import declare_jobs, run_forever, run_jobs_once


def echo_poll(report: PollReport) -> None:
    if report.skipped:
        typer.echo(f"poll {report.source}: skipped, {report.skipped}")
        return
    if not report.ok:
        typer.echo(
            f"poll {report.source} failed: {report.error} (stored state unchanged; will retry)", err=True
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
        typer.echo(f"  {document_number}: not fully read: {'; '.join(notes[:3])}")


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_cmd(ctx: typer.Context) -> None:
        """Create or upgrade the database and load the seed case catalog."""
        actx = app_context(ctx)
        summary = init_database(actx.engine)
        typer.echo(f"database ready at {redacted_url(actx.settings.database_url)}: {summary}")

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
        report = asyncio.run(
            run_poll(actx.settings, actx.engine, source, since=since_date, dry_run=dry_run, record_dir=record)
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
        with ExitStack() as stack:
            try:
                stack.enter_context(worker_lock(actx.engine))
            except LockBusyError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(3) from None
            run_worker(actx, once=once)

    def run_worker(actx: AppContext, *, once: bool) -> None:
        init_database(actx.engine, load_seed=False)
        jobs = declare_jobs(actx.settings, actx.engine, force=once)
        if once:
            results = asyncio.run(run_jobs_once(jobs))
            failed = False
            for job, result in zip(jobs, results, strict=True):
                if isinstance(result, PollReport):
                    echo_poll(result)
                    failed = failed or not result.ok
                elif isinstance(result, Exception):
                    typer.echo(f"{job.job_id} failed: {result}", err=True)
                    failed = True
                else:
                    typer.echo(f"{job.job_id}: {result}")
            raise typer.Exit(1 if failed else 0)
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
        typer.echo(f"delivery: {report.sent} sent, {report.retried} to retry, {report.failed} failed")

    @app.command("status")
    def status_cmd(ctx: typer.Context) -> None:
        """Each source's last success and failures, and the outbox backlog."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            states = store.list_source_states(session)
            counts = store.count_alerts_by_status(session)
            backlog, oldest = store.outbox_backlog(session)
        now = utc_now()
        for state in states:
            last = state.last_success_at.isoformat(timespec="seconds") if state.last_success_at else "never"
            typer.echo(
                f"{state.name}: cursor {state.cursor or '-'}, last success {last}, "
                f"{state.consecutive_failures} consecutive failures"
                + (f", last error: {state.last_error}" if state.last_error else "")
                + (", operator alerted" if state.operator_alerted else "")
            )
        if not states:
            typer.echo("no source polled yet")
        age = f", oldest waiting since {oldest.isoformat(timespec='seconds')}" if oldest else ""
        typer.echo(f"outbox backlog: {backlog} waiting{age}")
        typer.echo(
            "outbox: "
            + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "empty")
            + f" (as of {now.isoformat(timespec='seconds')})"
        )

    @app.command("demo")
    def demo_cmd(ctx: typer.Context) -> None:
        """Whole pipeline on the bundled recorded notices; mail goes to ./outbox (Maildir)."""
        from worker.demo import run_demo

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
        """Write a new migration under worker/migrations/versions from the difference between the models
        and the newest revision (autogenerate against a scratch SQLite database). Review it before use."""
        path = write_revision(message)
        typer.echo(f"wrote {path}; review it, then `adcvd init` upgrades every database to it")
