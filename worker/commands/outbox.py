"""`adcvd outbox list|retry`."""

from __future__ import annotations

import typer

from worker import store
from worker.context import app_context
from worker.db import transaction
from worker.dbsetup import init_database
from worker.runtime import utc_now


def register(app: typer.Typer) -> None:
    box = typer.Typer(help="The alert outbox.", no_args_is_help=True)
    app.add_typer(box, name="outbox")

    @box.command("list")
    def list_cmd(
        ctx: typer.Context,
        status: str | None = typer.Option(None, help="pending, sending, sent or failed"),
        limit: int = typer.Option(50),
    ) -> None:
        """The newest alerts with their status, attempts and last error."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            alerts = store.list_alerts(session, status=status, limit=limit)
        for alert in alerts:
            typer.echo(
                f"{alert.id}\t{alert.status}\t{alert.kind}\t{alert.case_number}\tattempts {alert.attempts}"
                f"\t{alert.dedupe_key}" + (f"\t{alert.last_error}" if alert.last_error else "")
            )
        if not alerts:
            typer.echo("outbox empty")

    @box.command("retry")
    def retry_cmd(ctx: typer.Context) -> None:
        """Put failed alerts back to pending, to be sent by the next delivery."""
        actx = app_context(ctx)
        now = utc_now()
        with transaction(actx.engine) as session:
            failed = store.list_alerts(session, status="failed", limit=100000)
            for alert in failed:
                alert.status, alert.next_attempt_at, alert.attempts = "pending", now, 0
                session.add(alert)
        typer.echo(f"{len(failed)} failed alerts queued again")
