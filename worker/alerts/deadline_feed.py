"""A subscriber's calendar feed: every deadline of their importer's products and entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from notifier.ics import CalendarEntry, build_calendar
from notifier.views import CalendarEntryView
from worker.alerts.audience import local_today
from worker.alerts.importer_deadlines import (
    case_deadlines_by_importer,
    item_calendar_entry,
    open_reaches,
)
from worker.storage.models import Importer, Subscriber

# A subscribed calendar drops what the feed no longer lists: deadlines just passed stay a while,
# so they do not vanish from the calendar the day after they fall due.
PAST_DAYS = 60
AHEAD_DAYS = 2 * 366  # sunset and review schedules run this far; the review-request rule, a year


def feed_importers(session: Session, subscriber: Subscriber) -> list[Importer]:
    """Whose deadlines the subscriber's feed lists: their own importer's, whatever their role (an ops
    subscriber belongs to one importer too; another importer's products and entries are confidential)."""
    importer = session.get(Importer, subscriber.importer_id) if subscriber.importer_id is not None else None
    return [importer] if importer is not None else []


def feed_entries(
    session: Session, subscriber: Subscriber, *, now: datetime, ladder: Sequence[int]
) -> list[CalendarEntryView]:
    """One event per importer, case and deadline, built from the database as it is `now`.

    One event per case (an AD and a CVD case sharing a date are two filings, and a UID naming
    both would change when the second case's notice arrives); the UID is the one the email
    attachments give the same deadline, so an event added from an email is the feed's event.
    """
    today = local_today(now, subscriber.time_zone)
    importers = {i.id: i.name for i in feed_importers(session, subscriber) if i.id is not None}
    # Two windows: the review-request rule yields the next window from the first day asked.
    windows = [(today - timedelta(days=PAST_DAYS), today - timedelta(days=1))]
    windows.append((today, today + timedelta(days=AHEAD_DAYS)))
    entries: dict[str, CalendarEntryView] = {}
    reaches = open_reaches(session, list(importers))  # the portfolio matched once, for both windows
    for start, end in windows:
        found = case_deadlines_by_importer(
            session, importer_ids=list(importers), today=start, until=end, reaches=reaches
        )
        for importer_id, items in sorted(found.items()):
            for item in items:
                entry = item_calendar_entry(
                    item,
                    importer=importers[importer_id],
                    now=now,
                    time_zone=subscriber.time_zone,
                    ladder=ladder,
                )
                entries.setdefault(entry["uid"], entry)
    return sorted(entries.values(), key=lambda e: (e["day"], e["uid"]))


def feed_name(session: Session, subscriber: Subscriber) -> str:
    names = [i.name for i in feed_importers(session, subscriber)]
    return f"AD/CVD deadlines: {names[0]}" if names else "AD/CVD deadlines"


def feed_calendar(session: Session, subscriber: Subscriber, *, now: datetime, ladder: Sequence[int]) -> bytes:
    """The feed as an iCalendar file (no METHOD: a published calendar, not a scheduling message)."""
    entries = feed_entries(session, subscriber, now=now, ladder=ladder)
    return build_calendar(
        [CalendarEntry.from_view(e) for e in entries], stamp=None, name=feed_name(session, subscriber)
    )
