"""`adcvd portfolio import FILE [--sheet S] [--dry-run]`, `list`, `remove SKU…`, `link --importer NAME`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from worker.alerts.holds import BulkHold
from worker.app.commands.console import database_errors, fail, shown, table_console
from worker.app.commands.dismissals import register_dismissals
from worker.app.context import app_context
from worker.app.runtime import utc_now
from worker.portfolios.files import PortfolioParse, import_portfolio
from worker.portfolios.outcome import held, imported, problem_lines, refusal
from worker.portfolios.stored import list_products, remove_products
from worker.storage import people
from worker.storage.db import create_schema, transaction
from worker.web.portfolio_page import portfolio_path
from worker.web.tokens import LinkTokens


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Import and list importers' product portfolios.", no_args_is_help=True)
    app.add_typer(sub, name="portfolio")
    register_dismissals(sub)

    @sub.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A .csv or .xlsx portfolio file.")],
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count, save nothing."),
        sheet: str | None = typer.Option(
            None, "--sheet", help="The .xlsx sheet to read, by name or number (default: the active one)."
        ),
    ) -> None:
        """Import a portfolio; any bad row stops the import, and the first bad rows are listed."""
        if not file.is_file():
            typer.echo(f"error: no such file: {shown(str(file))}", err=True)
            raise typer.Exit(1)
        actx = app_context(ctx)
        with database_errors():
            create_schema(actx.engine)
            result = import_portfolio(
                actx.engine,
                file,
                dry_run=dry_run,
                baseline_at=utc_now(),
                sheet=sheet,
                bulk_hold=BulkHold(actx.settings.bulk_alert_threshold, actx.settings.operator_email),
            )
        echo_problems(result.parse)
        if result.errors:
            typer.echo(refusal(result.parse), err=True)
            raise typer.Exit(1)
        typer.echo(imported(result))
        if (waiting := held(result, actx.settings.bulk_alert_threshold)) is not None:
            typer.echo(waiting)

    @sub.command("list")
    def list_cmd(
        ctx: typer.Context,
        importer: str | None = typer.Option(None, "--importer", help="Only this importer."),
    ) -> None:
        """List portfolio lines."""
        actx = app_context(ctx)
        with database_errors():
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                lines = list_products(session, importer)
        if not lines:
            typer.echo("no products" + (f" for importer {importer!r}" if importer else ""))
            return
        table = Table(
            "importer", "sku", "description", "hts", "origin", "producer", "exporter", "annual value (USD)"
        )
        for line in lines:
            value = "" if line.annual_entered_value is None else f"{line.annual_entered_value:,}"
            table.add_row(
                *(
                    shown(text, markup=True)
                    for text in (
                        line.importer,
                        line.sku,
                        line.description,
                        line.hts,
                        line.country,
                        line.producer,
                        line.exporter,
                    )
                ),
                value,
            )
        table_console().print(table)

    register_remove(sub)
    register_link(sub)


def echo_problems(parse: PortfolioParse) -> None:
    """The first warnings and errors, one a line, with how many more there were."""
    for line in problem_lines(parse):
        typer.echo(shown(line), err=True)


def register_remove(sub: typer.Typer) -> None:
    @sub.command("remove")
    def remove_cmd(
        ctx: typer.Context,
        skus: Annotated[list[str], typer.Argument(help="The SKUs to remove.")],
        importer: str = typer.Option(..., "--importer", help="The importer whose products they are."),
    ) -> None:
        """Remove products from an importer's portfolio; they are matched and alerted no more."""
        actx = app_context(ctx)
        create_schema(actx.engine)
        try:
            with transaction(actx.engine) as session:
                removed, missing = remove_products(session, importer, skus)
                if missing:
                    names = ", ".join(map(repr, missing))
                    raise LookupError(f"no product {names} for importer {importer!r}; nothing removed")
        except LookupError as exc:
            typer.echo(f"error: {shown(str(exc.args[0]))}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"removed {len(removed)} product(s) from {shown(importer)}")


def register_link(sub: typer.Typer) -> None:
    @sub.command("link")
    def link_cmd(
        ctx: typer.Context,
        importer: str = typer.Option(..., "--importer", help="The importer whose page it opens."),
    ) -> None:
        """Print the importer's portfolio page link (upload, exposure, deadlines; valid ADCVD_LINK_DAYS)."""
        actx = app_context(ctx)
        secret, public_url = actx.settings.secret_key_value(), actx.settings.public_url
        if not secret or not public_url:
            raise fail("set ADCVD_PUBLIC_URL and ADCVD_SECRET_KEY to make links to the web pages")
        create_schema(actx.engine)
        with transaction(actx.engine) as session:
            owner = people.load_importer(session, importer)
        if owner is None or owner.id is None:
            raise fail(f"no importer named {shown(importer)!r}")
        path = portfolio_path(LinkTokens(secret, clock=utc_now), owner.id, owner.token_version)
        typer.echo(public_url + path)
