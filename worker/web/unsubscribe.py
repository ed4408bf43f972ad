"""`/u/TOKEN`: one-click unsubscribe from one alert kind (RFC 8058 POST), or a confirmation page (GET).

A mail provider POSTs `List-Unsubscribe=One-Click` with no cookie and no CSRF token: that body alone
unsubscribes at once. A person opening the link gets a page whose button POSTs with a CSRF token.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from worker.alerts.audience import UNSUBSCRIBABLE_KINDS, unsubscribe
from worker.storage.db import transaction
from worker.web.context import WebContext, web
from worker.web.subscriber_links import kind_label, masked, open_link

ONE_CLICK = ("List-Unsubscribe", "One-Click")


def _not_valid(context: WebContext) -> Response:
    return context.page("link_invalid.html", 404, what="unsubscribe")


def unsubscribe_page(request: Request) -> Response:
    context = web(request)
    token = request.path_params["token"]
    with transaction(context.engine) as session:
        opened = open_link(session, context.tokens, token, "unsubscribe", max_age=None)
    if opened.subscriber is None or opened.claims is None or opened.claims.kind not in UNSUBSCRIBABLE_KINDS:
        return _not_valid(context)
    subscriber, kind = opened.subscriber, opened.claims.kind
    assert subscriber.id is not None
    preferences = context.tokens.sign("preferences", subscriber.id, subscriber.token_version)
    return context.form_page(
        request,
        "unsubscribe.html",
        kind=kind_label(kind),
        address=masked(subscriber.email),
        preferences_path=f"/p/{preferences}",
    )


async def unsubscribe_post(request: Request) -> Response:
    context = web(request)
    form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
    one_click = [tuple(item) for item in form.multi_items()] == [ONE_CLICK]
    if not one_click and (problem := context.csrf.check(request, form)):
        return context.page("form_refused.html", 403, problem=problem)
    token = request.path_params["token"]
    with transaction(context.engine) as session:
        opened = open_link(session, context.tokens, token, "unsubscribe", max_age=None)
        if (
            opened.subscriber is None
            or opened.claims is None
            or opened.claims.kind not in UNSUBSCRIBABLE_KINDS
        ):
            return _not_valid(context)
        kind = opened.claims.kind
        unsubscribe(opened.subscriber, kind)
        session.add(opened.subscriber)
        address = masked(opened.subscriber.email)
    return context.page("unsubscribed.html", kind=kind_label(kind), address=address)


ROUTES: list[BaseRoute] = [
    Route("/u/{token}", unsubscribe_page, methods=["GET"]),
    Route("/u/{token}", unsubscribe_post, methods=["POST"]),
]
