"""Signed, expiring, revocable link tokens (itsdangerous) for every page that is not /healthz or /metrics.

The token API, for every page module:

    tokens = LinkTokens(secret_key, clock=lambda: now)         # the clock is passed in (tests move it)
    token = tokens.sign("preferences", subscriber.id, subscriber.token_version)
    token = tokens.sign("unsubscribe", subscriber.id, subscriber.token_version, kind="order")
    token = tokens.sign("portfolio", importer.id, importer.token_version)
    claims = tokens.read(token, "preferences", max_age=timedelta(days=30))   # or max_age=None: no expiry
    claims.subject, claims.version, claims.kind                # then check the version against the row

- A token is `URLSafeTimedSerializer(secret, salt="adcvd-watch/<purpose>")` over
  `{"s": subject id, "p": purpose, "v": token version, "k": kind or absent}`; the purpose is both the
  salt and in the payload, so a token of one purpose never opens another page.
- `read` raises `TokenInvalid` (forged, tampered, another purpose or secret) or `TokenExpired`
  (a subclass: the signature is good but older than `max_age`, so the page can offer a new link).
- Revoking: the caller compares `claims.version` with the row's `token_version` (`is_current`); bumping
  the column (worker.storage.web_rows.bump_token_version) revokes every link of that subscriber or importer.
- Tokens are signed, not encrypted: the payload is readable, so it holds ids and versions only, never an
  address. Tokens never appear in logs (worker.web.guards.AccessLog redacts paths).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

Purpose = Literal["unsubscribe", "preferences", "calendar", "portfolio", "csrf"]
PURPOSES: tuple[Purpose, ...] = ("unsubscribe", "preferences", "calendar", "portfolio", "csrf")


def clocked_serializer(secret_key: str, salt: str, clock: Callable[[], datetime]) -> URLSafeTimedSerializer:
    """An itsdangerous serializer whose signatures are stamped with `clock` (tests move it)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return URLSafeTimedSerializer(secret_key, salt=salt, signer=ClockSigner)


class TokenInvalid(ValueError):
    """The token is not one of ours for this purpose: forged, truncated, or signed for another page."""


class TokenExpired(TokenInvalid):
    """Signed by us for this purpose, but older than the page accepts: a new link can be sent."""


@dataclass(frozen=True)
class TokenClaims:
    purpose: Purpose
    subject: int  # a subscriber id, or an importer id for "portfolio"
    version: int  # the row's token_version when signed
    kind: str | None = None  # the alert kind of an unsubscribe token
    signed_at: datetime | None = None

    def is_current(self, token_version: int) -> bool:
        """False once the row's token_version was bumped after signing (the link is revoked)."""
        return self.version == token_version


class LinkTokens:
    """Signs and reads link tokens with one secret; `clock` gives the time signatures are stamped with."""

    def __init__(self, secret_key: str, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        if not secret_key:
            raise ValueError("a secret key is needed to sign links (ADCVD_SECRET_KEY)")
        self._serializers = {
            purpose: clocked_serializer(secret_key, f"adcvd-watch/{purpose}", clock) for purpose in PURPOSES
        }

    def sign(self, purpose: Purpose, subject: int, version: int, *, kind: str | None = None) -> str:
        payload: dict[str, Any] = {"s": subject, "p": purpose, "v": version}
        if kind is not None:
            payload["k"] = kind
        return str(self._serializers[purpose].dumps(payload))

    def read(self, token: str, purpose: Purpose, *, max_age: timedelta | None) -> TokenClaims:
        """The claims of a good token; TokenExpired or TokenInvalid otherwise (never another error)."""
        serializer = self._serializers[purpose]
        age = int(max_age.total_seconds()) if max_age is not None else None
        try:
            payload, signed = serializer.loads(token, max_age=age, return_timestamp=True)
        except SignatureExpired:
            raise TokenExpired(f"this {purpose} link has expired") from None
        except (BadSignature, UnicodeError, ValueError, TypeError):
            raise TokenInvalid(f"not a valid {purpose} link") from None
        if not (
            isinstance(payload, dict)
            and payload.get("p") == purpose
            and type(payload.get("s")) is int
            and type(payload.get("v")) is int
            and isinstance(payload.get("k", ""), str)
        ):
            raise TokenInvalid(f"not a valid {purpose} link")
        return TokenClaims(
            purpose=purpose,
            subject=payload["s"],
            version=payload["v"],
            kind=payload.get("k"),
            signed_at=signed if isinstance(signed, datetime) else None,
        )
