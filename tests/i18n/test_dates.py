"""Dates and times in the office's time zone (Europe/Berlin), formatted for the locale,
across the daylight-saving changes; relative days in the reader's language."""
from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale

from portal.i18n import appointment_time, local_datetime, relative_day

SUMMER = datetime(2026, 7, 15, 8, 30)  # naive UTC, as stored: 10:30 in Berlin (CEST, +2)
WINTER = datetime(2026, 12, 15, 8, 30)  # 09:30 in Berlin (CET, +1)


def test_summer_and_winter_times_are_shown_in_office_time(app):
    with app.test_request_context(), force_locale("de"):
        assert "10:30" in local_datetime(SUMMER, "short")
        assert "09:30" in local_datetime(WINTER, "short")
        assert 'datetime="2026-07-15T10:30+02:00"' in local_datetime(SUMMER)
        assert 'datetime="2026-12-15T09:30+01:00"' in local_datetime(WINTER)


def test_an_event_across_the_october_change_keeps_its_wall_clock_times(app):
    # 25 October 2026, 03:00 CEST → 02:00 CET. 00:30 UTC is 02:30 CEST; 02:30 UTC is 03:30 CET.
    with app.test_request_context(), force_locale("en"):
        before, after = appointment_time(datetime(2026, 10, 25, 0, 30)), appointment_time(datetime(2026, 10, 25, 2, 30))
    assert "Sunday, October 25, 2026" in before and "2:30" in before
    assert "3:30" in after
    assert "+02:00" in before and "+01:00" in after


def test_dates_are_formatted_for_the_locale(app):
    with app.test_request_context():
        with force_locale("de"):
            german = appointment_time(SUMMER)
        with force_locale("ar"):
            arabic = appointment_time(SUMMER)
        with force_locale("uk"):
            ukrainian = appointment_time(SUMMER)
    assert "Mittwoch, 15. Juli 2026, 10:30" in german
    assert "يوليو" in arabic
    assert "липня" in ukrainian


def test_relative_days_count_calendar_days_in_office_time(app):
    late_evening = datetime(2026, 3, 28, 21, 30)  # 22:30 in Berlin on Saturday
    with app.test_request_context(), force_locale("en"):
        # Sunday 08:00 CEST (the clocks went forward that night) is still "tomorrow".
        assert ">tomorrow<" in relative_day(datetime(2026, 3, 29, 6, 0), now=late_evening)
        assert ">today<" in relative_day(datetime(2026, 3, 28, 22, 30), now=late_evening)
        assert ">in 3 days<" in relative_day(datetime(2026, 3, 31, 8, 0), now=late_evening)
        assert ">2 weeks ago<" in relative_day(datetime(2026, 3, 14, 8, 0), now=late_evening)


def test_relative_days_use_the_locales_plural_forms(app):
    now = datetime(2026, 5, 4, 8, 0)
    with app.test_request_context():
        with force_locale("ru"):
            assert "через 5 дней" in relative_day(datetime(2026, 5, 9, 8, 0), now=now)
            assert "через 3 дня" in relative_day(datetime(2026, 5, 7, 8, 0), now=now)
        with force_locale("ar"):
            assert "خلال" in relative_day(datetime(2026, 5, 9, 8, 0), now=now)
