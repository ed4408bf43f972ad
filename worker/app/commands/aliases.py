"""`adcvd alias add|list`: the names an importer's records use for companies Commerce lists otherwise."""

from __future__ import annotations

import typer

from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.rules.names import company_key
from worker.storage import people
from worker.storage.db import transaction


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="An importer's company-name aliases, used by the rate cascade.", no_args_is_help=True
    )
    app.add_typer(group, name="alias")

    @group.command("add")
    def add_cmd(
        ctx: typer.Context,
        alias: str = typer.Argument(..., help="The name as the importer's records write it."),
        canonical: str = typer.Argument(..., help="The name as Commerce's rate table lists it."),
        importer: str = typer.Option(..., "--importer", help="The importer whose table this is."),
    ) -> None:
        """Add or change an alias: the cascade then reads ALIAS as CANONICAL for this importer."""
        if not company_key(alias) or not company_key(canonical):
            typer.echo("error: ALIAS and CANONICAL must each name a company", err=True)
            raise typer.Exit(2)
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            owner = people.load_importer(session, importer)
            if owner is None or owner.id is None:
                typer.echo(f"error: no importer named {importer!r}; import its portfolio first", err=True)
                raise typer.Exit(1)
            created = people.save_alias(session, importer_id=owner.id, alias=alias, canonical=canonical)
        typer.echo(f"{'added' if created else 'changed'}: {alias!r} is {canonical!r} for {importer}")

    @group.command("list")
    def list_cmd(ctx: typer.Context, importer: str = typer.Option(..., "--importer")) -> None:
        """The importer's aliases."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            owner = people.load_importer(session, importer)
            aliases = people.load_aliases(session, owner.id) if owner and owner.id is not None else {}
        for alias, canonical in sorted(aliases.items()):
            typer.echo(f"{alias}\t{canonical}")
        if not aliases:
            typer.echo(f"no aliases for {importer}")
