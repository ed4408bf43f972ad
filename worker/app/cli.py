"""The `adcvd` command line: checks the settings once, and imports a command's module only to run it."""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NamedTuple

import typer
import typer.main
from typer.core import TyperGroup


class Entry(NamedTuple):
    module: str  # under worker.app.commands; its register(app) declares the command
    help: str  # the one-line help `adcvd --help` shows without importing the module


COMMANDS: dict[str, Entry] = {
    "init": Entry("core", "Create or upgrade the database and load the seed case catalog."),
    "poll": Entry("core", "Poll one source now."),
    "run": Entry("core", "Start the scheduler (poll and delivery jobs), or run each job once and exit."),
    "deliver": Entry("core", "Send the pending alerts now."),
    "status": Entry("status", "Each source's last success and failures, the outbox backlog, the catalog."),
    "demo": Entry("core", "Whole pipeline on the bundled recorded notices; mail goes to ./outbox (Maildir)."),
    "db": Entry("core", "The database schema: its revision, and new migrations for developers."),
    "subscriber": Entry("subscribers", "Manage who receives alerts."),
    "portfolio": Entry("portfolio", "Import, list and remove importers' product portfolios."),
    "entries": Entry("entries", "Import an importer's entries, to see what review results cost them."),
    "exposure": Entry("entries", "Open liabilities of imported entries by case and period."),
    "alias": Entry("aliases", "An importer's company-name aliases, used by the rate cascade."),
    "check": Entry("check", "Every case that may reach a shipment, with its cascade step and rate."),
    "calc": Entry("check", "Planning estimate: margin = (NV - EP) / EP, duty = entered value x margin."),
    "backfill": Entry("backfill", "Store years of ITA notices without alerting; rerun to resume."),
    "deadlines": Entry("deadlines", "What is due for the cases that reach each importer's products."),
    "digest": Entry("digest", "Preview the weekly digest (the scheduler sends it on Monday morning)."),
    "notices": Entry("notices", "Read Federal Register notices."),
    "outbox": Entry("outbox", "The alert outbox."),
    "hold": Entry("holds", "Alerts held because one notice would alert too many subscribers."),
    "serve": Entry("serve", "Serve the web pages: unsubscribe, preferences, /healthz and /metrics."),
}  # fmt: skip
QUIET_LOGGERS = ("httpx", "httpcore", "alembic", "apscheduler")  # their INFO lines are chatter here


def load_command(name: str) -> Any:
    """The click command `name`, built by registering its module on a throwaway Typer app."""
    module = importlib.import_module(f"worker.app.commands.{COMMANDS[name].module}")
    holder = typer.Typer()

    @holder.callback()
    def _holder() -> None:
        """Keeps the holder a group even when the module declares one command."""

    module.register(holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group.commands[name]


class LazyCommands(TyperGroup):
    """Lists the commands from COMMANDS; imports a command's module only when it runs or shows help."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return typer.core.TyperCommand(cmd_name, help=COMMANDS[cmd_name].help)
        return load_command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        from sqlalchemy.exc import OperationalError

        from worker.app.settings import ConfigError
        from worker.storage.db import DatabaseConfigError

        try:
            return super().invoke(ctx)
        except (ConfigError, DatabaseConfigError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
            typer.echo(f"error: database: {reason}", err=True)
            raise typer.Exit(1) from None


def package_version() -> str:
    try:
        return version("adcvd-watch")
    except PackageNotFoundError:
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"adcvd-watch {package_version()}")
        raise typer.Exit(0)


app = typer.Typer(
    name="adcvd",
    cls=LazyCommands,
    help="adcvd-watch: US antidumping and countervailing duty alerts for importers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_callback(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail."),
    _version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
    ),
) -> None:
    from worker.app.context import AppContext
    from worker.app.settings import ConfigError, load_settings

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    ctx.obj = AppContext(settings=settings)


def main() -> None:
    app()
