"""/cal/TOKEN.ics: a subscriber's deadlines as a calendar feed (webcal://), built afresh at each fetch."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from worker.alerts.deadline_feed import feed_calendar
from worker.storage import web_rows
from worker.storage.db import transaction
from worker.web.context import web
from worker.web.tokens import LinkTokens, TokenInvalid

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def calendar_path(tokens: LinkTokens, subscriber_id: int, token_version: int) -> str:
    """The feed's path for one subscriber; the token never expires (a subscription runs for years)
    and is revoked by bumping the subscriber's token_version."""
    return f"/cal/{tokens.sign('calendar', subscriber_id, token_version)}.ics"


def webcal_link(public_url: str | None, path: str) -> str:
    """webcal://HOST/PATH, the link calendar programs subscribe to; '' without ADCVD_PUBLIC_URL."""
    if not public_url:
        return ""
    parts = urlsplit(public_url)
    return f"webcal://{parts.netloc}{parts.path}{path}"


def calendar_feed(request: Request) -> Response:
    context = web(request)
    try:
        claims = context.tokens.read(str(request.path_params["token"]), "calendar", max_age=None)
    except TokenInvalid:
        return PlainTextResponse("not a valid calendar link\n", status_code=404)
    with transaction(context.engine) as session:
        subscriber = web_rows.load_subscriber_by_id(session, claims.subject)
        if subscriber is None or not claims.is_current(subscriber.token_version):
            return PlainTextResponse("this calendar link is no longer valid\n", status_code=404)
        body = feed_calendar(session, subscriber, now=context.clock(), ladder=context.settings.reminder_days)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",
        "Content-Disposition": 'inline; filename="adcvd-deadlines.ics"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CALENDAR_TYPE, headers=headers)


ROUTES: list[BaseRoute] = [Route("/cal/{token}.ics", calendar_feed, methods=["GET"])]
