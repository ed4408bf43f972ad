"""The politeness limiter spaces requests evenly, also when several wait at once."""

from __future__ import annotations

import asyncio

from watchers.http import RateLimiter


async def test_concurrent_waiters_get_distinct_slots() -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(per_second=1.0, sleep=record)
    await asyncio.gather(*(limiter.wait() for _ in range(4)))
    # The first goes at once; the others are queued one second apart (allowing for clock movement).
    assert len(slept) == 3
    assert [round(s) for s in sorted(slept)] == [1, 2, 3]


async def test_zero_rate_means_no_limit() -> None:
    async def never(seconds: float) -> None:
        raise AssertionError("no wait expected")

    limiter = RateLimiter(per_second=0, sleep=never)
    await asyncio.gather(*(limiter.wait() for _ in range(3)))
