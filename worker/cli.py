"""The `adcvd` command line: builds the settings once and hands them to every command."""

from __future__ import annotations

import logging

import typer
from pydantic import ValidationError

from worker.commands import (
    aliases,
    backfill,
    check,
    core,
    deadlines,
    digest,
    holds,
    notices,
    outbox,
    portfolio,
    subscribers,
)
from worker.context import AppContext
from worker.settings import Settings

app = typer.Typer(
    name="adcvd",
    help="adcvd-watch: US antidumping and countervailing duty alerts for importers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_callback(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail."),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = Settings()
    except ValidationError as exc:
        typer.echo(
            f"error: bad ADCVD_* setting: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", err=True
        )
        raise typer.Exit(2) from None
    ctx.obj = AppContext(settings=settings)


for module in (
    core,
    subscribers,
    portfolio,
    check,
    notices,
    outbox,
    holds,
    backfill,
    deadlines,
    digest,
    aliases,
):
    module.register(app)


def main() -> None:
    app()
