"""When to poll the Federal Register next: fast around its posting times on business days, slow otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from watchers.business_days import is_business_day

EASTERN = ZoneInfo("America/New_York")  # every FR posting time is Eastern


@dataclass(frozen=True)
class Window:
    """A stretch of an Eastern business day in which something is posted; polled at the fast cadence."""

    name: str
    start: time
    end: time


# archives.gov/federal-register/public-inspection/about.html: "We post a new list every morning, as soon
# after 8:45 a.m. Eastern Time as possible" (regular filings, filed at 8:45 a.m. the business day before
# publication) and "may post updated lists during the day" (special filings; federalregister.gov usually shows
# an update at about 4:15 p.m.). The daily issue is online by about 6:00 a.m. Windows open 15 minutes early
# and stay open well past the set time because postings run late, rarely early.
PUBLICATION = Window("publication", time(5, 45), time(6, 45))
MORNING_LIST = Window("public inspection 8:45 list", time(8, 30), time(9, 30))
AFTERNOON_UPDATE = Window("public inspection 4:15 update", time(16, 0), time(16, 45))
FR_WINDOWS = (PUBLICATION, MORNING_LIST, AFTERNOON_UPDATE)
# Updated lists can come at any time of the working day; between the windows a medium cadence catches them.
WORKING_DAY = Window("working day", time(7, 0), time(18, 0))

FAST_SECONDS = 30.0
DAY_SECONDS = 300.0
SLOW_SECONDS = 1800.0
LOOKAHEAD_DAYS = 15  # longer than any run of US federal non-business days


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)


def _in_window(local: datetime, window: Window) -> bool:
    return window.start <= local.time() < window.end


def seconds_to_next_window(
    now: datetime, *, windows: tuple[Window, ...] = FR_WINDOWS, zone: ZoneInfo = EASTERN
) -> float | None:
    """Seconds from `now` to the start of the next window on a business day (0 inside one)."""
    local = now.astimezone(zone)
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + timedelta(days=offset)
        if not is_business_day(day):
            continue
        for window in sorted(windows, key=lambda w: w.start):
            if offset == 0 and _in_window(local, window):
                return 0.0
            start = _at(day, window.start, zone)
            if start > local:
                return (start - local).total_seconds()
    return None


def next_poll_delay(
    now: datetime,
    *,
    base_seconds: float = FAST_SECONDS,
    day_seconds: float = DAY_SECONDS,
    slow_seconds: float = SLOW_SECONDS,
    windows: tuple[Window, ...] = FR_WINDOWS,
    zone: ZoneInfo = EASTERN,
) -> float:
    """Seconds until the next poll: `base_seconds` inside a window of a business day, `day_seconds` in the
    rest of the working day, `slow_seconds` at night, weekends and federal holidays; never past the start of
    the next window, so the first poll of a window is at its opening."""
    if now.tzinfo is None:
        raise ValueError("next_poll_delay needs an aware datetime")
    local = now.astimezone(zone)
    business = is_business_day(local.date())
    if business and any(_in_window(local, w) for w in windows):
        return base_seconds
    interval = day_seconds if business and _in_window(local, WORKING_DAY) else slow_seconds
    until_window = seconds_to_next_window(now, windows=windows, zone=zone)
    if until_window is not None:
        interval = min(interval, until_window)
    return max(interval, 1.0)


def requests_per_day(
    day: date,
    *,
    base_seconds: float = FAST_SECONDS,
    day_seconds: float = DAY_SECONDS,
    slow_seconds: float = SLOW_SECONDS,
    windows: tuple[Window, ...] = FR_WINDOWS,
    zone: ZoneInfo = EASTERN,
) -> int:
    """How many polls the cadence makes over one Eastern calendar day (each idle poll is one request)."""
    at = _at(day, time(0), zone).astimezone(UTC)
    end = _at(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    count = 0
    while at < end:
        count += 1
        at += timedelta(
            seconds=next_poll_delay(
                at,
                base_seconds=base_seconds,
                day_seconds=day_seconds,
                slow_seconds=slow_seconds,
                windows=windows,
                zone=zone,
            )
        )
    return count
