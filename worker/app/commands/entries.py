"""`adcvd entries import FILE --importer NAME [--sheet S] [--dry-run]`; `adcvd exposure --entries`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from worker.alerts.entry_liabilities import LIABILITY_COLUMNS, Liability, open_liabilities
from worker.app.commands.console import database_errors, fail, shown, table_console
from worker.app.context import app_context
from worker.app.runtime import utc_now
from worker.entries.files import import_entries
from worker.portfolios.outcome import problem_lines, refusal
from worker.storage import people
from worker.storage.db import create_schema, transaction


def register(app: typer.Typer) -> None:
    register_exposure(app)
    sub = typer.Typer(help="An importer's entries: what review results cost them.", no_args_is_help=True)
    app.add_typer(sub, name="entries")

    @sub.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file of entry summary lines.")],
        importer: str = typer.Option(..., "--importer", help="The importer whose entries these are."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count, save nothing."),
        sheet: str | None = typer.Option(None, "--sheet", help="The .xlsx sheet to read, by name or number."),
    ) -> None:
        """Import an importer's entries; they replace its entries imported before. Any bad line stops
        the import, nothing is saved, and the first bad lines are listed."""
        if not file.is_file():
            raise fail(f"no such file: {shown(str(file))}")
        actx = app_context(ctx)
        try:
            create_schema(actx.engine)
            result = import_entries(
                actx.engine, file, importer=importer, now=utc_now(), dry_run=dry_run, sheet=sheet
            )
        except LookupError as exc:
            raise fail(shown(str(exc.args[0]))) from None
        except SQLAlchemyError as exc:
            raise fail(f"database: {exc.__class__.__name__}: {exc}") from None
        for line in problem_lines(result.parse):
            typer.echo(shown(line), err=True)
        if result.parse.errors:
            typer.echo(refusal(result.parse), err=True)
            raise typer.Exit(1)
        verb = "would import" if dry_run else "imported"
        typer.echo(
            f"{verb} {result.imported} entry line(s) for {shown(importer)}, replacing the {result.replaced} "
            f"imported before; {result.matched_products} matched to portfolio products, {result.decided} "
            "decided by results notices already published (see `adcvd exposure --entries`)"
        )


def register_exposure(app: typer.Typer) -> None:
    @app.command("exposure")
    def exposure_cmd(
        ctx: typer.Context,
        entries: bool = typer.Option(False, "--entries", help="Open liabilities of the imported entries."),
        importer: str | None = typer.Option(None, "--importer", help="Only this importer."),
        as_json: bool = typer.Option(False, "--json", help="One JSON document."),
        as_csv: bool = typer.Option(False, "--csv", help="CSV, one line per importer, case and period."),
    ) -> None:
        """Open liabilities by case and period: what results notices decided for unliquidated entries
        (+ owed, - refund, with interest) and the expected liquidation window."""
        if not entries:
            raise usage_error("say what exposure to show: --entries (open liabilities of imported entries)")
        if as_json and as_csv:
            raise usage_error("--json and --csv exclude each other")
        actx = app_context(ctx)
        with database_errors():
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                if importer is not None and people.load_importer(session, importer) is None:
                    raise fail(f"no importer named {shown(importer)!r}")
                liabilities = open_liabilities(session, importer=importer)
        records = [item.as_record() for item in liabilities]
        if as_json:
            typer.echo(json.dumps({"liabilities": records}, indent=2))
            return
        if as_csv:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=LIABILITY_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
            typer.echo(buffer.getvalue(), nl=False)
            return
        if not liabilities:
            typer.echo("no open liabilities" + (f" for importer {shown(importer)}" if importer else ""))
            return
        _print_table(liabilities)


WRAPPED_COLUMNS = ("importer", "net (+ owed, - refund)")


def usage_error(message: str) -> typer.Exit:
    """Print `error: message` to stderr; the Exit(2) of a usage error to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _print_table(liabilities: list[Liability]) -> None:
    """The table (deposits and assessed duty are in --json and --csv)."""
    table = Table()
    for title in ("importer", "case", "period", "entries", "difference", "interest", "net (+ owed, - refund)",
                  "liquidation window", "notices"):  # fmt: skip
        # Long names and headers wrap; figures, dates and the notices' document numbers never are cut.
        table.add_column(title, no_wrap=title not in WRAPPED_COLUMNS)
    for item in liabilities:
        period = f"{item.period_start or '?'}..{item.period_end or '?'}"
        window = f"{item.liquidation_from or '?'}..{item.liquidation_to or '?'}"
        net = f"{item.net:,.2f}" + (" (projected)" if item.projection else "")
        table.add_row(
            shown(item.importer, markup=True), item.case_number, period, str(item.entries),
            f"{item.difference:,.2f}", f"{item.interest:,.2f}", net, window, "\n".join(item.notices),
        )  # fmt: skip
    table_console().print(table)
