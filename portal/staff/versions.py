"""Publishing, the version history, and "preview as" a family member."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from portal import audit, preview, publishing
from portal.access import staff_required
from portal.db import db
from portal.family import pages
from portal.i18n import current_language
from portal.models import Member
from portal.notifications import events as notify
from portal.staff import bp
from portal.staff.common import case_member_or_404, case_plan, load_case
from portal.staff.forms import PublishForm

# Family page name → (builder(session, member) -> template context, template): the very
# builders and templates of the family's own routes, so the preview is those pages.
PREVIEW_PAGES: dict[str, tuple[Callable[[Session, Member], dict], str]] = {
    "home": (pages.home_page, "family/home.html"),
    "plan": (pages.plan_page, "family/plan.html"),
    "path": (pages.path_page, "family/path.html"),
    "appointments": (pages.appointments_page, "family/appointments.html"),
    "contacts": (pages.contacts_page, "family/contacts.html"),
}
PAGE_LABELS = {"home": _l("Start"), "plan": _l("Plan"), "path": _l("Path home"),
               "appointments": _l("Appointments"), "contacts": _l("Contacts")}


@bp.route("/cases/<int:case_id>/publish", methods=["GET", "POST"])
@staff_required()
def publish(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    latest = publishing.latest_version(db.session, plan)
    form = PublishForm()
    if request.method == "GET":
        form.based_on.data = str(latest.number if latest else 0)
    if form.validate_on_submit():
        try:
            version = publishing.publish(db.session, plan, current_user, form.note.data, int(form.based_on.data))
        except (publishing.AlreadyPublished, ValueError):
            db.session.rollback()
            flash(_("This plan was already published in the meantime. Nothing was published twice."), "warning")
            return redirect(url_for("staff.history", case_id=case_id))
        audit.record(db.session, "plan.publish", case_id=case.id, obj=version)
        notify.plan_published(db.session, version)
        db.session.commit()
        flash(_("Version %(number)d is published. The family sees it now.", number=version.number), "info")
        return redirect(url_for("staff.history", case_id=case.id))
    diff = publishing.unpublished_changes(db.session, plan)
    changes = preview.audience_changes(db.session, plan, current_user)
    db.session.commit()
    return render_template("staff/publish.html", case=case, form=form, diff=diff, latest=latest,
                           changes=changes), 400 if request.method == "POST" else 200


@bp.route("/cases/<int:case_id>/history")
@staff_required()
def history(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    entries = []
    previous: dict = {}
    for version in plan.versions:
        snapshot = publishing.version_snapshot(version)
        entries.append((version, publishing.compare(previous, snapshot)))
        previous = snapshot
    entries.reverse()
    db.session.commit()
    return render_template("staff/history.html", case=case, entries=entries)


@bp.route("/cases/<int:case_id>/preview/<int:member_id>/<page>")
@staff_required()
def preview_as(case_id: int, member_id: int, page: str):
    """The family page as `member` would see it once the draft is published; nothing is saved."""
    case = load_case(case_id)
    member = case_member_or_404(case, member_id)
    if page not in PREVIEW_PAGES:
        abort(404)
    build, template = PREVIEW_PAGES[page]
    plan = case_plan(case)
    banner = {
        "text": _("Preview: this is how %(name)s will see this page after you publish. Nothing is published yet.",
                  name=member.display_name),
        "back": _("Back to the plan"),
        "back_url": url_for("staff.plan", case_id=case.id),
        "others": [(m, url_for("staff.preview_as", case_id=case.id, member_id=m.id, page=page))
                   for m in case.members if m.id != member.id],
        "label": _("Preview as someone else"),
        "pages_label": _("Other pages"),
        "pages": [(str(label), url_for("staff.preview_as", case_id=case.id, member_id=member.id, page=name))
                  for name, label in PAGE_LABELS.items() if name != page],
        "lang": current_language(),
    }
    audit.record(db.session, "plan.preview", case_id=case.id, obj=member)

    def render() -> str:
        with force_locale(member.language or "de"):
            context = {"member": member, **build(db.session, member)}
            return render_template("staff/preview.html", family_template=template, preview_banner=banner,
                                   **context)

    html = preview.as_if_published(db.session, plan, current_user, render)
    db.session.commit()
    return html
