"""`adcvd portfolio import FILE [--dry-run]` and `adcvd portfolio list [--importer NAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from worker.commands.console import table_console
from worker.commands.dismissals import register_dismissals
from worker.context import app_context
from worker.db import create_schema, transaction
from worker.portfolio import import_portfolio, list_products
from worker.runtime import utc_now


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Import and list importers' product portfolios.", no_args_is_help=True)
    app.add_typer(sub, name="portfolio")
    register_dismissals(sub)

    @sub.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A .csv or .xlsx portfolio file.")],
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count, save nothing."),
    ) -> None:
        """Import a portfolio; any bad row stops the import and every bad row is listed."""
        if not file.is_file():
            typer.echo(f"error: no such file: {file}", err=True)
            raise typer.Exit(1)
        actx = app_context(ctx)
        try:
            create_schema(actx.engine)
            result = import_portfolio(actx.engine, file, dry_run=dry_run, baseline_at=utc_now())
        except SQLAlchemyError as exc:
            typer.echo(f"error: database: {exc.__class__.__name__}: {exc}", err=True)
            raise typer.Exit(1) from None
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if result.errors:
            for error in result.errors:
                typer.echo(f"error: {error}", err=True)
            typer.echo(f"{len(result.errors)} error(s); nothing imported", err=True)
            raise typer.Exit(1)
        summary = result.summary
        assert summary is not None
        verb = "would import" if dry_run else "imported"
        typer.echo(
            f"{verb} {len(result.parse.rows)} line(s): {summary.created} created, "
            f"{summary.updated} updated, {summary.unchanged} unchanged"
        )

    @sub.command("list")
    def list_cmd(
        ctx: typer.Context,
        importer: str | None = typer.Option(None, "--importer", help="Only this importer."),
    ) -> None:
        """List portfolio lines."""
        actx = app_context(ctx)
        try:
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                lines = list_products(session, importer)
        except SQLAlchemyError as exc:
            typer.echo(f"error: database: {exc.__class__.__name__}: {exc}", err=True)
            raise typer.Exit(1) from None
        if not lines:
            typer.echo("no products" + (f" for importer {importer!r}" if importer else ""))
            return
        table = Table(
            "importer", "sku", "description", "hts", "origin", "producer", "exporter", "annual value (USD)"
        )
        for line in lines:
            value = "" if line.annual_entered_value is None else f"{line.annual_entered_value:,}"
            table.add_row(
                line.importer,
                line.sku,
                line.description,
                line.hts,
                line.country,
                line.producer,
                line.exporter,
                value,
            )
        table_console().print(table)
