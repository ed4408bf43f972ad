"""`adcvd outbox list [--json]|retry`."""

from __future__ import annotations

import json

import typer

from worker.app.commands.console import shown
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Alert

STATUSES = ("pending", "sending", "sent", "failed", "unsubscribed")


def alert_json(alert: Alert, recipient: str | None) -> dict[str, object]:
    def when(value: object) -> object:
        return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else value

    return {
        "id": alert.id,
        "status": alert.status,
        "kind": alert.kind,
        "recipient": recipient,
        "subscriber_id": alert.subscriber_id,
        "case_number": alert.case_number,
        "notice_document_number": alert.notice_document_number,
        "attempts": alert.attempts,
        "last_error": alert.last_error,
        "message_id": alert.message_id,
        "dedupe_key": alert.dedupe_key,
        "created_at": when(alert.created_at),
        "next_attempt_at": when(alert.next_attempt_at),
        "sent_at": when(alert.sent_at),
    }


def register(app: typer.Typer) -> None:
    box = typer.Typer(help="The alert outbox.", no_args_is_help=True)
    app.add_typer(box, name="outbox")

    @box.command("list")
    def list_cmd(
        ctx: typer.Context,
        status: str | None = typer.Option(None, help="pending, sending, sent, failed or unsubscribed"),
        limit: int = typer.Option(50, min=1),
        as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout."),
    ) -> None:
        """The newest alerts with their recipient, status, attempts and last error."""
        if status is not None and status not in STATUSES:
            typer.echo(f"error: --status must be one of {', '.join(STATUSES)}, not {status!r}", err=True)
            raise typer.Exit(2)
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            alerts = outbox_rows.list_alerts(session, status=status, limit=limit)
            recipients = {s.id: s.email for s in people.list_subscribers(session)}
        if as_json:
            typer.echo(json.dumps([alert_json(a, recipients.get(a.subscriber_id)) for a in alerts], indent=2))
            return
        for alert in alerts:
            fields = [
                str(alert.id),
                alert.status,
                alert.kind,
                recipients.get(alert.subscriber_id, "-"),
                alert.case_number,
                f"attempts {alert.attempts}",
                alert.dedupe_key,
                *([alert.last_error] if alert.last_error else []),
            ]
            typer.echo("\t".join(shown(field) for field in fields))
        if not alerts:
            typer.echo("outbox empty")

    @box.command("retry")
    def retry_cmd(ctx: typer.Context) -> None:
        """Put failed alerts back to pending, to be sent by the next delivery."""
        actx = app_context(ctx)
        now = utc_now()
        with transaction(actx.engine) as session:
            failed = outbox_rows.list_alerts(session, status="failed", limit=100000)
            for alert in failed:
                alert.status, alert.next_attempt_at, alert.attempts = "pending", now, 0
                session.add(alert)
        typer.echo(f"{len(failed)} failed alerts queued again")
