"""`adcvd serve`: the web surface (unsubscribe, preferences, /healthz, /metrics) on uvicorn."""

from __future__ import annotations

import contextlib

import typer

from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.web_server import web_server
from worker.storage import people
from worker.storage.db import transaction


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        ctx: typer.Context,
        host: str | None = typer.Option(None, help="Address to bind (default ADCVD_SERVE_HOST, 127.0.0.1)."),
        port: int | None = typer.Option(
            None, min=1, max=65535, help="Port (default ADCVD_SERVE_PORT, 8080)."
        ),
    ) -> None:
        """Serve the web pages: one-click unsubscribe, preferences, /healthz and /metrics."""
        actx = app_context(ctx)
        server = web_server(actx.settings, actx.engine, host=host, port=port)
        init_database(actx.engine, load_seed=False)
        config = server.config
        if not actx.settings.public_url:
            typer.echo("note: ADCVD_PUBLIC_URL is unset: emails carry no links to these pages", err=True)
        with transaction(actx.engine) as session:
            nobody = not people.list_subscribers(session)
        if nobody:
            shown_url = actx.engine.url.render_as_string(hide_password=True)
            typer.echo(
                f"note: {shown_url} has no subscribers: every link in an email will answer 'not valid'; "
                "is ADCVD_DATABASE_URL the worker's database?",
                err=True,
            )
        typer.echo(f"adcvd-watch serving on http://{config.host}:{config.port}; Ctrl-C stops")
        with contextlib.suppress(SystemExit):  # uvicorn exits 3 when it cannot bind, not "already running"
            server.run()
        if not server.started:
            where = f"{config.host}:{config.port}"
            typer.echo(f"error: could not listen on {where} (in use? choose another with --port)", err=True)
            raise typer.Exit(1)
