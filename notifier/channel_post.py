"""POSTs one alert to a webhook, Slack or Teams URL: accepted only on 2xx, the answer kept otherwise."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from notifier.mailer import DeliveryError

CHANNELS = ("email", "webhook", "slack", "teams")
HTTP_CHANNELS = ("webhook", "slack", "teams")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANSWER_BYTES = 200  # of a refusal's body, kept in the alert's last_error
RETRY_STATUSES = frozenset({408, 429})  # and every 5xx
USER_AGENT = "adcvd-watch/0.1 (+AD/CVD monitor)"
SIGNATURE_HEADER = "X-Adcvd-Signature"
DELIVERY_HEADER = "X-Adcvd-Delivery"


MAX_RETRY_AFTER_SECONDS = 6 * 3600  # the longest backoff; a receiver cannot park an alert for longer


class ChannelRefused(DeliveryError):
    """A receiver's failure; `retry_after` (seconds) when it said how long to wait (429, 503)."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message, permanent=permanent)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from `now`, at most six hours."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(min(int(text), MAX_RETRY_AFTER_SECONDS))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, min((when - now).total_seconds(), MAX_RETRY_AFTER_SECONDS))


def channel_url_problem(url: str) -> str | None:
    """Why `url` cannot receive alerts, or None: https required (plain http only on 127.0.0.1/localhost)."""
    candidate = url.strip()
    if not candidate or any(ch.isspace() or ord(ch) < 32 for ch in candidate):
        return "the URL is empty or holds spaces or control characters"
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 (a bad port raises here)
    except ValueError as exc:
        return f"not a URL: {exc}"
    host = (parts.hostname or "").lower()
    if not host:
        return "the URL has no host"
    if parts.username or parts.password:
        return "the URL may not carry a user name or password"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and host in LOCAL_HOSTS:
        return None
    return (
        f"the URL must be https (plain http only on 127.0.0.1 or localhost), not {parts.scheme or 'none'}://"
    )


def where(url: str) -> str:
    """The URL as it may be logged: scheme and host only (Slack and Teams URLs hold their key)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}{f':{parts.port}' if parts.port else ''}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=TIMESTAMP,v1=HEX`: HMAC-SHA256 with the subscriber's secret over b"TIMESTAMP." + body."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass(frozen=True)
class ChannelRequest:
    """One alert rendered for one HTTP channel: where it goes and the JSON bytes it carries."""

    channel: str
    url: str
    body: bytes
    delivery_id: str  # the same on every retry of the alert: receivers dedupe on it
    secret: str | None = None  # webhook: signs the body
    extra_headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def headers(self, *, timestamp: int) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            DELIVERY_HEADER: self.delivery_id,
        }
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(self.secret, timestamp, self.body)
        headers.update(self.extra_headers)
        return headers


def _describe(body: bytes) -> str:
    text = body[:ANSWER_BYTES].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text + ("…" if len(body) > ANSWER_BYTES else "")


def _transport_problem(exc: Exception) -> str:
    text = ""
    cause: BaseException | None = exc
    for _ in range(10):  # httpx wraps the OSError that says what happened
        if cause is None:
            break
        text += f" {type(cause).__name__} {cause}".lower()
        cause = cause.__cause__ or cause.__context__
    if "connection refused" in text or "connectionrefusederror" in text:
        return "connection refused"
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return "no answer within the timeout"
    return f"connection failed ({type(exc).__name__})"


@dataclass
class ChannelPoster:
    """Posts over one httpx client: per-operation timeouts, a whole-request deadline, no redirects."""

    client: httpx.AsyncClient
    deadline_seconds: float
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # the signature's time: when it is sent
    failing: dict[str, timedelta] = field(default_factory=dict)  # URL: how long its alerts wait (this run)

    async def post(self, request: ChannelRequest) -> None:
        """Return when the receiver answered 2xx; raise ChannelRefused (a DeliveryError) otherwise.

        408, 429, 5xx, timeouts and refused connections are temporary (retried); any other answer is
        permanent, with its status and the first bytes of its body.
        """
        problem = channel_url_problem(request.url)
        if problem is not None:
            raise ChannelRefused(f"{request.channel} URL refused: {problem}", permanent=True)
        place = where(request.url)
        now = self.clock()
        try:
            async with asyncio.timeout(self.deadline_seconds):
                headers = request.headers(timestamp=int(now.timestamp()))
                async with self.client.stream(
                    "POST", request.url, content=request.body, headers=headers
                ) as response:
                    accepted = 200 <= response.status_code < 300
                    answer = b"" if accepted else await _first_bytes(response)  # a 2xx's body is not read
        except (httpx.HTTPError, OSError, TimeoutError) as exc:
            raise ChannelRefused(
                f"{request.channel} at {place}: {_transport_problem(exc)}", permanent=False
            ) from None
        status = response.status_code
        if 200 <= status < 300:
            return
        permanent = status < 500 and status not in RETRY_STATUSES
        said = f": {_describe(answer)}" if answer else ""
        wait = retry_after_seconds(response.headers.get("Retry-After"), now=now) if not permanent else None
        raise ChannelRefused(
            f"{request.channel} at {place} answered {status}{said}", permanent=permanent, retry_after=wait
        )


async def _first_bytes(response: httpx.Response) -> bytes:
    """The start of the answer, enough to say why it refused; the rest is not read."""
    found = b""
    async for chunk in response.aiter_bytes():
        found += chunk
        if len(found) > ANSWER_BYTES:
            break
    return found


class RedactPostUrls(logging.Filter):
    """httpx logs each request's whole URL; a POST's is a channel's, whose path is its key: host only."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if str(record.msg).startswith("HTTP Request") and isinstance(args, tuple) and args[:1] == ("POST",):
            record.args = (args[0], where(str(args[1])), *args[2:])
        return True


def _redact_httpx_logs() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactPostUrls) for f in logger.filters):
        logger.addFilter(RedactPostUrls())


@asynccontextmanager
async def channel_poster(
    *, timeout_seconds: float = 10.0, deadline_seconds: float = 30.0
) -> AsyncIterator[ChannelPoster]:
    """A poster for one delivery run; the client is closed when it ends."""
    _redact_httpx_logs()
    timeout = httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 10.0))
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        yield ChannelPoster(client=client, deadline_seconds=deadline_seconds)
