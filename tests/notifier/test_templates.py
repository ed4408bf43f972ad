"""Every template renders under StrictUndefined, has its golden, and the .ics builder writes what parses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import jinja2
import pytest
from icalendar import Calendar

from notifier.ics import CalendarEntry, build_calendar
from notifier.render import render_message, templates_dir
from tests.notifier.golden_support import GOLDEN

MESSAGES = sorted(p.name.removesuffix(".subject.txt") for p in templates_dir().glob("*.subject.txt"))
OWN = [m for m in MESSAGES if m != "operator"]  # operator alerts belong to the source-health work


def test_every_message_has_its_three_templates_and_a_golden() -> None:
    for name in MESSAGES:
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (templates_dir() / f"{name}{suffix}").is_file(), name + suffix
    for name in OWN:
        if name != "alert":  # the generic fallback; every payload names its kind's template
            assert (GOLDEN / f"{name}.txt").is_file(), name


@pytest.mark.parametrize("name", OWN)
def test_a_missing_value_fails_loudly(name: str) -> None:
    with pytest.raises(jinja2.UndefinedError):
        render_message(name, {})


def test_calendar_entries_parse_with_the_right_all_day_dates() -> None:
    entries = [
        CalendarEntry(
            uid="A-533-840:review_request:2024-02-29@adcvd-watch",
            day=date(2024, 2, 29),
            summary="AD/CVD A-533-840: review request",
            description='Due "by the last day"; 19 CFR',
            url="https://www.federalregister.gov/d/2024-01999",
            alarms=(timedelta(days=-7, hours=9), timedelta(hours=9)),
        ),
    ]
    calendar = Calendar.from_ical(build_calendar(entries, stamp=datetime(2024, 2, 1, 12, tzinfo=UTC)))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == date(2024, 2, 29) and event.decoded("dtend") == date(2024, 3, 1)
    assert str(event["uid"]) == "A-533-840:review_request:2024-02-29@adcvd-watch"
    assert str(event["description"]) == 'Due "by the last day"; 19 CFR'
    assert len(event.walk("VALARM")) == 2
