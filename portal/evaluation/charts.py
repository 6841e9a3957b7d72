"""Charts drawn on the server as SVG (matplotlib, no pyplot, no JavaScript).

Each chart is an SVG document shown as `<img src="data:image/svg+xml,…">` (the CSP
allows `img-src data:`; an image cannot run script), with a short text alternative
and its numbers in a table beside it. Text stays text (`svg.fonttype = none`): the
browser sets it with the reader's system fonts, so Arabic and Persian are shaped and
read right to left, and no font is embedded or fetched. For right-to-left readers
the time axis runs from right to left. Suppressed values are drawn as hatched bars
of the threshold's height and marked as hidden, never as their true size.
"""
from __future__ import annotations

import io
from collections import OrderedDict
from urllib.parse import quote

from flask_babel import format_date, format_decimal, format_percent, get_locale, ngettext
from flask_babel import gettext as _

from portal.evaluation.figures import Evaluation, Quartiles
from portal.evaluation.suppression import Cell

INK, ACCENT, MUTED, PREVIOUS = "#1b1b1b", "#005a9c", "#6b6b6b", "#8fb4d6"


def _figure(width: float = 6.4, height: float = 3.0, wide_labels: bool = False, rtl: bool = False):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "neustart", "font.size": 10,
        "font.family": "sans-serif", "axes.edgecolor": MUTED, "axes.labelcolor": INK,
        "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
    })
    figure = Figure(figsize=(width, height))
    # Fixed margins instead of a layout engine: a third of the drawing time, and room on
    # both sides for the axis labels of either reading direction.
    labels, other = (0.32, 0.03) if wide_labels else (0.1, 0.03)
    left, right = (other, 1 - labels) if rtl else (labels, 1 - other)
    figure.subplots_adjust(left=left, right=right, bottom=0.24, top=0.95)
    return figure, figure.add_subplot()


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    return "data:image/svg+xml," + quote(svg, safe=":/=;,'-.")


def _mirror(ax, rtl: bool) -> None:
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["left"].set_visible(False)
        ax.spines["right"].set_visible(True)


def _hidden_label(minimum: int) -> str:
    return ngettext("fewer than %(num)d", "fewer than %(num)d", minimum)


def returns_per_month(evaluation: Evaluation, rtl: bool) -> str:
    months = evaluation.current.returns_by_month
    figure, ax = _figure(rtl=rtl)
    labels = [format_date(month, "MMM yy") for month, _cell in months]
    positions = list(range(len(months)))
    shown = [(i, c.value) for i, (_m, c) in enumerate(months) if c.shown]
    hidden = [i for i, (_m, c) in enumerate(months) if c.suppressed]
    if shown:
        bars = ax.bar([i for i, _v in shown], [v for _i, v in shown], color=ACCENT, label=_("Returns home"))
        ax.bar_label(bars, labels=[format_decimal(v) for _i, v in shown], fontsize=8, color=INK)
    if hidden:
        ax.bar(hidden, [evaluation.minimum - 1] * len(hidden), color="white", edgecolor=MUTED, hatch="///",
               label=_("hidden: %(label)s", label=_hidden_label(evaluation.minimum)))
    ax.set_xticks(positions, labels, rotation=45 if len(months) > 6 else 0, ha="right" if not rtl else "left",
                  fontsize=8)
    ax.set_ylabel(_("Children"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    if shown or hidden:
        ax.legend(loc="upper left" if not rtl else "upper right", frameon=False, fontsize=8)
    _mirror(ax, rtl)
    return _svg(figure)


def time_to_return(evaluation: Evaluation, rtl: bool) -> str:
    rows = [
        (_("Entering care → home, this period"), evaluation.current.from_care, ACCENT),
        (_("Entering care → home, period before"), evaluation.previous.from_care, PREVIOUS),
        (_("Programme → home, this period"), evaluation.current.from_programme, ACCENT),
        (_("Programme → home, period before"), evaluation.previous.from_programme, PREVIOUS),
    ]
    figure, ax = _figure(height=2.8, wide_labels=True, rtl=rtl)
    for position, (_label, q, colour) in enumerate(reversed(rows)):
        q: Quartiles
        if q.median.shown and q.lower.shown and q.upper.shown:
            ax.barh(position, q.upper.value - q.lower.value, left=q.lower.value, height=0.5, color=colour)
            ax.plot([q.median.value] * 2, [position - 0.3, position + 0.3], color=INK, linewidth=2)
            ax.annotate(format_decimal(round(q.median.value)), (q.median.value, position + 0.3),
                        textcoords="offset points", xytext=(0, 2), ha="center", fontsize=8)
        else:
            ax.annotate(_("too few to show"), (0, position), textcoords="offset points",
                        xytext=(4 if not rtl else -4, 0), va="center", ha="left" if not rtl else "right",
                        fontsize=8, color=MUTED)
    ax.set_yticks(range(len(rows)), [label for label, _q, _c in reversed(rows)], fontsize=8)
    ax.set_xlabel(_("Days (bar: lower to upper quartile; line: median)"))
    ax.set_xlim(left=0)
    _mirror(ax, rtl)
    return _svg(figure)


def stability(evaluation: Evaluation, rtl: bool) -> str:
    groups = [
        (_("6 months after the return"), evaluation.current.stable6_share, evaluation.previous.stable6_share),
        (_("12 months after the return"), evaluation.current.stable12_share, evaluation.previous.stable12_share),
    ]
    figure, ax = _figure(height=2.8, rtl=rtl)
    width = 0.35
    for index, (_label, current, previous) in enumerate(groups):
        for offset, cell, colour, name in ((-width / 2, current, ACCENT, _("this period")),
                                           (width / 2, previous, PREVIOUS, _("period before"))):
            x = index + offset
            cell: Cell
            if cell.shown:
                bar = ax.bar([x], [cell.value * 100], width=width, color=colour,
                             label=name if index == 0 else None)
                ax.bar_label(bar, labels=[format_percent(cell.value, "#,##0 %")], fontsize=8)
            else:
                ax.bar([x], [0], width=width, color=colour, label=name if index == 0 else None)
                ax.annotate(_("too few to show"), (x, 0), textcoords="offset points", xytext=(0, 4),
                            ha="center", fontsize=7, color=MUTED, rotation=90)
    ax.set_xticks(range(len(groups)), [label for label, _a, _b in groups])
    ax.set_ylim(0, 110)
    ax.set_ylabel(_("Share still at home (%)"))
    ax.legend(loc="lower left" if not rtl else "lower right", frameon=True, fontsize=8)
    _mirror(ax, rtl)
    return _svg(figure)


CHARTS = {"returns": returns_per_month, "time": time_to_return, "stability": stability}


# Drawn charts by what they show: the same (already suppressed) figures in the same language
# draw the same SVG, so a page opened again, or its print view, is not drawn again. Aggregates
# only, no names; bounded, and a change of any figure is another key.
_DRAWN: OrderedDict[tuple, dict[str, str]] = OrderedDict()
_KEPT = 32


def draw_all(evaluation: Evaluation, rtl: bool) -> dict[str, str]:
    """Every chart as a data URI, by the name of the section it belongs to."""
    key = (str(get_locale()), rtl, repr(evaluation))
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    drawn = {name: data_uri(draw(evaluation, rtl)) for name, draw in CHARTS.items()}
    _DRAWN[key] = drawn
    while len(_DRAWN) > _KEPT:
        _DRAWN.popitem(last=False)
    return drawn
