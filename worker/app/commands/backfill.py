"""`adcvd backfill --since DATE`: prime the catalog from the Federal Register archive, with a progress bar."""

from __future__ import annotations

import asyncio
from datetime import date

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from watchers.http import RateLimiter
from worker.app.commands.console import shown
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import open_fetcher, utc_now
from worker.ingest.backfill import BackfillReport, run_backfill


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: {option} must be YYYY-MM-DD, not {value!r}", err=True)
        raise typer.Exit(2) from None


def describe(report: BackfillReport) -> str:
    rate = report.documents_read / report.elapsed if report.elapsed > 0 else 0.0
    return (
        f"{report.documents_seen} seen, {report.documents_new} new, {report.documents_read} read, "
        f"{report.requests} requests, {rate:.1f} notices/s"
    )


def register(app: typer.Typer) -> None:
    @app.command("backfill")
    def backfill_cmd(
        ctx: typer.Context,
        since: str = typer.Option(..., help="First publication date to read (YYYY-MM-DD)."),
        until: str | None = typer.Option(None, help="Last publication date (default: today)."),
        concurrency: int = typer.Option(2, min=1, max=16, help="Full texts fetched at once."),
        xml_per_second: float | None = typer.Option(
            None, help="Full-text downloads per second (default ADCVD_HTTP_XML_REQUESTS_PER_SECOND, 1)."
        ),
    ) -> None:
        """Store years of ITA notices without alerting; rerun the same command to resume."""
        actx = app_context(ctx)
        settings = actx.settings
        since_date = _date(since, "--since")
        assert since_date is not None
        until_date = _date(until, "--until") or utc_now().date()
        init_database(actx.engine, load_seed=False)

        async def run() -> BackfillReport:
            async with open_fetcher(settings) as fetcher:
                # The slot limiter keeps the API limit when several downloads wait at once.
                fetcher.limiter = RateLimiter(settings.http_requests_per_second, fetcher.sleep)
                xml = RateLimiter(
                    xml_per_second if xml_per_second is not None else settings.http_xml_requests_per_second,
                    fetcher.sleep,
                )
                with Progress(
                    TextColumn("backfill {task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[counts]}"),
                    TimeElapsedColumn(),
                ) as bar:
                    task = bar.add_task(f"{since_date}..{until_date}", total=None, counts="")

                    def show(report: BackfillReport) -> None:
                        bar.update(
                            task,
                            completed=report.windows_done,
                            total=report.windows_total,
                            counts=describe(report),
                        )

                    return await run_backfill(
                        actx.engine,
                        fetcher,
                        base_url=settings.federal_register_url,
                        since=since_date,
                        until=until_date,
                        now=utc_now(),
                        concurrency=concurrency,
                        xml_limiter=xml,
                        name_threshold=settings.name_match_threshold,
                        progress=show,
                    )

        report = asyncio.run(run())
        resumed = f" (resumed from {report.resumed_from})" if report.resumed_from else ""
        typer.echo(
            f"backfill {since_date}..{until_date}{resumed}: {report.windows_done} windows, "
            f"{describe(report)}, {report.cases_touched} cases touched, {report.rates_added} rates, "
            f"{report.alerts_created} alerts (primed)"
        )
        if report.waiting:
            typer.echo(
                f"{len(report.waiting)} full texts failed and were not stored: rerun the same command to "
                f"fetch them again (first: {shown(next(iter(report.waiting.values())))})"
            )
        for number, error in report.gave_up.items():
            typer.echo(f"  {number}: full text never came, stored from its metadata: {shown(error)}")
        if not report.ok:
            typer.echo(f"backfill stopped: {report.error}; rerun the same command to resume", err=True)
            raise typer.Exit(1)
