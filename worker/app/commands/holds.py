"""`adcvd hold list|release|discard`: the notices held by the bulk-alert circuit breaker."""

from __future__ import annotations

import typer

from worker.alerts import holds
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage.db import transaction


def register(app: typer.Typer) -> None:
    hold = typer.Typer(
        help="Alerts held because one notice or portfolio import would alert too many subscribers.",
        no_args_is_help=True,
    )
    app.add_typer(hold, name="hold")

    @hold.command("list")
    def list_cmd(ctx: typer.Context) -> None:
        """Each held notice and how many alerts wait for it."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            held = holds.held_by_notice(session)
        for document_number, count in sorted(held.items()):
            typer.echo(f"{document_number}\t{count} alerts held")
        if not held:
            typer.echo("nothing held")

    @hold.command("release")
    def release_cmd(
        ctx: typer.Context, document_number: str = typer.Argument(..., help="FR Doc number")
    ) -> None:
        """Send a held notice's alerts with the next delivery."""
        actx = app_context(ctx)
        with transaction(actx.engine) as session:
            count = holds.release(session, document_number, now=utc_now())
        if not count:
            typer.echo(f"error: no alerts held for {document_number} (see `adcvd hold list`)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{count} alerts for {document_number} released: they go with the next delivery")

    @hold.command("discard")
    def discard_cmd(
        ctx: typer.Context, document_number: str = typer.Argument(..., help="FR Doc number")
    ) -> None:
        """Drop a held notice's alerts (they stay in the outbox as discarded, never sent)."""
        actx = app_context(ctx)
        with transaction(actx.engine) as session:
            count = holds.discard(session, document_number)
        if not count:
            typer.echo(f"error: no alerts held for {document_number} (see `adcvd hold list`)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{count} alerts for {document_number} discarded")
