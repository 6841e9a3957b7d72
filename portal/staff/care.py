"""A child's or youth's care facts on the case page (the evaluation counts them)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency
from portal.access import staff_required
from portal.db import db
from portal.evaluation import facts
from portal.models import Member
from portal.staff import bp
from portal.staff.common import case_member_or_404, load_case
from portal.staff.forms import CareForm
from portal.staff.operations import care as care_ops


def care_form(member: Member, submitted: bool = False) -> CareForm:
    """The form of one child's facts: the submitted one reads the request, the others the saved state."""
    if submitted:
        return CareForm(prefix=f"c{member.id}")
    record = facts.care_record(db.session, member)
    saved = facts.CareFacts.of(record)
    form = CareForm(formdata=None, prefix=f"c{member.id}")
    for name in ("entered_care_on", "daily_rate", "returned_on", "aftercare_ended_on", "reentered_on"):
        form[name].data = getattr(saved, name)
    form.placement.data = saved.placement.value if saved.placement else ""
    form.reentry_reason.data = saved.reentry_reason.value if saved.reentry_reason else ""
    form.revision.data = str(record.revision) if record else ""
    return form


def care_forms(case) -> dict[int, CareForm]:
    return {m.id: care_form(m) for m in case.members if m.kind in facts.CHILD_KINDS}


@bp.route("/cases/<int:case_id>/members/<int:member_id>/care", methods=["POST"])
@staff_required()
def care_facts(case_id: int, member_id: int):
    from portal.staff.routes import _render_case

    case = load_case(case_id)
    member = case_member_or_404(case, member_id)
    if member.kind not in facts.CHILD_KINDS:
        abort(404)  # parents have no care facts: there is no such form
    form = care_form(member, submitted=True)
    if not form.validate_on_submit():
        return _render_case(case, 400, care_forms={member.id: form})
    try:
        care_ops.save_care(db.session, case, member, form.facts(), form.revision.data, by=current_user)
    except concurrency.Stale as stale:
        flash(_("Someone else changed the care facts of %(name)s in the meantime. Your entries are kept "
                "below; save again to apply them.", name=member.display_name), "error")
        concurrency.accept_current(form.revision, stale.obj)
        return _render_case(case, 409, care_forms={member.id: form})
    db.session.commit()
    flash(_("The care facts of %(name)s were saved.", name=member.display_name), "info")
    return redirect(url_for("staff.case", case_id=case.id, _anchor=f"member-{member.id}"))
