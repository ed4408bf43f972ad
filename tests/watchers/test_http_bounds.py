"""Bounded fetching: bodies stop at the limit (as sent and unpacked), a whole request has a deadline,
and only the configured origins (scheme, host and port) are fetched."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from bench._hostile_site import Bomb, Endless, HostileSite, Trickle, gzip_bomb
from watchers.http import BodyTooLargeError, Fetcher, HostNotAllowedError, SourceError, origin_of

LIMIT = 1024 * 1024


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10.0) as c:
        yield c


def fetcher_for(client: httpx.AsyncClient, site: HostileSite, **kwargs: float) -> Fetcher:
    return Fetcher(
        client=client,
        allowed_hosts=frozenset({site.base_url}),
        max_retries=0,
        max_body_bytes=LIMIT,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_an_endless_body_is_abandoned_at_the_limit_without_being_loaded(
    client: httpx.AsyncClient,
) -> None:
    size = 256 * 1024 * 1024
    with HostileSite({"/big": Endless(size)}) as site:
        fetcher = fetcher_for(client, site)
        tracemalloc.start()
        try:
            with pytest.raises(BodyTooLargeError, match="limit"):
                await fetcher.get(site.base_url + "/big")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * LIMIT
    assert site.sent["/big"] < size // 4  # the client stopped reading; the server did not send it all


async def test_a_gzip_bomb_is_stopped_once_unpacked_past_the_limit(client: httpx.AsyncClient) -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < LIMIT  # small on the wire: only the unpacked size can catch it
    with HostileSite({"/bomb": Bomb(bomb)}) as site:
        fetcher = fetcher_for(client, site)
        tracemalloc.start()
        try:
            with pytest.raises(BodyTooLargeError, match="unpacked"):
                await fetcher.get(site.base_url + "/bomb")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * LIMIT


async def test_a_gzip_body_under_the_limit_is_read_unpacked(client: httpx.AsyncClient) -> None:
    text = b'{"count": 1, "results": [{"document_number": "2024-02902"}]}' * 100
    with HostileSite({"/ok": Bomb(gzip.compress(text))}) as site:
        result = await fetcher_for(client, site).get(site.base_url + "/ok")
    assert result.body == text


async def test_a_source_trickling_one_byte_at_a_time_hits_the_request_deadline(
    client: httpx.AsyncClient,
) -> None:
    # Each byte arrives well inside the read timeout, so only a deadline on the whole request ends it.
    with HostileSite({"/slow": Trickle(interval=0.05)}) as site:
        fetcher = fetcher_for(client, site, deadline_seconds=0.5)
        started = time.monotonic()
        with pytest.raises(SourceError, match="timed out after 1 attempts"):
            await fetcher.get(site.base_url + "/slow")
        assert time.monotonic() - started < 5
        assert 0 < site.sent["/slow"] < 100


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/api/v1/documents.json",  # another port of the configured host
        "https://127.0.0.1:8443/x.xml",  # another scheme and port
        "https://www.federalregister.gov:8443/api/v1/documents.json",
        "http://www.federalregister.gov/api/v1/documents.json",  # plain http of an https source
    ],
)
async def test_another_port_or_scheme_of_a_configured_host_is_refused(
    client: httpx.AsyncClient, url: str
) -> None:
    fetcher = Fetcher(
        client=client,
        allowed_hosts=frozenset({"http://127.0.0.1:8080", "https://www.federalregister.gov/api/v1"}),
    )
    with pytest.raises(HostNotAllowedError, match="not a configured source host"):
        await fetcher.get(url)


def test_origins_fill_in_default_ports_and_ignore_case_and_paths() -> None:
    assert origin_of("https://www.FederalRegister.gov/api/v1") == "https://www.federalregister.gov:443"
    assert origin_of("https://www.federalregister.gov:443/x") == "https://www.federalregister.gov:443"
    assert origin_of("http://127.0.0.1:8080/a?b=c") == "http://127.0.0.1:8080"
    assert origin_of("www.trade.gov") == "https://www.trade.gov:443"
    assert origin_of("http://example.com") != origin_of("https://example.com")
