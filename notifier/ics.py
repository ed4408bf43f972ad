"""iCalendar (.ics) files for deadlines: all-day or timed events, stable UIDs, absolute alarms (RFC 5545)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from notifier.links import safe_link

PRODID = "-//adcvd-watch//deadlines//EN"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # DTSTAMP of a feed entry that says nothing of its age


@dataclass(frozen=True)
class CalendarEntry:
    """One deadline as a calendar shows it; `uid` stays the same so a re-import updates, not duplicates.

    `due_at` (time-zone aware) makes the event a moment (a filing cut-off such as 5:00 p.m.
    Eastern); without it the event is the whole `day`. `alarms` are offsets from the event's start
    (negative: before), computed by the caller from business days and the clock.
    """

    uid: str
    day: date
    summary: str
    description: str
    url: str = ""
    due_at: datetime | None = None
    alarms: tuple[timedelta, ...] = ()
    sequence: int = 0  # raised each time the deadline is stated anew (RFC 5545 3.8.7.4)
    last_modified: datetime | None = None  # when it was last stated; a feed's DTSTAMP too

    @classmethod
    def from_view(cls, view: Mapping[str, Any]) -> CalendarEntry:
        moment, modified = view.get("due_at"), view.get("last_modified")
        due_at = None
        if moment:
            # An ISO string keeps only the offset: the zone's name makes a TZID calendars understand.
            zone = ZoneInfo(str(view.get("time_zone", "UTC")))
            due_at = datetime.fromisoformat(str(moment)).astimezone(zone)
        return cls(
            uid=str(view["uid"]),
            day=date.fromisoformat(str(view["day"])),
            summary=str(view["summary"]),
            description=str(view.get("description", "")),
            url=safe_link(str(view.get("url", ""))),
            due_at=due_at,
            alarms=tuple(timedelta(minutes=int(m)) for m in view.get("alarm_minutes", ())),
            sequence=int(view.get("sequence", 0)),
            last_modified=datetime.fromisoformat(str(modified)) if modified else None,
        )


def _event(entry: CalendarEntry, stamp: datetime | None) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    revised = entry.last_modified.astimezone(UTC) if entry.last_modified is not None else None
    event.add("dtstamp", stamp.astimezone(UTC) if stamp is not None else revised or _EPOCH)
    if revised is not None:
        event.add("last-modified", revised)
    if entry.sequence:
        event.add("sequence", entry.sequence)
    if entry.due_at is not None:
        event.add("dtstart", entry.due_at)
        event.add("duration", timedelta(0))  # the moment of the cut-off, not an hour after it
    else:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))  # all-day: DTEND is the next day
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("transp", "TRANSPARENT")
    if entry.url:
        event.add("url", entry.url)
    for offset in entry.alarms:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", offset)  # relative to DTSTART (RFC 5545 3.8.6.3)
        event.add_component(alarm)
    return event


def build_calendar(
    entries: Sequence[CalendarEntry], *, stamp: datetime | None, name: str = "AD/CVD deadlines"
) -> bytes:
    """A VCALENDAR with one VEVENT per entry, and a VTIMEZONE for each zone a timed event uses.

    With a `stamp` (an attachment: the moment the message was made) the calendar is a PUBLISH
    message and every DTSTAMP is that moment. Without one (a subscribed feed, rebuilt at each
    fetch) there is no METHOD, and each DTSTAMP is the entry's LAST-MODIFIED, as RFC 5545 3.8.7.2
    asks of a calendar that is not a scheduling message: the same facts give the same bytes.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if stamp is not None:
        calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
