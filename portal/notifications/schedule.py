"""Times in the office's time zone: quiet hours and when reminders are due."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["OFFICE_TIMEZONE"])


def parse_clock(value: str) -> time:
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def quiet_hours() -> tuple[time, time] | None:
    """`NOTIFY_QUIET_HOURS` ("21:00-07:00"); empty means none."""
    value = (current_app.config.get("NOTIFY_QUIET_HOURS") or "").strip()
    if not value:
        return None
    start, end = value.split("-")
    return parse_clock(start), parse_clock(end)


def is_quiet(now: datetime) -> bool:
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    clock = now.astimezone(_tz()).time()
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end  # over midnight


def reminder_times(starts_at: datetime) -> dict[str, datetime]:
    """When the reminders for an appointment are due: the day before, and the morning of it (UTC)."""
    tz = _tz()
    day = starts_at.astimezone(tz).date()
    day_before = datetime.combine(day - timedelta(days=1), parse_clock(current_app.config["REMINDER_DAY_BEFORE_AT"]),
                                  tzinfo=tz)
    morning = datetime.combine(day, parse_clock(current_app.config["REMINDER_MORNING_AT"]), tzinfo=tz)
    return {"reminder_day_before": day_before.astimezone(UTC), "reminder_morning": morning.astimezone(UTC)}
