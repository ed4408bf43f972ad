"""Calendar entries for deadlines: one per importer and case, the stated filing time, business-day alarms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from notifier.links import safe_link
from notifier.views import CalendarEntryView
from watchers.business_days import add_business_days

# Commerce (ACCESS) and the ITC state filing times in Washington's time ("5:00 p.m. Eastern Time",
# "5 p.m. EDT", "prevailing local time"): a stated time is Eastern whatever the reader's zone.
EASTERN = ZoneInfo("America/New_York")
ALARM_AT = time(9, 0)  # alarms ring at 9:00 in the reader's time zone on each rung's business day

_STATED_TIME = re.compile(
    r"\b(?:by|before|no later than|not later than|until|prior to)\s+"
    r"(?:(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s?m\b\.?|(?P<noon>noon)\b)",
    re.IGNORECASE,
)


def stated_time(sentence: str) -> time | None:
    """The time of day a deadline sentence gives ("by 5:00 p.m. Eastern Time", "by noon"), if any."""
    match = _STATED_TIME.search(sentence)
    if match is None:
        return None
    if match.group("noon"):
        return time(12, 0)
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    if match.group("half").lower() == "p":
        hour = 12 if hour == 12 else hour + 12
    elif hour == 12:
        hour = 0
    return time(hour, minute)


def due_at(due: date, sentence: str) -> datetime | None:
    """The deadline's moment in Eastern time when the sentence states one; None: all day."""
    moment = stated_time(sentence)
    return datetime.combine(due, moment, EASTERN) if moment is not None else None


def alarm_times(due: date, ladder: Sequence[int], *, now: datetime, time_zone: str) -> list[datetime]:
    """One alarm per rung: `n` US federal business days before `due`, 9:00 local; future ones, in UTC."""
    zone = ZoneInfo(time_zone)
    moments = []
    for rung in sorted(set(ladder), reverse=True):
        moment = datetime.combine(add_business_days(due, -rung), ALARM_AT, zone)
        if moment > now:
            moments.append(moment.astimezone(UTC))
    return moments


def alarm_offsets(
    day: date, moment: datetime | None, alarms: Sequence[datetime], *, time_zone: str
) -> list[int]:
    """Each alarm as minutes relative to the event's start (negative: before), as calendars read it.

    Relative triggers are what every calendar program honours (khal, Outlook ignore absolute
    ones). A timed event's start is Eastern, so the offset is the wall-clock difference there;
    an all-day event starts at midnight wherever the reader is, so it is the reader's wall clock.
    """
    if moment is not None:
        start, zone = moment.replace(tzinfo=None), EASTERN
    else:
        start, zone = datetime.combine(day, time()), ZoneInfo(time_zone)
    return [int((a.astimezone(zone).replace(tzinfo=None) - start).total_seconds() // 60) for a in alarms]


def importer_slug(importer: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", importer.lower()).strip("-") or "importer"


def calendar_entry(
    *,
    key: str,
    label: str,
    importer: str,
    case_number: str,
    due: date | str,
    product: str,
    sentence: str,
    citation: str,
    url: str,
    now: datetime,
    ladder: Sequence[int] = (),
    time_zone: str = "America/New_York",
    sequence: int = 0,
    last_modified: datetime | None = None,
) -> CalendarEntryView:
    """One deadline as notifier.ics.CalendarEntry.from_view reads it.

    The UID names the importer and the deadline (`key`): it stays the same from one file to the
    next, so a re-import updates the event, and two importers sharing a case get one event each.
    `sequence` and `last_modified` say how often and when the deadline was last stated.
    """
    day = due if isinstance(due, date) else date.fromisoformat(due)
    url = safe_link(url)
    moment = due_at(day, sentence)
    lines = [f"{label} - {case_number} {product}" + (f" (for {importer})" if importer else "") + "."]
    if moment is not None:
        lines.append(f"Due by {moment:%-I:%M %p} Eastern on {moment:%A, %B} {moment.day}, {moment:%Y}.")
    lines.append(f'"{sentence}"')
    if citation:
        lines.append(citation)
    if url:
        lines.append(f"Notice: {url}")
    entry: CalendarEntryView = {
        "uid": f"{importer_slug(importer)}:{key}@adcvd-watch" if importer else f"{key}@adcvd-watch",
        "day": day.isoformat(),
        "due_at": moment.isoformat() if moment is not None else None,
        "time_zone": str(EASTERN),
        "summary": f"AD/CVD {case_number}: {label}" + (f" ({importer})" if importer else ""),
        "description": "\n".join(lines),
        "url": url,
        "alarm_minutes": alarm_offsets(
            day, moment, alarm_times(day, ladder, now=now, time_zone=time_zone), time_zone=time_zone
        ),
    }
    if sequence:
        entry["sequence"] = sequence
    if last_modified is not None:
        entry["last_modified"] = last_modified.isoformat()
    return entry
