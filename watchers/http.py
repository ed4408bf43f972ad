"""The watchers' only network code: polite, conditional GETs with retry and backoff, to allowed hosts only."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 600.0
MAX_BODY_BYTES = 32 * 1024 * 1024  # after decompression; an FR notice's full text is a few MB at most
REQUEST_DEADLINE_SECONDS = 120.0  # a whole request, first byte to last: a trickling source times out
DEFAULT_PORTS = {"http": 80, "https": 443}


class SourceError(Exception):
    """A source could not be read this time; the stored state stays as it was and the poll is retried."""


class HostNotAllowedError(SourceError):
    pass


class BodyTooLargeError(SourceError):
    """A body (as sent or once decompressed) passed the limit; reading stopped there."""


def origin_of(url: str) -> str:
    """scheme://host:port with the default port filled in, so another port or scheme is another origin.

    A bare host name (no scheme) stands for https on port 443.
    """
    parts = urlsplit(url if "://" in url else f"https://{url}")
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


ACCEPT_ENCODING = "gzip, deflate"  # the encodings read_bounded can unpack within its limit


def _decompressor(encoding: str, url: str) -> Any:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise SourceError(f"{url}: unsupported Content-Encoding {encoding!r}")


async def read_bounded(response: httpx.Response, url: str, limit: int) -> bytes:
    """The body, unpacked as it streams in and abandoned as soon as it passes `limit` bytes.

    Both the bytes on the wire and the unpacked bytes are counted, and a compressed chunk is never
    unpacked past the limit, so a gzip bomb costs at most `limit` bytes of memory.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"{url}: response of {int(declared)} bytes is over the {limit}-byte limit")
    if response.is_stream_consumed:  # an in-memory response (httpx reads bytes content at once), decoded
        if len(response.content) > limit:
            raise BodyTooLargeError(f"{url}: response passed the {limit}-byte limit")
        return response.content
    decompressor = _decompressor(response.headers.get("content-encoding", "").strip().lower(), url)
    chunks: list[bytes] = []
    total = 0
    for_wire = 0
    async for raw in response.aiter_raw():
        for_wire += len(raw)
        if for_wire > limit:
            raise BodyTooLargeError(f"{url}: response passed the {limit}-byte limit; stopped reading")
        try:
            chunk = raw if decompressor is None else decompressor.decompress(raw, limit - total + 1)
        except zlib.error as exc:
            raise SourceError(f"{url}: body could not be unpacked ({exc})") from None
        total += len(chunk)
        if total > limit:
            raise BodyTooLargeError(f"{url}: response passed the {limit}-byte limit once unpacked; stopped")
        chunks.append(chunk)
    if decompressor is not None:
        tail = decompressor.flush(limit - total + 1)
        if total + len(tail) > limit:
            raise BodyTooLargeError(f"{url}: response passed the {limit}-byte limit once unpacked; stopped")
        chunks.append(tail)
    return b"".join(chunks)


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
    """GETs with timeouts, conditional headers, retry on 429/5xx honouring Retry-After.

    `allowed_hosts` holds origins (https://host:port) or bare host names (meaning https on 443);
    a URL on another scheme or port of an allowed host is refused like any other host.
    """

    client: httpx.AsyncClient
    allowed_hosts: frozenset[str]
    max_retries: int = 4
    sleep: Sleep = asyncio.sleep
    limiter: RateLimiter | None = None
    requests_made: int = field(default=0, init=False)
    recorder: Callable[[FetchResult], None] | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    deadline_seconds: float = REQUEST_DEADLINE_SECONDS

    def check_host(self, url: str) -> None:
        origin = origin_of(url)
        if origin not in {origin_of(allowed) for allowed in self.allowed_hosts}:
            raise HostNotAllowedError(f"refusing to fetch from {origin!r}: not a configured source host")

    async def _get_once(
        self, url: str, params: httpx.QueryParams | None, headers: dict[str, str]
    ) -> tuple[httpx.Response, bytes]:
        async with asyncio.timeout(self.deadline_seconds):
            async with self.client.stream("GET", url, params=params, headers=headers) as response:
                return response, await read_bounded(response, url, self.max_body_bytes)

    async def get(
        self,
        url: str,
        *,
        params: httpx.QueryParams | None = None,
        validators: Validators | None = None,
        accept: str = "*/*",
    ) -> FetchResult:
        self.check_host(url)
        headers = {
            "Accept": accept,
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": "adcvd-watch/0.1 (+AD/CVD monitor)",
        }
        if validators:
            headers.update(validators.headers())
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if self.limiter:
                await self.limiter.wait()
            self.requests_made += 1
            try:
                response, body = await self._get_once(url, params, headers)
            except (httpx.TimeoutException, TimeoutError):
                last_problem = "timed out"
                delay: float | None = backoff_seconds(attempt)
            except httpx.TransportError as exc:
                last_problem = transport_problem(exc, url)
                delay = backoff_seconds(attempt)
            else:
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
