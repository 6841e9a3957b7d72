"""Check-in trends as small inline SVG charts, drawn on the server (no script, no image request).

One line per question over the periods answered, with a marker of its own shape and a
dash pattern of its own (not colour alone); a child's faces are drawn on the faces'
own five steps with little faces as the scale. Each chart stands next to a table with
its numbers (the templates); the SVG is an image with a label, its text is only dates
and numbers. For right-to-left readers time runs from right to left. Only
presentation attributes are used (the CSP allows no inline style).

The SVG states its own `direction`, and every `text-anchor` is logical ("start" is the
right edge of a right-to-left label): the first date reads from the first day's end of
the axis inwards, the last date from the last day's end, the scale's numbers stand
outside the plot. Nothing is clipped at the edges in either direction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale
from markupsafe import Markup, escape

from portal.checkins import QUESTIONS
from portal.models import Checkin
from portal.pictograms import PICTOGRAMS

INK, GRID = "#1b1b1b", "#c8c8c8"
# question -> (colour, dash pattern, marker)
STYLES = {
    "home": ("#0b5c6b", "", "circle"),
    "together": ("#8a3b00", "6 3", "square"),
    "help": ("#5b2c83", "2 3", "diamond"),
    "face": ("#0b5c6b", "", "circle"),
}


@dataclass(frozen=True)
class Series:
    key: str  # "home", "together", "help" or "face"
    label: str
    values: list[int | None]


def series_of(answers: list[Checkin]) -> list[Series]:
    """The lines to draw for a member's answers: the faces, or each question that was answered."""
    if any(a.face is not None for a in answers):
        return [Series("face", "", [a.face for a in answers])]
    return [Series(key, str(label), [getattr(a, key) for a in answers]) for key, label in QUESTIONS.items()
            if any(getattr(a, key) is not None for a in answers)]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 4.5-4.5 4.5-4.5-4.5z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _day(day: date) -> str:
    return format_skeleton("MMMd", day, locale=get_locale())


def chart(days: list[date], series: list[Series], label: str, rtl: bool = False, width: int = 320,
          height: int = 160) -> Markup:
    """An SVG line chart of `series` over `days` (one value per day, None where unanswered)."""
    if not days or not series:
        return Markup("")
    faces = series[0].key == "face"
    top = 5 if faces else 10
    left, right, upper, lower = (30, 12, 10, 26) if not rtl else (12, 30, 10, 26)
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(index: int) -> float:
        share = 0.5 if len(days) == 1 else index / (len(days) - 1)
        return left + (1 - share if rtl else share) * plot_w

    def y(value: float) -> float:
        return upper + (top - value) / (top - 1) * plot_h

    # The scale's numbers end just outside the plot, on the left (LTR) or on the right (RTL).
    label_x = width - right + 6 if rtl else left - 6
    face_x = width - right + 3 if rtl else left - 22
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(label)}" direction="{"rtl" if rtl else "ltr"}" font-family="sans-serif" '
             f'font-size="10" fill="{INK}">']
    ticks = (1, 2, 3, 4, 5) if faces else (1, 5, 10)
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        if faces:
            path = PICTOGRAMS[f"face{tick}"][1]
            parts.append(f'<g transform="translate({face_x:.1f} {y(tick) - 10:.1f}) scale(0.8)" fill="none" '
                         f'stroke="{INK}" stroke-width="2" stroke-linecap="round"><path d="{path}"/></g>')
        else:
            parts.append(f'<text x="{label_x}" y="{y(tick) + 3.5:.1f}" text-anchor="end">{tick}</text>')
    for one in series:
        colour, dash, marker = STYLES[one.key]
        points = [(x(i), y(v)) for i, v in enumerate(one.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>')
        parts += [_marker(marker, px, py, colour) for px, py in points]
    first, last = (days[0], days[-1])
    parts.append(f'<text x="{x(0):.1f}" y="{height - 8}" text-anchor="start">{escape(_day(first))}</text>')
    if len(days) > 1:
        parts.append(f'<text x="{x(len(days) - 1):.1f}" y="{height - 8}" text-anchor="end">{escape(_day(last))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def member_chart(answers: list[Checkin], label: str, rtl: bool = False, **size) -> Markup:
    """The chart of one member's current answers (oldest first)."""
    return chart([a.period_on for a in answers], series_of(answers), label, rtl, **size)


def legend(answers: list[Checkin]) -> list[tuple[str, str, str]]:
    """(question key, label, marker) for the lines of a chart with several questions."""
    lines = series_of(answers)
    return [(s.key, s.label, STYLES[s.key][2]) for s in lines if s.key != "face"]
