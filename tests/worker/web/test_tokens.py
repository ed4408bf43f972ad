"""Signed link tokens: bound to purpose, subject, version and secret; expiring by the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from worker.web.tokens import LinkTokens, TokenExpired, TokenInvalid

SECRET = "a-secret-key-of-more-than-32-characters!"
SIGNED_AT = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)


def tokens_at(moment: datetime, secret: str = SECRET) -> LinkTokens:
    return LinkTokens(secret, clock=lambda: moment)


def test_a_token_reads_back_as_what_was_signed() -> None:
    token = tokens_at(SIGNED_AT).sign("unsubscribe", 42, 3, kind="order")
    claims = tokens_at(SIGNED_AT + timedelta(days=400)).read(token, "unsubscribe", max_age=None)
    assert (claims.purpose, claims.subject, claims.version, claims.kind) == ("unsubscribe", 42, 3, "order")
    assert claims.signed_at == SIGNED_AT
    assert claims.is_current(3) and not claims.is_current(4)


def test_a_token_opens_only_the_page_it_was_signed_for() -> None:
    tokens = tokens_at(SIGNED_AT)
    token = tokens.sign("preferences", 42, 0)
    for other in ("unsubscribe", "calendar", "portfolio", "csrf"):
        with pytest.raises(TokenInvalid, match=f"not a valid {other} link"):
            tokens.read(token, other, max_age=None)  # type: ignore[arg-type]


def test_a_changed_character_or_another_secret_is_refused() -> None:
    token = tokens_at(SIGNED_AT).sign("preferences", 42, 0)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(TokenInvalid):
        tokens_at(SIGNED_AT).read(flipped, "preferences", max_age=None)
    with pytest.raises(TokenInvalid):
        tokens_at(SIGNED_AT, "another-secret-key-of-more-than-32-chars").read(
            token, "preferences", max_age=None
        )
    for junk in ("", ".", "x" * 500, "eyJzIjo0Mn0.AAAA.BBBB"):
        with pytest.raises(TokenInvalid):
            tokens_at(SIGNED_AT).read(junk, "preferences", max_age=None)


def test_a_token_expires_after_max_age_by_the_clock() -> None:
    token = tokens_at(SIGNED_AT).sign("preferences", 42, 0)
    month = timedelta(days=30)
    assert tokens_at(SIGNED_AT + month).read(token, "preferences", max_age=month).subject == 42
    with pytest.raises(TokenExpired, match="expired"):
        tokens_at(SIGNED_AT + month + timedelta(seconds=1)).read(token, "preferences", max_age=month)


def test_the_payload_holds_ids_not_addresses() -> None:
    import base64
    import json

    token = tokens_at(SIGNED_AT).sign("unsubscribe", 7, 1, kind="order")
    body = token.split(".")[0]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert payload == {"s": 7, "p": "unsubscribe", "v": 1, "k": "order"}


def test_no_secret_no_tokens() -> None:
    with pytest.raises(ValueError, match="ADCVD_SECRET_KEY"):
        LinkTokens("")
