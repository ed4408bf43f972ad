"""`adcvd subscriber link EMAIL [--importer NAME] [--revoke]`: a subscriber's preferences link and
calendar feed, and the revocation of every link sent to them (their token version is bumped)."""

from __future__ import annotations

import typer

from worker.app.commands.console import shown
from worker.app.commands.subscriptions import subscriptions_or_exit
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage import people, web_rows
from worker.storage.db import transaction
from worker.web.calendar_feed import webcal_link
from worker.web.links import EmailLinks
from worker.web.tokens import LinkTokens


def register_links(sub: typer.Typer) -> None:
    @sub.command("link")
    def link_cmd(
        ctx: typer.Context,
        email: str = typer.Argument(...),
        importer: str | None = typer.Option(
            None, "--importer", help="Only their subscription for this importer."
        ),
        revoke: bool = typer.Option(
            False,
            "--revoke",
            help="First revoke every link sent to them (unsubscribe, preferences, calendar).",
        ),
    ) -> None:
        """Print a subscriber's preferences link (valid ADCVD_LINK_DAYS) and calendar feed; --revoke
        first voids every link they were sent, for a forwarded email or a lost mailbox."""
        actx = app_context(ctx)
        secret, public_url = actx.settings.secret_key_value(), actx.settings.public_url
        if not revoke and (not secret or not public_url):
            typer.echo(
                "error: set ADCVD_PUBLIC_URL and ADCVD_SECRET_KEY to make links to the web pages", err=True
            )
            raise typer.Exit(2)
        init_database(actx.engine, load_seed=False)
        with transaction(actx.engine) as session:
            found = subscriptions_or_exit(session, email, importer)
            if revoke:
                for subscriber in found:
                    web_rows.bump_token_version(subscriber, session)
            importers = {i.id: i.name for i in people.list_importers(session)}
        if revoke:
            typer.echo(f"revoked every link sent to {shown(email.strip())} ({len(found)} subscription(s))")
        if secret and public_url:
            links = EmailLinks(LinkTokens(secret, clock=utc_now), public_url)
            for subscriber in found:
                label = importers.get(subscriber.importer_id, "-")
                typer.echo(f"{shown(label)}: {links.preferences(subscriber)}")
                feed = links.calendar(subscriber)
                webcal = webcal_link(public_url, feed.removeprefix(links.public_url))
                typer.echo(f"  calendar feed: {webcal} (or {feed})")
