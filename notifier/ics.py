"""iCalendar (.ics) files for deadlines: one all-day event per deadline, stable UIDs, RFC 5545."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event

PRODID = "-//adcvd-watch//deadlines//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One deadline as a calendar shows it; `uid` stays the same so a re-import updates, not duplicates."""

    uid: str
    day: date
    summary: str
    description: str
    url: str = ""
    alarm_days: tuple[int, ...] = ()

    @classmethod
    def from_view(cls, view: Mapping[str, Any]) -> CalendarEntry:
        return cls(
            uid=str(view["uid"]),
            day=date.fromisoformat(str(view["day"])),
            summary=str(view["summary"]),
            description=str(view.get("description", "")),
            url=str(view.get("url", "")),
            alarm_days=tuple(int(d) for d in view.get("alarm_days", ())),
        )


def build_calendar(
    entries: Sequence[CalendarEntry], *, stamp: datetime, name: str = "AD/CVD deadlines"
) -> bytes:
    """A VCALENDAR with one all-day VEVENT per entry (DTEND is the next day, as RFC 5545 wants)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        if entry.url:
            event.add("url", entry.url)
        for days in entry.alarm_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", entry.summary)
            alarm.add("trigger", timedelta(days=-days, hours=9))  # 9:00 local, `days` before the day
            event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
