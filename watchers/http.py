"""The watchers' only network code: polite, conditional GETs with retry and backoff, to allowed hosts only."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 600.0
MAX_BODY_BYTES = 64 * 1024 * 1024


class SourceError(Exception):
    """A source could not be read this time; the stored state stays as it was and the poll is retried."""


class HostNotAllowedError(SourceError):
    pass


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes | None  # None on 304 Not Modified

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - now).total_seconds(), MAX_RETRY_AFTER_SECONDS))


def backoff_seconds(attempt: int, *, base: float = 1.0, cap: float = 60.0) -> float:
    return float(min(cap, base * (2**attempt)))


def describe_body(body: bytes, limit: int = 120) -> str:
    text = body[:limit].decode("utf-8", "replace").replace("\n", " ").strip()
    return text + ("…" if len(body) > limit else "")


@dataclass
class RateLimiter:
    """At most `per_second` requests, spaced evenly; waits through the injected sleep."""

    per_second: float
    sleep: Sleep
    _next_at: float = 0.0

    async def wait(self) -> None:
        if self.per_second <= 0:
            return
        # Take the slot before sleeping, so concurrent callers queue up instead of sharing one slot.
        now = time.monotonic()
        slot = max(now, self._next_at)
        self._next_at = slot + 1.0 / self.per_second
        if slot > now:
            await self.sleep(slot - now)


_DNS_FAILURES = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo failed",
)


def transport_problem(exc: Exception, url: str) -> str:
    """What went wrong on the wire, in words an operator can act on (refused, DNS, reset)."""
    text, chained = "", 0
    cause: BaseException | None = exc
    while cause is not None and chained < 10:  # httpx wraps the OSError that says what happened
        text += f" {type(cause).__name__} {cause}".lower()
        cause, chained = cause.__cause__ or cause.__context__, chained + 1
    host = urlsplit(url).hostname or url
    if "connection refused" in text or "connectionrefusederror" in text:
        return f"connection refused by {host}"
    if any(marker in text for marker in _DNS_FAILURES):
        return f"DNS lookup failed for {host} (no network, or a wrong host name)"
    if "reset by peer" in text:
        return f"connection reset by {host}"
    if "network is unreachable" in text:
        return "network unreachable"
    return f"connection failed ({type(exc).__name__}{': ' + str(exc)[:120] if str(exc) else ''})"


@dataclass
class Fetcher:
    """GETs with timeouts, conditional headers, retry on 429/5xx honouring Retry-After."""

    client: httpx.AsyncClient
    allowed_hosts: frozenset[str]
    max_retries: int = 4
    sleep: Sleep = asyncio.sleep
    limiter: RateLimiter | None = None
    requests_made: int = field(default=0, init=False)
    recorder: Callable[[FetchResult], None] | None = None

    def check_host(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self.allowed_hosts:
            raise HostNotAllowedError(f"refusing to fetch from {host or url!r}: not a configured source host")

    async def get(
        self,
        url: str,
        *,
        params: httpx.QueryParams | None = None,
        validators: Validators | None = None,
        accept: str = "*/*",
    ) -> FetchResult:
        self.check_host(url)
        headers = {"Accept": accept, "User-Agent": "adcvd-watch/0.1 (+AD/CVD monitor)"}
        if validators:
            headers.update(validators.headers())
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if self.limiter:
                await self.limiter.wait()
            self.requests_made += 1
            try:
                response = await self.client.get(url, params=params, headers=headers)
                body = response.content
            except httpx.TimeoutException:
                last_problem = "timed out"
                delay: float | None = backoff_seconds(attempt)
            except httpx.TransportError as exc:
                last_problem = transport_problem(exc, url)
                delay = backoff_seconds(attempt)
            else:
                if len(body) > MAX_BODY_BYTES:
                    raise SourceError(f"{url}: response larger than {MAX_BODY_BYTES} bytes")
                result = FetchResult(
                    url=str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=None if response.status_code == 304 else body,
                )
                if self.recorder:
                    self.recorder(result)
                if response.status_code not in RETRYABLE_STATUS:
                    return result
                last_problem = f"HTTP {response.status_code}"
                delay = retry_after_seconds(response.headers.get("retry-after"), now=datetime.now(UTC))
                if delay is None:
                    delay = backoff_seconds(attempt)
            if attempt < self.max_retries and delay is not None:
                log.info("retrying %s after %s in %.1fs", url, last_problem, delay)
                await self.sleep(delay)
        raise SourceError(f"{url}: {last_problem} after {self.max_retries + 1} attempts")
