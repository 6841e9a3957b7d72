"""The plan page's rows, made so that a plan of a thousand items renders in a few dozen
template calls: what is the same for many items is made once per page (the items' URLs, the
labels line per distinct combination, each shape of row) and each item's own values are put in."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app, url_for
from flask_babel import ngettext
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from portal.models import ItemKind, ItemStatus
from portal.staff.forms import past_due
from portal.staff.operations import plan as plan_ops

# An item id no real item has: the URL built for it is the pattern of every item's URL.
_ANY_ITEM = 987654321


def item_url(endpoint: str, parameter: str = "item_id", **values) -> str:
    """`url_for(endpoint, item_id=…, **values)` for any item, built once: a pattern for `%`
    (`{{ url.edit % item.id }}`), which Jinja runs as Python's operator, not as a call."""
    url = url_for(endpoint, **{parameter: _ANY_ITEM}, **values)
    head, found, tail = url.rpartition(str(_ANY_ITEM))
    assert found, endpoint
    return head.replace("%", "%%") + "%s" + tail.replace("%", "%%")


@dataclass(frozen=True)
class ItemUrls:
    up: str
    down: str
    edit: str
    done: str
    step: str
    new_step: str


def item_urls(case) -> ItemUrls:
    """The plan page's URLs of an item, once per page (`url_for` per item was a seventh of its time);
    `new_step` opens a goal's step form (`?step=<goal>`)."""
    return ItemUrls(
        up=item_url("staff.item_move", case_id=case.id, direction="up"),
        down=item_url("staff.item_move", case_id=case.id, direction="down"),
        edit=item_url("staff.item_edit", case_id=case.id), done=item_url("staff.item_done", case_id=case.id),
        step=item_url("staff.step_add", case_id=case.id), new_step=item_url("staff.plan", "step", case_id=case.id),
    )


def _macro(template: str, name: str, **context):
    """A macro of `template` with the app's template context and `context`, for calls from Python."""
    current_app.update_template_context(context)
    return getattr(current_app.jinja_env.get_template(template).make_module(context), name)


class ItemLabels:
    """The labels line of an item on the plan page (who sees it, who entrusted it, per language the
    family reads whether its text is translated and checked, who does it, by when, its status),
    rendered by the macro in `templates/staff/_plan_item_labels.html` once for each distinct
    combination of what the line shows: a plan of hundreds of items has a few dozen."""

    def __init__(self, states: dict[int, list[tuple[str, str]]]):
        self._macro = _macro("staff/_plan_item_labels.html", "labels", past_due=past_due)
        self._states = states
        self._rendered: dict[tuple, Markup] = {}

    def __call__(self, item: plan_ops.DraftItem) -> Markup:
        states = tuple(self._states.get(item.id, ()))
        key = (item.audience, item.people, item.entrusted_by, states, item.owner, item.due_on, item.status)
        line = self._rendered.get(key)
        if line is None:
            line = self._rendered[key] = Markup(self._macro(item, states))
        return line


class PlanRow(NamedTuple):
    """What an item's row shows (`templates/staff/_plan_item_row.html`). The first three and
    whether there is a simple text make the row's shape; the rest are the item's own values."""

    kind: ItemKind
    done: bool
    pictogram: str | None
    id: int | str
    text: str
    short: str  # for the buttons' names: "Up: <short>"
    simple_text: str | None
    labels: Markup

    @classmethod
    def of(cls, item: plan_ops.DraftItem, labels: Markup) -> PlanRow:
        # Jinja's own `truncate(40)`: the text itself when it is short enough.
        return cls(item.kind, item.status is ItemStatus.done, item.pictogram, item.id, item.text,
                   do_truncate(current_app.jinja_env, item.text, 40), item.simple_text, labels)

    def shape(self) -> tuple:
        return self.kind, self.done, self.pictogram, bool(self.simple_text)


# A value's place in a rendered shape: private-use characters, which escaping keeps and no
# template text holds.
_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000(\\w+)\ue001")


def _marked(name: str) -> Markup:
    return Markup(_MARK.format(name))


class ItemRows:
    """Each item's row on the plan page (a goal's with its steps). The row macro runs once per
    shape (kind, done, picture, simple text or none, first or last among its siblings, a goal
    with steps or without) with marks in place of the item's own values; each item's row is that
    shape with its values put in, escaped as the template escapes them. A plan of a thousand items
    has a few dozen shapes, and putting values in costs a fraction of running the macro (the row
    macro was half of the page's time). A goal with its step form open is rendered directly."""

    def __init__(self, labels: ItemLabels, urls: ItemUrls, csrf_field: Markup):
        self._macro = _macro("staff/_plan_item_row.html", "row", url=urls, csrf_field=csrf_field)
        self._labels = labels
        self._shapes: dict[tuple, list[str]] = {}
        self._summaries: dict[int, str] = {}

    def list(self, items: Sequence[plan_ops.DraftItem]) -> Markup:
        """The rows of one list of siblings."""
        end = len(items) - 1
        return Markup("".join([self(item, number == 0, number == end) for number, item in enumerate(items)]))

    def goals(self, branches: Sequence[plan_ops.GoalBranch], step_forms: dict) -> Markup:
        """The goals' rows, each with its steps and the step form where one is open (`step_forms` by goal id)."""
        end = len(branches) - 1
        return Markup("".join([
            self(branch.goal, number == 0, number == end, self.list(branch.steps), self._summary(len(branch.steps)),
                 step_forms.get(branch.goal.id))
            for number, branch in enumerate(branches)]))

    def __call__(self, item: plan_ops.DraftItem, first: bool, last: bool, steps: Markup = Markup(""),
                 summary: str = "", step_form=None) -> Markup:
        row = PlanRow.of(item, self._labels(item))
        if step_form is not None:
            return self.rendered(row, first, last, steps, summary, step_form)
        shape = (*row.shape(), first, last, bool(steps))
        parts = self._shapes.get(shape)
        if parts is None:
            parts = self._shapes[shape] = self._shape(row, first, last, bool(steps))
        text = escape(row.text)
        values = {"id": str(row.id), "text": text, "short": text if row.short is row.text else escape(row.short),
                  "simple_text": escape(row.simple_text) if row.simple_text else "", "labels": row.labels,
                  "steps": steps, "summary": escape(summary) if summary else ""}
        filled = parts.copy()
        filled[1::2] = [values[name] for name in parts[1::2]]
        return Markup("".join(filled))

    def rendered(self, row: PlanRow, first: bool, last: bool, steps: Markup = Markup(""), summary: str = "",
                 step_form=None) -> Markup:
        """The macro's own output for `row`: what the filled-in shape must equal."""
        return Markup(self._macro(row, first, last, steps, summary, step_form))

    def _summary(self, count: int) -> str:
        if count not in self._summaries:
            self._summaries[count] = ngettext("%(num)d step of this goal", "%(num)d steps of this goal", count)
        return self._summaries[count]

    def _shape(self, row: PlanRow, first: bool, last: bool, with_steps: bool) -> list[str]:
        marked = row._replace(id=_MARK.format("id"), text=_MARK.format("text"), short=_MARK.format("short"),
                              simple_text=_MARK.format("simple_text") if row.simple_text else None,
                              labels=_marked("labels"))
        steps = _marked("steps") if with_steps else Markup("")
        # [text, value name, text, value name, …, text]
        return _MARKED.split(str(self._macro(marked, first, last, steps, _MARK.format("summary"), None)))
