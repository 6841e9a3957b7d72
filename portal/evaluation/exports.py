"""The evaluation as CSV and XLSX for the committee: the same rows as the page.

Both hold a header (title, office or team, period, previous period, date made, the
suppression threshold), then one line per figure (section, figure, unit, this period,
previous period: the number where it is shown, else the page's words, e.g. "fewer
than 5"; and the figure's key, as on the page), the returns per month, then the assumption and every section's definition. Nothing else: no
name, reference, date of birth or free text exists in the rows they are made from.
"""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from portal.evaluation.figures import Evaluation
from portal.evaluation.report import assumption, cell_value, sections, suppression_note



def _unit(unit: str) -> str:
    return {"count": _("count"), "share": _("share (0–1)"), "days": _("days"), "hours": _("hours"),
            "euros": "EUR", "decimal": _("number")}[unit]


def table(evaluation: Evaluation, scope: str, period_label: str, previous_label: str) -> list[list]:
    """The export as rows of cells (strings and numbers), shared by CSV and XLSX."""
    minimum = evaluation.minimum
    rows: list[list] = [
        [_("Evaluation of the return programme")],
        [_("Teams"), scope],
        [_("Period"), period_label],
        [_("Previous period"), previous_label],
        [_("Made on"), evaluation.made_on.isoformat()],
        [_("Smallest count shown"), minimum],
        [],
        [_("Section"), _("Figure"), _("Unit"), period_label, previous_label, _("Key")],
    ]
    all_sections = sections(evaluation)
    for section in all_sections:
        for row in section.rows:
            rows.append([str(section.title), str(row.label), _unit(row.unit),
                         cell_value(row.current, row.unit, minimum), cell_value(row.previous, row.unit, minimum),
                         row.key])
    rows.append([])
    for month, cell in evaluation.current.returns_by_month:
        rows.append([_("Returns home per month"), month.strftime("%Y-%m"), _("count"),
                     cell_value(cell, "count", minimum), "", f"month.{month.strftime('%Y-%m')}"])
    rows.append([])
    rows.append([_("Assumption"), assumption()])
    rows.append([_("Privacy"), suppression_note(minimum)])
    for section in all_sections:
        rows.append([_("Definition"), str(section.title), str(section.definition)])
    return rows


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read UTF-8


def to_xlsx(rows: list[list], sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for column, width in zip("ABCDE", (34, 60, 14, 24, 24)):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
