"""Opening a subscriber's signed link: the token read, its version checked against the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from worker.storage import web_rows
from worker.storage.models import Subscriber
from worker.web.tokens import LinkTokens, Purpose, TokenClaims, TokenExpired, TokenInvalid

MAX_TOKEN_LENGTH = 400  # ours are about 100 characters; anything much longer is not worth checking
KIND_LABELS = {"reminder": "deadline reminder", "digest": "weekly digest", "baseline": "baseline report"}


def kind_label(kind: str) -> str:
    """`new_investigation` → `new investigation`; a few kinds have their own names."""
    return KIND_LABELS.get(kind, kind.replace("_", " "))


@dataclass(frozen=True)
class Opened:
    claims: TokenClaims | None  # None when the link is not valid (or no longer)
    subscriber: Subscriber | None
    expired: bool = False  # signed by us and current, but too old: a new link can be sent


def open_link(
    session: Session, tokens: LinkTokens, token: str, purpose: Purpose, *, max_age: timedelta | None
) -> Opened:
    """The subscriber a link is for, or why not: invalid, revoked (version bumped), deleted, expired."""
    if len(token) > MAX_TOKEN_LENGTH:
        return Opened(None, None)
    expired = False
    try:
        claims = tokens.read(token, purpose, max_age=max_age)
    except TokenExpired:
        claims, expired = tokens.read(token, purpose, max_age=None), True
    except TokenInvalid:
        return Opened(None, None)
    subscriber = web_rows.load_subscriber_by_id(session, claims.subject)
    if subscriber is None or not claims.is_current(subscriber.token_version):
        return Opened(None, None)
    return Opened(claims, subscriber, expired=expired)


def masked(address: str) -> str:
    """`buyer@acme.example.com` → `b••••@acme.example.com`: enough to recognise, not to harvest."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}••••@{domain}" if domain else "••••"
