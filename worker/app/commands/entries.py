"""`adcvd entries import FILE --importer NAME [--sheet S] [--dry-run]`; `adcvd exposure --entries`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from worker.app.commands.console import fail, shown
from worker.app.context import app_context
from worker.app.runtime import utc_now
from worker.entries.files import EntryParse, import_entries
from worker.storage.db import create_schema


def register(app: typer.Typer) -> None:
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
        _echo_problems(result.parse)
        if result.parse.errors:
            typer.echo(f"{result.parse.errors_total:,} error(s); nothing imported", err=True)
            raise typer.Exit(1)
        verb = "would import" if dry_run else "imported"
        typer.echo(
            f"{verb} {result.imported} entry line(s) for {shown(importer)}, replacing the {result.replaced} "
            f"imported before; {result.matched_products} matched to portfolio products"
        )


def _echo_problems(parse: EntryParse) -> None:
    for label, problems, total in (
        ("warning", parse.warnings, parse.warnings_total),
        ("error", parse.errors, parse.errors_total),
    ):
        for problem in problems:
            typer.echo(f"{label}: {shown(str(problem))}", err=True)
        if total > len(problems):
            typer.echo(f"… and {total - len(problems):,} more {label}(s) not shown", err=True)
