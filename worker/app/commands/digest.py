"""`adcvd digest --preview [--subscriber EMAIL]`: the next weekly digest as it reads so far."""

from __future__ import annotations

import typer

from notifier.render import render_message
from worker.alerts.digest import build_digest_payload, preview_period
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage import people
from worker.storage.db import transaction


def register(app: typer.Typer) -> None:
    @app.command("digest")
    def digest_cmd(
        ctx: typer.Context,
        preview: bool = typer.Option(False, "--preview", help="Print the digest; send and record nothing."),
        subscriber: str | None = typer.Option(None, "--subscriber", help="Only this subscriber's digest."),
    ) -> None:
        """Preview the weekly digest (the scheduler sends it on Monday morning, subscriber's time)."""
        if not preview:
            typer.echo("error: only --preview is supported; `adcvd run` sends digests when due", err=True)
            raise typer.Exit(2)
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        now = utc_now()
        with transaction(actx.engine) as session:
            if subscriber:
                subscribers = people.list_subscribers_by_email(session, subscriber)
            else:
                subscribers = [s for s in people.list_subscribers(session) if s.digest == "weekly"]
            if not subscribers:
                typer.echo(
                    "no subscriber" + (f" {subscriber}" if subscriber else " with a weekly digest"), err=True
                )
                raise typer.Exit(1)
            rendered = []
            for sub in subscribers:
                if sub.importer_id is None:
                    continue
                period = preview_period(session, sub, now=now)
                payload = build_digest_payload(
                    session, sub, period=period, now=now, threshold=actx.settings.name_match_threshold
                )
                rendered.append((sub.email, render_message("digest", payload)))
        for email, message in rendered:
            typer.echo(f"To: {email}\nSubject: {message.subject}\n\n{message.text}")
