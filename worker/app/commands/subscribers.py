"""`adcvd subscriber add|remove|list` (and `link`, in subscriber_links.py)."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from notifier.channel_post import CHANNELS, channel_url_problem, where
from worker.alerts.audience import ROLE_EVENT_KINDS, SWITCHABLE_KINDS, switches
from worker.alerts.baseline import queue_baseline_report
from worker.app.commands.console import shown
from worker.app.commands.subscriber_links import register_links
from worker.app.commands.subscriptions import subscriptions_or_exit
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.portfolios.subscribers import find_subscribers, normalize_address, remove_subscriber
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Subscriber

ROLES = ("importer", "counsel", "ops")


def _check_options(
    email: str, role: str | None, digest: str | None, tz: str | None, kinds: list[str]
) -> tuple[str, list[str]]:
    """(the address as stored, problems with the options)."""
    problems = []
    address = email
    try:
        address = normalize_address(email)
    except ValueError as exc:
        problems.append(str(exc))
    for kind in kinds:
        if kind not in SWITCHABLE_KINDS:
            problems.append(f"unknown alert kind {kind!r}; known: {', '.join(SWITCHABLE_KINDS)}")
    if role is not None and role not in ROLES:
        problems.append(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    if digest is not None and digest not in ("weekly", "none"):
        problems.append(f"--digest must be weekly or none, not {digest!r}")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"--tz is not a known time zone: {tz!r}")
    return address, problems


def _check_channel(channel: str | None, url: str | None) -> list[str]:
    if channel is not None and channel not in CHANNELS:
        return [f"--channel must be one of {', '.join(CHANNELS)}, not {channel!r}"]
    if channel == "email" and url is not None:
        return ["--url is for --channel webhook, slack or teams; email goes to the address"]
    if url is not None:
        problem = channel_url_problem(url)
        if problem is not None:
            return [f"--url: {problem}"]
    return []


def _set_channel(subscriber: Subscriber, channel: str | None, url: str | None, rotate: bool) -> str | None:
    """Apply --channel/--url/--rotate-secret; returns a new webhook signing secret (shown once), or None.

    ValueError when the result would be an HTTP channel without a URL, or --url without one.
    """
    was_webhook = subscriber.channel == "webhook"
    subscriber.channel = channel or subscriber.channel
    if subscriber.channel == "email":
        if url is not None or rotate:
            raise ValueError("--url and --rotate-secret need --channel webhook, slack or teams")
        subscriber.channel_url = None
        subscriber.signing_secret = None
        return None
    subscriber.channel_url = url.strip() if url is not None else subscriber.channel_url
    if not subscriber.channel_url:
        raise ValueError(f"--channel {subscriber.channel} needs --url (the receiver's https URL)")
    if subscriber.channel != "webhook":
        if rotate:
            raise ValueError("--rotate-secret is for webhooks: Slack and Teams URLs are their own key")
        subscriber.signing_secret = None
        return None
    if was_webhook and subscriber.signing_secret and not rotate:
        return None
    subscriber.signing_secret = secrets.token_urlsafe(32)
    return subscriber.signing_secret


def channel_shown(subscriber: Subscriber) -> str:
    """email, or the channel and its host (never the whole URL: Slack and Teams keep a key in it)."""
    if subscriber.channel == "email" or not subscriber.channel_url:
        return subscriber.channel
    return f"{subscriber.channel} {where(subscriber.channel_url)}"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Manage who receives alerts.", no_args_is_help=True)
    app.add_typer(sub, name="subscriber")
    register_links(sub)

    @sub.command("add")
    def add_cmd(
        ctx: typer.Context,
        email: str = typer.Argument(...),
        importer: str = typer.Option(..., "--importer", help="The importer whose products they follow."),
        create_importer: bool = typer.Option(
            False, "--create-importer", help="Create the importer if it has no portfolio yet."
        ),
        role: str | None = typer.Option(None, "--role", help="importer, counsel or ops (new: importer)"),
        digest: str | None = typer.Option(
            None, "--digest", help="weekly or none (new: weekly for ops, none for the others)"
        ),
        tz: str | None = typer.Option(
            None, "--tz", help="IANA time zone, e.g. America/Chicago (new: ADCVD_TIME_ZONE)"
        ),
        on: list[str] = typer.Option([], "--on", help="Switch an alert kind on (repeatable), e.g. reminder"),
        off: list[str] = typer.Option([], "--off", help="Switch an alert kind off (repeatable)"),
        channel: str | None = typer.Option(
            None,
            "--channel",
            help="email, webhook, slack or teams (new: email). The last three POST each alert to --url; "
            "the address still names the subscription.",
        ),
        url: str | None = typer.Option(
            None,
            "--url",
            help="Where webhook, Slack (incoming webhook) or Teams (Workflows webhook) alerts go: https "
            "required (plain http only on 127.0.0.1 or localhost, for tests).",
        ),
        rotate_secret: bool = typer.Option(
            False, "--rotate-secret", help="Give a webhook subscriber a new signing secret (shown once)."
        ),
    ) -> None:
        """Add a subscriber (who gets a baseline report of what reaches their products), or change
        only the given options of an existing one. Addresses are compared without regard to case.
        A webhook subscriber's signing secret is generated and shown once (docs/webhooks.md)."""
        address, problems = _check_options(email, role, digest, tz, [*on, *off])
        problems += _check_channel(channel, url)
        if problems:
            for problem in problems:
                typer.echo(f"error: {shown(problem)}", err=True)
            raise typer.Exit(2)
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            owner = people.load_importer(session, importer)
            if owner is None and not create_importer:
                known = ", ".join(repr(i.name) for i in people.list_importers(session)[:10]) or "none yet"
                typer.echo(
                    f"error: no importer named {shown(importer)!r} (known: {shown(known)}); import their "
                    "portfolio first, or pass --create-importer",
                    err=True,
                )
                raise typer.Exit(1)
            owner = owner or people.load_or_create_importer(session, importer)
            existing = find_subscribers(session, address, owner.id)
            subscriber = existing[0] if existing else None
            created = subscriber is None
            if subscriber is None:
                new_role = role or "importer"
                subscriber = Subscriber(
                    email=address,
                    importer_id=owner.id,
                    role=new_role,
                    digest=digest or ("weekly" if new_role == "ops" else "none"),
                    time_zone=tz or actx.settings.time_zone,
                    unsubscribe_token=secrets.token_urlsafe(16),
                    created_at=utc_now(),
                )
            else:
                subscriber.role = role or subscriber.role
                subscriber.digest = digest or subscriber.digest
                subscriber.time_zone = tz or subscriber.time_zone
            if on or off:
                kinds = dict(subscriber.preferences.get("kinds", {}))
                kinds.update({k: True for k in on})
                kinds.update({k: False for k in off})
                subscriber.preferences = {**subscriber.preferences, "kinds": kinds}
            try:
                secret = _set_channel(subscriber, channel, url, rotate_secret)
            except ValueError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            session.add(subscriber)
            session.flush()
            baseline = queue_baseline_report(
                session, subscriber, now=utc_now(), threshold=actx.settings.name_match_threshold
            )
            summary = (
                f"{subscriber.email} ({subscriber.role}, digest {subscriber.digest}, {subscriber.time_zone})"
            )
            if subscriber.channel != "email":
                summary += f" by {channel_shown(subscriber)}"
        typer.echo(f"{'added' if created else 'updated'} {shown(summary)} for {shown(importer)}")
        if secret is not None:
            typer.echo(
                f"webhook signing secret (shown once; keep it with the receiver): {secret}\n"
                "each POST carries X-Adcvd-Signature: t=TIMESTAMP,v1=HMAC-SHA256(secret, TIMESTAMP.BODY)"
            )
        if baseline is not None:
            typer.echo("baseline report queued: what already reaches their products")

    @sub.command("remove")
    def remove_cmd(
        ctx: typer.Context,
        email: str = typer.Argument(...),
        importer: str | None = typer.Option(
            None, "--importer", help="Only their subscription for this importer (default: all)."
        ),
    ) -> None:
        """Remove a subscriber: no more alerts, and their unsent ones are dropped."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            found = subscriptions_or_exit(session, email, importer)
            unsent = sum(remove_subscriber(session, subscriber) for subscriber in found)
        typer.echo(
            f"removed {len(found)} subscription(s) of {shown(email.strip())}"
            + (f"; {unsent} unsent alert(s) dropped" if unsent else "")
        )

    @sub.command("list")
    def list_cmd(ctx: typer.Context) -> None:
        """List subscribers."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            importers = {i.id: i.name for i in people.list_importers(session)}
            for subscriber in people.list_subscribers(session):
                fields = (
                    subscriber.email,
                    subscriber.role,
                    importers.get(subscriber.importer_id, "-"),
                    f"digest {subscriber.digest}",
                    subscriber.time_zone,
                    channel_shown(subscriber),
                    *switched(subscriber),
                )
                typer.echo("\t".join(shown(field) for field in fields))


def switched(subscriber: Subscriber) -> list[str]:
    """`off: …` (switched off: a one-click unsubscribe, the page, --off) and `on: …` (beyond the role's
    defaults); nothing when the subscriber kept the defaults."""
    own = switches(subscriber)
    defaults = ROLE_EVENT_KINDS.get(subscriber.role, frozenset())
    off = sorted(k for k, on in own.items() if not on)
    on = sorted(
        k
        for k, v in own.items()
        if v and k in SWITCHABLE_KINDS and defaults is not None and k not in defaults
    )
    return [*([f"off: {', '.join(off)}"] if off else []), *([f"on: {', '.join(on)}"] if on else [])]
