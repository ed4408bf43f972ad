"""`adcvd status [--json]`: sources, outbox and catalog of an existing database (it never creates one)."""

from __future__ import annotations

import json
from datetime import datetime

import typer
from sqlalchemy.engine import Engine

from worker.app.commands.console import shown
from worker.app.context import AppContext, app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage import outbox_rows, source_rows
from worker.storage.catalog_facts import catalog_facts
from worker.storage.database_url import redacted_url, sqlite_path
from worker.storage.db import current_revision, head_revision, transaction


def require_database(actx: AppContext) -> Engine:
    """The engine of a database `adcvd init` made (upgraded when older); exits 1 when there is none."""
    url = redacted_url(actx.settings.database_url)
    engine = actx.engine
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        typer.echo(f"error: no database at {path}; run `adcvd init` first (ADCVD_DATABASE_URL)", err=True)
        raise typer.Exit(1)
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision is None:
        typer.echo(f"error: {url} has no adcvd-watch schema; run `adcvd init` first", err=True)
        raise typer.Exit(1)
    if revision != head_revision():
        init_database(engine, load_seed=False)
    return engine


def status_report(engine: Engine, now: datetime) -> dict[str, object]:
    with transaction(engine) as session:
        states = source_rows.list_source_states(session)
        counts = outbox_rows.count_alerts_by_status(session)
        backlog, oldest = outbox_rows.outbox_backlog(session)
        catalog = catalog_facts(session)
        blocked = source_rows.mail_blocked(session)
    return {
        "as_of": now.isoformat(timespec="seconds"),
        "sources": [
            {
                "name": s.name,
                "cursor": s.cursor,
                "last_success_at": s.last_success_at.isoformat(timespec="seconds")
                if s.last_success_at
                else None,
                "consecutive_failures": s.consecutive_failures,
                "last_error": s.last_error,
                "operator_alerted": bool(s.operator_alerted),
            }
            for s in states
        ],
        "outbox": {
            "waiting": backlog,
            "oldest_waiting_since": oldest.isoformat(timespec="seconds") if oldest else None,
            "by_status": dict(sorted(counts.items())),
        },
        "delivery": {
            "blocked": blocked is not None,
            "blocked_since": blocked[0].isoformat(timespec="seconds") if blocked else None,
            "reason": blocked[1] if blocked else None,
        },
        "catalog": catalog.as_dict(now.date()),
        "catalog_summary": catalog.describe(now.date()),
    }


def echo_status(report: dict[str, object]) -> None:
    sources = report["sources"]
    outbox = report["outbox"]
    catalog = report["catalog"]
    assert isinstance(sources, list) and isinstance(outbox, dict) and isinstance(catalog, dict)
    for state in sources:
        last = state["last_success_at"] or "never"
        typer.echo(
            f"{state['name']}: cursor {state['cursor'] or '-'}, last success {last}, "
            f"{state['consecutive_failures']} consecutive failures"
            + (f", last error: {shown(state['last_error'])}" if state["last_error"] else "")
            + (", operator alerted" if state["operator_alerted"] else "")
        )
    if not sources:
        typer.echo("no source polled yet")
    since = outbox["oldest_waiting_since"]
    typer.echo(
        f"outbox backlog: {outbox['waiting']} waiting" + (f", oldest waiting since {since}" if since else "")
    )
    by_status = outbox["by_status"]
    assert isinstance(by_status, dict)
    typer.echo(
        "outbox: "
        + (", ".join(f"{k} {v}" for k, v in by_status.items()) or "empty")
        + f" (as of {report['as_of']})"
    )
    delivery = report["delivery"]
    assert isinstance(delivery, dict)
    if delivery["blocked"]:
        typer.echo(
            f"delivery blocked since {delivery['blocked_since']}: {shown(str(delivery['reason']))} "
            "(the mail server refuses us; alerts wait and are retried, none is failed for it)"
        )
    typer.echo(str(report["catalog_summary"]))
    if catalog["next_step"]:
        typer.echo(f"next: {catalog['next_step']}")


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_cmd(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout.")
    ) -> None:
        """Each source's last success and failures, the outbox backlog, the catalog."""
        engine = require_database(app_context(ctx))
        report = status_report(engine, utc_now())
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            echo_status(report)
