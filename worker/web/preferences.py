"""`/p/TOKEN`: a subscriber's preferences (alert kinds on/off, weekly digest or none, time zone).

No password: the signed link is the key. It expires after ADCVD_LINK_DAYS; an expired link, or the
address form on an invalid one, sends a fresh link by email through the outbox (never to an address
typed in that is not a subscriber's, and the answer does not tell whether it is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import available_timezones

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from worker.alerts.audience import SWITCHABLE_KINDS, stopped, switches, wants
from worker.alerts.link_mail import queue_preferences_link
from worker.alerts.reminders import reminder_kinds
from worker.entries.alerts import ALERT_KIND as ENTRY_KIND
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Subscriber
from worker.web.context import WebContext, web
from worker.web.subscriber_links import kind_label, masked, open_link

DIGESTS = ("weekly", "none")
# Sent to every role unless stopped: the baseline report after a portfolio import, entry assessments.
SENT_UNLESS_STOPPED = ("baseline", ENTRY_KIND)
PAGE_KINDS = (*SWITCHABLE_KINDS, *SENT_UNLESS_STOPPED)
FORM_LIMITS = {"max_files": 0, "max_fields": 100, "max_part_size": 4096}


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


@dataclass
class Choices:
    kinds: dict[str, bool]
    digest: str
    time_zone: str
    errors: list[str] = field(default_factory=list)


def page_kinds(subscriber: Subscriber) -> tuple[str, ...]:
    """The kinds the form lists: the switchable ones, and any other this subscriber has switched (an
    unsubscribe link of a kind added later can be undone here)."""
    return (*PAGE_KINDS, *sorted(set(switches(subscriber)) - set(PAGE_KINDS)))


def receives(subscriber: Subscriber, kind: str) -> bool:
    """What the page shows ticked: whether this kind reaches them now. Reminders count as on when any
    deadline is reminded (an importer's review-request window, by default)."""
    if kind == "reminder":
        return reminder_kinds(subscriber) != frozenset()
    return wants(subscriber, kind) if kind in SWITCHABLE_KINDS else not stopped(subscriber, kind)


def current_choices(subscriber: Subscriber) -> Choices:
    return Choices(
        kinds={kind: receives(subscriber, kind) for kind in page_kinds(subscriber)},
        digest=subscriber.digest,
        time_zone=subscriber.time_zone,
    )


def read_choices(form: FormData, subscriber: Subscriber) -> Choices:
    """What the form asks for, and every problem with it (nothing is saved while there is one)."""
    chosen = [str(v) for v in form.getlist("kind")]
    digest = str(form.get("digest", ""))
    time_zone = str(form.get("time_zone", "")).strip()
    listed = page_kinds(subscriber)
    choices = Choices({k: k in chosen for k in listed}, digest, time_zone)
    unknown = sorted(set(chosen) - set(listed))
    if unknown:
        choices.errors.append(f"unknown alert kind: {', '.join(unknown)[:100]}")
    if digest not in DIGESTS:
        choices.errors.append("the weekly digest is either weekly or none")
    if time_zone not in time_zones():
        choices.errors.append(f"not a known IANA time zone: {time_zone[:60]!r} (e.g. America/New_York)")
    return choices


def apply_choices(subscriber: Subscriber, choices: Choices) -> None:
    """Save only the boxes the person changed; one set back to what their role gets drops their switch
    (so an untouched form keeps role defaults, an importer's review-request reminders among them)."""
    kinds = dict(switches(subscriber))
    by_role = Subscriber(
        email="", role=subscriber.role, digest=subscriber.digest, time_zone=subscriber.time_zone
    )
    for kind, on in choices.kinds.items():
        if on == receives(subscriber, kind):
            continue
        if on == receives(by_role, kind):
            kinds.pop(kind, None)
        else:
            kinds[kind] = on
    subscriber.preferences = {**(subscriber.preferences or {}), "kinds": kinds}
    subscriber.digest = choices.digest
    subscriber.time_zone = choices.time_zone


def _form(
    request: Request, context: WebContext, subscriber: Subscriber, choices: Choices, **extra: object
) -> Response:
    return context.form_page(
        request,
        "preferences.html",
        400 if choices.errors else 200,
        address=masked(subscriber.email),
        kinds=[(kind, kind_label(kind), on) for kind, on in choices.kinds.items()],
        digest=choices.digest,
        time_zone=choices.time_zone,
        time_zones=time_zones(),
        errors=choices.errors,
        link_days=context.settings.link_days,
        **extra,
    )


# Forms post to paths relative to the page (`/p/TOKEN` → `TOKEN/renew`, `new`), so the pages work
# behind a proxy that serves them under a path (ADCVD_PUBLIC_URL=https://example.com/adcvd).
def _expired(request: Request, context: WebContext, token: str) -> Response:
    return context.form_page(request, "link_expired.html", 410, renew_path=f"{token}/renew")


def _invalid(request: Request, context: WebContext, *, new_link_path: str = "new") -> Response:
    return context.form_page(
        request, "link_invalid.html", 404, what="preferences", new_link_path=new_link_path
    )


def preferences_page(request: Request) -> Response:
    context = web(request)
    token = request.path_params["token"]
    with transaction(context.engine) as session:
        opened = open_link(session, context.tokens, token, "preferences", max_age=context.link_age)
    if opened.subscriber is None:
        return _invalid(request, context)
    if opened.expired:
        return _expired(request, context, token)
    return _form(request, context, opened.subscriber, current_choices(opened.subscriber))


async def preferences_post(request: Request) -> Response:
    context = web(request)
    form = await request.form(**FORM_LIMITS)
    if problem := context.csrf.check(request, form):
        return context.page("form_refused.html", 403, problem=problem)
    token = request.path_params["token"]
    with transaction(context.engine) as session:
        opened = open_link(session, context.tokens, token, "preferences", max_age=context.link_age)
        if opened.subscriber is None:
            return _invalid(request, context)
        if opened.expired:
            return _expired(request, context, token)
        choices = read_choices(form, opened.subscriber)
        if not choices.errors:
            apply_choices(opened.subscriber, choices)
            session.add(opened.subscriber)
        subscriber = opened.subscriber
    return _form(request, context, subscriber, choices, saved=not choices.errors)


async def renew_post(request: Request) -> Response:
    """An expired (but genuine and current) link asks for a new one: mailed to the subscriber's address."""
    context = web(request)
    form = await request.form(**FORM_LIMITS)
    if problem := context.csrf.check(request, form):
        return context.page("form_refused.html", 403, problem=problem)
    with transaction(context.engine) as session:
        opened = open_link(session, context.tokens, request.path_params["token"], "preferences", max_age=None)
        if opened.subscriber is None:
            return _invalid(request, context, new_link_path="../new")  # from /p/TOKEN/renew
        if not context.settings.public_url:
            return context.page(
                "form_refused.html", 503, problem="links cannot be sent: no public URL is set"
            )
        queue_preferences_link(
            session, opened.subscriber, now=context.clock(), link_days=context.settings.link_days
        )
        address = masked(opened.subscriber.email)
    return context.page("link_sent.html", address=address)


async def new_link_post(request: Request) -> Response:
    """'Send me a new link' by address: every subscription of that address gets one; the answer is the
    same whether or not the address is known (the page tells nobody who subscribes)."""
    context = web(request)
    form = await request.form(**FORM_LIMITS)
    if problem := context.csrf.check(request, form):
        return context.page("form_refused.html", 403, problem=problem)
    if not context.settings.public_url:
        return context.page("form_refused.html", 503, problem="links cannot be sent: no public URL is set")
    address = str(form.get("email", "")).strip()[:320]
    if address:
        with transaction(context.engine) as session:
            for subscriber in people.find_subscribers(session, address):
                if subscriber.role != "operator":
                    queue_preferences_link(
                        session, subscriber, now=context.clock(), link_days=context.settings.link_days
                    )
    return context.page("link_sent.html", address=None)


ROUTES: list[BaseRoute] = [
    Route("/p/new", new_link_post, methods=["POST"]),
    Route("/p/{token}", preferences_page, methods=["GET"]),
    Route("/p/{token}", preferences_post, methods=["POST"]),
    Route("/p/{token}/renew", renew_post, methods=["POST"]),
]
