"""The period an evaluation covers, chosen on the page, and the period before it.

Kinds: a calendar quarter, a calendar year, or a custom range of days (the default:
the twelve months up to today). Both ends are inclusive days in the office's time zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

KINDS = ("quarter", "year", "custom")
EARLIEST = date(2000, 1, 1)


class BadPeriod(ValueError):
    """The chosen period cannot be evaluated; the message says why, in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "quarter":
            return quarter(*(self.start.year, self.quarter - 1) if self.quarter > 1 else (self.start.year - 1, 4))
        end = self.start - timedelta(days=1)
        return Period("custom", end - timedelta(days=self.days - 1), end)

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        first, found = self.start.replace(day=1), []
        while first <= self.end:
            found.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return found


def year(number: int) -> Period:
    return Period("year", date(number, 1, 1), date(number, 12, 31))


def quarter(number_year: int, number: int) -> Period:
    start = date(number_year, 3 * number - 2, 1)
    end = (date(number_year, 3 * number, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Period("quarter", start, end)


def last_twelve_months(today: date) -> Period:
    start = add_months(today, -12) + timedelta(days=1)
    return Period("custom", start, today)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative); the 31st becomes the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year_, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year_, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _int(value: str | None, low: int, high: int, message) -> int:
    try:
        number = int(value or "")
    except ValueError:
        raise BadPeriod(message) from None
    if not low <= number <= high:
        raise BadPeriod(message)
    return number


def _date(value: str | None, message) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise BadPeriod(message) from None


def from_args(args, today: date) -> Period:
    """The period named by the page's query (`period`, `year`, `quarter`, `start`, `end`).

    Nothing chosen: the last twelve months. Anything malformed or contradictory raises
    `BadPeriod` with a message for the reader."""
    kind = args.get("period") or ""
    if kind == "":
        return last_twelve_months(today)
    if kind not in KINDS:
        raise BadPeriod(_l("Please choose a quarter, a year or your own period."))
    if kind == "year":
        return year(_int(args.get("year"), EARLIEST.year, today.year, _l("Please enter a year between 2000 and this year.")))
    if kind == "quarter":
        number_year = _int(args.get("year"), EARLIEST.year, today.year, _l("Please enter a year between 2000 and this year."))
        return quarter(number_year, _int(args.get("quarter"), 1, 4, _l("Please choose a quarter from 1 to 4.")))
    start = _date(args.get("start"), _l("Please enter the first day of the period as a date."))
    end = _date(args.get("end"), _l("Please enter the last day of the period as a date."))
    if end < start:
        raise BadPeriod(_l("The period ends before it starts. Please check the two dates."))
    if start < EARLIEST or end > today + timedelta(days=366):
        raise BadPeriod(_l("Please choose a period between the year 2000 and next year."))
    return Period("custom", start, end)
