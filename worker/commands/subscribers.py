"""`adcvd subscriber add|list`."""

from __future__ import annotations

import re
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from worker import store
from worker.baseline import queue_baseline_report
from worker.context import app_context
from worker.db import transaction
from worker.dbsetup import init_database
from worker.models import Subscriber
from worker.routing import SWITCHABLE_KINDS
from worker.runtime import utc_now

ROLES = ("importer", "counsel", "ops")
EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Manage who receives alerts.", no_args_is_help=True)
    app.add_typer(sub, name="subscriber")

    @sub.command("add")
    def add_cmd(
        ctx: typer.Context,
        email: str = typer.Argument(...),
        importer: str = typer.Option(..., "--importer", help="The importer whose products they follow."),
        role: str = typer.Option("importer", "--role", help="importer, counsel or ops"),
        digest: str | None = typer.Option(
            None, "--digest", help="weekly or none (default: weekly for ops, none for the others)"
        ),
        tz: str = typer.Option("UTC", "--tz", help="IANA time zone, e.g. America/Chicago"),
        on: list[str] = typer.Option([], "--on", help="Switch an alert kind on (repeatable), e.g. reminder"),
        off: list[str] = typer.Option([], "--off", help="Switch an alert kind off (repeatable)"),
    ) -> None:
        """Add (or update) a subscriber; a new one gets a baseline report of what reaches their products."""
        problems = []
        digest = digest or ("weekly" if role == "ops" else "none")
        for kind in (*on, *off):
            if kind not in SWITCHABLE_KINDS:
                problems.append(f"unknown alert kind {kind!r}; known: {', '.join(SWITCHABLE_KINDS)}")
        if not EMAIL.match(email):
            problems.append(f"not an email address: {email!r}")
        if role not in ROLES:
            problems.append(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
        if digest not in ("weekly", "none"):
            problems.append(f"--digest must be weekly or none, not {digest!r}")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"--tz is not a known time zone: {tz!r}")
        if problems:
            for problem in problems:
                typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2)
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            owner = store.load_or_create_importer(session, importer)
            subscriber = store.load_subscriber(session, email=email, importer_id=owner.id)
            created = subscriber is None
            if subscriber is None:
                subscriber = Subscriber(
                    email=email,
                    importer_id=owner.id,
                    role=role,
                    unsubscribe_token=secrets.token_urlsafe(16),
                    created_at=utc_now(),
                )
            subscriber.role, subscriber.digest, subscriber.time_zone = role, digest, tz
            if on or off:
                kinds = dict(subscriber.preferences.get("kinds", {}))
                kinds.update({k: True for k in on})
                kinds.update({k: False for k in off})
                subscriber.preferences = {**subscriber.preferences, "kinds": kinds}
            session.add(subscriber)
            session.flush()
            baseline = queue_baseline_report(
                session, subscriber, now=utc_now(), threshold=actx.settings.name_match_threshold
            )
        typer.echo(f"{'added' if created else 'updated'} {email} ({role}) for {importer}")
        if baseline is not None:
            typer.echo("baseline report queued: what already reaches their products")

    @sub.command("list")
    def list_cmd(ctx: typer.Context) -> None:
        """List subscribers."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            importers = {i.id: i.name for i in store.list_importers(session)}
            for subscriber in store.list_subscribers(session):
                typer.echo(
                    f"{subscriber.email}\t{subscriber.role}\t{importers.get(subscriber.importer_id, '-')}"
                    f"\tdigest {subscriber.digest}\t{subscriber.time_zone}"
                )
