"""Small-number suppression (SECURITY.md property 35).

A count from 1 to `minimum - 1` is never shown: it becomes "fewer than 5" (the
office's setting `EVALUATION_MIN_COUNT`, default 5). What would let a hidden count be
worked out is hidden too ("secondary suppression"):

- in a group of counts with a shown total, one hidden cell could be recovered as the
  total minus the others: then the next smallest cell is hidden as well (or, if there is
  none, the total);
- a share is hidden when its base, its numerator or the rest of the base is a small
  count; a median or quartile is hidden when it is computed from fewer than `minimum`
  values; a sum of money or days when fewer than `minimum` children contribute.

Zero is shown: "nobody" reveals nothing about a person.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: `value` is None when it is suppressed."""

    value: float | int | None
    suppressed: bool = False
    # Why: "small" (a count of 1..minimum-1), "secondary" (would reveal one), "base" (too few values).
    reason: str = ""

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None


def small(count: int, minimum: int) -> bool:
    return 0 < count < minimum


def count(value: int, minimum: int) -> Cell:
    return Cell(None, True, "small") if small(value, minimum) else Cell(value)


def group(values: list[int], total: int | None, minimum: int) -> tuple[list[Cell], Cell | None]:
    """Cells of a group that adds up to `total` (None: the group has no shown total)."""
    hidden = [small(v, minimum) for v in values]
    reasons = ["small" if h else "" for h in hidden]
    total_hidden = total is not None and small(total, minimum)
    if total is not None and not total_hidden and sum(hidden) == 1:
        candidates = [i for i, v in enumerate(values) if not hidden[i] and v > 0]
        if candidates:
            i = min(candidates, key=lambda j: values[j])
            hidden[i], reasons[i] = True, "secondary"
        else:
            total_hidden = True
    cells = [Cell(None, True, reasons[i]) if hidden[i] else Cell(v) for i, v in enumerate(values)]
    total_cell = None
    if total is not None:
        total_cell = Cell(None, True, "small" if small(total, minimum) else "secondary") if total_hidden else Cell(total)
    return cells, total_cell


def share(numerator: int, base: int, minimum: int) -> Cell:
    """`numerator / base` as a fraction (0..1), hidden when any of its parts is a small count."""
    if base == 0:
        return Cell(None)
    if base < minimum:
        return Cell(None, True, "base")
    if small(numerator, minimum) or small(base - numerator, minimum):
        return Cell(None, True, "secondary")
    return Cell(numerator / base)


def statistic(value: float | None, values_count: int, minimum: int) -> Cell:
    """A median, quartile or mean computed from `values_count` values."""
    if values_count == 0 or value is None:
        return Cell(None)
    if values_count < minimum:
        return Cell(None, True, "base")
    return Cell(value)
