"""Publishing, the version history, and "preview as" a family member."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import audit, preview, publishing, sharing, translation_work
from portal.access import staff_required
from portal.db import db
from portal.family import checkins as family_checkins
from portal.family import pages
from portal.family.pages import render_family_page
from portal.i18n import current_language, speaking_to
from portal.models import Audience
from portal.staff import bp
from portal.staff.common import case_member_or_404, case_plan, load_case, member_choices
from portal.staff.forms import PublishForm
from portal.staff.operations import plan as plan_ops

# Family page name → (builder(viewer) -> template context, template): the very builders
# and templates of the family's own routes, so the preview is those pages, read-only.
PREVIEW_PAGES: dict[str, tuple[Callable[[sharing.Viewer], dict], str]] = {
    "home": (pages.home_page, "family/home.html"),
    "plan": (pages.plan_page, "family/plan.html"),
    "path": (pages.path_page, "family/path.html"),
    "appointments": (pages.appointments_page, "family/appointments.html"),
    "contacts": (pages.contacts_page, "family/contacts.html"),
    "checkin": (family_checkins.checkin_page, "family/checkin.html"),
}
PAGE_LABELS = {"home": _l("Start"), "plan": _l("Plan"), "path": _l("Path home"),
               "appointments": _l("Appointments"), "contacts": _l("Contacts"), "checkin": _l("Check-in")}


@bp.route("/cases/<int:case_id>/publish", methods=["GET", "POST"])
@staff_required()
def publish(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    latest = publishing.latest_version(db.session, plan)
    form = PublishForm()
    form.note_people.choices = member_choices(case)
    if request.method == "GET":
        form.based_on.data = str(latest.number if latest else 0)
    if form.validate_on_submit():
        members = {m.id: m for m in case.members}
        try:
            version = plan_ops.publish(
                db.session, case, plan, current_user, form.note.data, int(form.based_on.data),
                note_audience=Audience(form.note_audience.data),
                note_people=[members[i] for i in form.note_people.data if i in members],
            )
        except (publishing.AlreadyPublished, ValueError):
            db.session.rollback()
            flash(_("This plan was already published in the meantime. Nothing was published twice."), "warning")
            return redirect(url_for("staff.history", case_id=case_id))
        db.session.commit()
        flash(_("Version %(number)d is published. The family sees it now.", number=version.number), "info")
        return redirect(url_for("staff.history", case_id=case.id))
    diff = publishing.unpublished_changes(db.session, plan)
    # One trial publish answers both: who newly sees or stops seeing what, and what readers of
    # another language will see untranslated.
    changes, untranslated = preview.review(db.session, plan, current_user,
                                           translation_work.untranslated_counter(db.session, plan))
    # Who reads the note, for each audience the form offers (no script needed to see it).
    note_readers = {value: sharing.note_readers(case.members, Audience(value), case.members)
                    for value, _label in form.note_audience.choices if value != Audience.people.value}
    db.session.commit()
    return render_template("staff/publish.html", case=case, form=form, diff=diff, latest=latest,
                           changes=changes, note_readers=note_readers, untranslated=untranslated), (
        400 if request.method == "POST" else 200)


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
    audit.record(db.session, audit.Action.plan_preview, case_id=case.id, obj=member)

    def render() -> str:
        with force_locale(member.language or "de"), speaking_to(member.kind):  # in the member's words
            viewer = sharing.Viewer(db.session, member, preview=True)
            return render_family_page("staff/preview.html", viewer, family_template=template,
                                      preview_banner=banner, **build(viewer))

    html = preview.as_if_published(db.session, plan, current_user, render)
    db.session.commit()
    return html
