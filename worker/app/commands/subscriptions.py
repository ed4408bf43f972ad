"""The subscriptions an address names on the command line (of one importer when given), or a clear exit."""

from __future__ import annotations

import typer
from sqlmodel import Session

from worker.app.commands.console import shown
from worker.portfolios.subscribers import find_subscribers
from worker.storage import people
from worker.storage.models import Subscriber


def subscriptions_or_exit(session: Session, email: str, importer: str | None) -> list[Subscriber]:
    """The address's subscriptions (of `importer` when named); exits 1 naming what was not found."""
    owner_id = None
    if importer is not None:
        owner = people.load_importer(session, importer)
        if owner is None:
            typer.echo(f"error: no importer named {shown(importer)!r}", err=True)
            raise typer.Exit(1)
        owner_id = owner.id
    found = find_subscribers(session, email, owner_id)
    if not found:
        where = f" for {importer!r}" if importer else ""
        typer.echo(f"error: no subscriber {shown(email.strip())!r}{shown(where)}", err=True)
        raise typer.Exit(1)
    return found
