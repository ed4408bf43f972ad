"""`adcvd portfolio dismiss SKU CASE --importer NAME`, `dismissed` (list) and `undismiss` (undo)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from worker.alerts.dismissals import DismissalError, dismiss, list_dismissals, undo_dismissal
from worker.app.commands.console import database_errors, fail, table_console
from worker.app.context import app_context
from worker.app.runtime import utc_now
from worker.storage.db import create_schema, transaction

SKU = Annotated[str, typer.Argument(help="The SKU, as in the portfolio.")]
CASE = Annotated[str, typer.Argument(help="The case number, e.g. A-570-890.")]
IMPORTER = Annotated[str, typer.Option("--importer", help="The importer whose SKU it is.")]


def register_dismissals(sub: typer.Typer) -> None:
    """Add the dismissal commands to the `portfolio` group."""

    @sub.command("dismiss")
    def dismiss_cmd(ctx: typer.Context, sku: SKU, case: CASE, importer: IMPORTER) -> None:
        """Dismiss a case for a SKU: never alerted, reminded or reported for it again."""
        actx = app_context(ctx)
        with database_errors(DismissalError):
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                new = dismiss(session, importer=importer, sku=sku, case_number=case, now=utc_now())
        number = case.strip().upper()
        if new:
            typer.echo(f"dismissed {number} for {sku} ({importer}); undo with `adcvd portfolio undismiss`")
        else:
            typer.echo(f"{number} was already dismissed for {sku} ({importer})")

    @sub.command("undismiss")
    def undismiss_cmd(ctx: typer.Context, sku: SKU, case: CASE, importer: IMPORTER) -> None:
        """Undo a dismissal: the case is alerted for the SKU again."""
        actx = app_context(ctx)
        with database_errors(DismissalError):
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                removed = undo_dismissal(session, importer=importer, sku=sku, case_number=case)
        number = case.strip().upper()
        if not removed:
            raise fail(f"{number} is not dismissed for {sku} ({importer})")
        typer.echo(f"{number} is alerted for {sku} ({importer}) again")

    @sub.command("dismissed")
    def dismissed_cmd(
        ctx: typer.Context,
        importer: str | None = typer.Option(None, "--importer", help="Only this importer."),
    ) -> None:
        """List the cases dismissed for each SKU."""
        actx = app_context(ctx)
        with database_errors(DismissalError):
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                lines = list_dismissals(session, importer)
        if not lines:
            typer.echo("no dismissals" + (f" for importer {importer!r}" if importer else ""))
            return
        table = Table("importer", "sku", "case", "product", "dismissed at (UTC)")
        for line in lines:
            when = line.created_at.strftime("%Y-%m-%d %H:%M") if line.created_at else ""
            table.add_row(line.importer, line.sku, line.case_number, line.product, when)
        table_console().print(table)
