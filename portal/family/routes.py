"""The family's pages. Thin views: ask the member's viewer, call, render.

Every page's data comes from a builder in `portal.family.pages` taking a
`sharing.Viewer`, so the caseworker's "preview as" renders the same pages.
"""
from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import calendar, sessions, sharing, static_files
from portal.access import family_required
from portal.auth import throttle
from portal.auth.forms import EmptyForm, PasswordChangeForm
from portal.db import db
from portal.family import account_viewer, answers, bp, current_viewer, notification_settings, pages
from portal.family.page_cache import kept
from portal.family.pages import render_family_page
from portal.family.forms import (
    AppointmentAnswerForm,
    QuestionForm,
    SettingsForm,
    VersionResponseForm,
)
from portal.family.glossary import TERMS as GLOSSARY_TERMS
from portal.family.glossary import child_explanations
from portal.models import Appointment, AppointmentStatus, Member
from portal.notifications import events as notify
from portal.passwords import FAMILY_MINIMUM
from portal.qr import qr_svg


def _member() -> Member:
    return current_user._get_current_object()


def _signed_in_member() -> Member | None:
    """For the public glossary: the family member reading, if any."""
    return _member() if current_user.is_authenticated and isinstance(_member(), Member) else None


@bp.route("/")
@family_required
@kept
def home():
    """A child lands on the path home; everyone else on their overview."""
    viewer = current_viewer()
    if "family.home" not in viewer.navigation():
        return redirect(url_for("family.path"))
    return render_family_page("family/home.html", viewer, **pages.home_page(viewer))


@bp.route("/seen", methods=["POST"])
@family_required
def mark_seen():
    """"Got it": what is new now counts as seen (viewing alone never does)."""
    viewer = current_viewer()
    if EmptyForm().validate_on_submit() and viewer.may_act():
        version = pages.latest_version(viewer)
        answers.mark_seen(db.session, viewer.member, version.number if version else None)
        db.session.commit()
        flash(_("Marked as seen."), "info")
    return redirect(url_for("family.home"))


# --- plan -----------------------------------------------------------------------

@bp.route("/plan")
@family_required
@kept
def plan():
    viewer = current_viewer()
    return render_family_page("family/plan.html", viewer, **pages.plan_page(viewer))


@bp.route("/plan/print")
@family_required
def plan_print():
    viewer = current_viewer()
    return render_family_page("family/plan_print.html", viewer, **pages.plan_page(viewer))


@bp.route("/plan/items/<int:item_id>/questions", methods=["GET", "POST"])
@family_required
def ask(item_id: int):
    """Ask about one plan item. The plan page holds the same form; errors land here."""
    viewer = current_viewer()
    item = viewer.item(item_id)
    if item is None or not viewer.may_ask():
        abort(404)
    form = QuestionForm()
    if form.validate_on_submit():
        question = answers.ask_question(viewer, item, form.text.data)
        notify.question_asked(db.session, question)
        db.session.commit()
        flash(_("Thank you. Your question was sent to your caseworker."), "info")
        return redirect(url_for("family.plan", _anchor=f"item-{item_id}"))
    return render_family_page("family/ask.html", viewer, item=item, form=form)


@bp.route("/plan/questions", methods=["POST"])
@family_required
def ask_plan():
    """The plan page's one question form per goal: which item is chosen in the form."""
    item_id = request.form.get("item", type=int)
    if item_id is None or not 0 < item_id < 2**31:
        abort(404)
    return ask(item_id)


@bp.route("/plan/response", methods=["GET", "POST"])
@family_required
def respond():
    """Agree or disagree with the current plan version, with a comment."""
    viewer = current_viewer()
    version = pages.latest_version(viewer)
    if version is None or not viewer.may_respond():
        abort(404)
    form = VersionResponseForm()
    if form.validate_on_submit():
        response = answers.respond_to_version(viewer, version, form.agrees.data == "yes", form.comment.data or "")
        notify.version_answered(db.session, response)
        db.session.commit()
        flash(_("Thank you. Your answer to the plan was saved."), "info")
        return redirect(url_for("family.plan", _anchor="agreement"))
    return render_family_page("family/respond.html", viewer, version=version, form=form)


# --- path -----------------------------------------------------------------------

@bp.route("/path")
@family_required
@kept
def path():
    viewer = current_viewer()
    return render_family_page("family/path.html", viewer, **pages.path_page(viewer))


# --- appointments ---------------------------------------------------------------

@bp.route("/appointments")
@family_required
@kept
def appointments():
    viewer = current_viewer()
    return render_family_page("family/appointments.html", viewer, **pages.appointments_page(viewer),
                              answered=request.args.get("answered", type=int))


@bp.route("/appointments/<int:appointment_id>", methods=["GET", "POST"])
@family_required
def appointment(appointment_id: int):
    """One appointment; the answer form posts here (errors are shown here too)."""
    viewer = current_viewer()
    context = pages.appointment_page(viewer, appointment_id)
    found: Appointment = context["appointment"]
    form = AppointmentAnswerForm()
    if form.is_submitted():
        if viewer.child:
            abort(404)  # a child's portal has no answers at all
        if not viewer.may_answer(found):
            flash(_("This appointment was cancelled, so it cannot be answered any more.")
                  if found.status is AppointmentStatus.cancelled
                  else _("This appointment is over, so it cannot be answered any more."), "error")
            return redirect(url_for("family.appointment", appointment_id=appointment_id))
        if form.validate():
            try:
                answer = answers.answer_appointment(viewer, found, form.coming.data == "yes", form.reason.data or "",
                                                    seen_revision=_revision(form.revision.data),
                                                    interpreter=form.interpreter.data)
            except answers.Outdated:
                # The appointment as it is now, with what they chose and typed kept, to send again on purpose.
                flash(_("This appointment was changed after you opened the page. Please check it and answer again."),
                      "error")
                return render_family_page("family/appointment.html", viewer, **context, form=form), 409
            notify.appointment_answered(db.session, answer)
            db.session.commit()
            # The thanks is shown in the card that was answered, not at the top of the page.
            return redirect(url_for("family.appointments", answered=appointment_id,
                                    _anchor=f"appointment-{appointment_id}"))
    return render_family_page("family/appointment.html", viewer, **context, form=form)


def _revision(value: str | None) -> int:
    """The revision echoed by the answer form. Missing or malformed (a hand-made request, a
    broken page) it is 0, which no appointment has (revisions start at 1): refused like an
    outdated one, never saved without the check."""
    return int(value) if value and value.isdigit() and len(value) < 10 else 0


@bp.route("/appointments/<int:appointment_id>.ics")
@family_required
def appointment_ics(appointment_id: int):
    return _ics_response(calendar.to_ics(current_viewer(), appointment_id), f"appointment-{appointment_id}.ics")


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The member's private subscription: no sign-in, the secret in the address is the key."""
    member = calendar.member_for_token(db.session, token)
    if member is None:
        abort(404)
    return _ics_response(calendar.to_ics(sharing.viewer(db.session, member)))


def _ics_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- contacts and glossary ------------------------------------------------------------

@bp.route("/contacts")
@family_required
@kept
def contacts():
    viewer = current_viewer()
    return render_family_page("family/contacts.html", viewer, **pages.contacts_page(viewer))


@bp.route("/glossary")
def glossary():
    """The words of the process in plain words; public like help now."""
    viewer = current_viewer() if _signed_in_member() else None
    return render_family_page("family/glossary.html", viewer, terms=GLOSSARY_TERMS,
                              child_words=child_explanations() if viewer is not None and viewer.child else None)


# --- account ------------------------------------------------------------------------

def _settings_form(member: Member) -> SettingsForm:
    return SettingsForm(prefix="settings", data={"easy_read": member.easy_read,
                                                 "calendar_details": member.calendar_details,
                                                 "calendar_reminders": member.calendar_reminders})


def _account(status: int = 200, **forms):
    viewer = current_viewer()
    context = {"settings_form": _settings_form(viewer.member),
               "password_form": PasswordChangeForm(FAMILY_MINIMUM, prefix="password"),
               "new_calendar_url": None, **notification_settings.account_context(viewer.member, **forms), **forms}
    return render_family_page("family/account.html", viewer, **pages.account_page(viewer), **context), status


@bp.route("/account")
@family_required
def account():
    return _account()


@bp.route("/account/settings", methods=["POST"])
@family_required
def account_settings():
    viewer = account_viewer("settings")
    member = viewer.member
    form = _settings_form(member)
    if not form.validate_on_submit():
        return _account(400, settings_form=form)
    member.easy_read = form.easy_read.data
    member.calendar_details = form.calendar_details.data
    member.calendar_reminders = form.calendar_reminders.data
    db.session.commit()
    sessions.remember_reader(member)  # help now, without the database, speaks so from now on
    flash(_("Your settings were saved."), "info")
    return redirect(url_for("family.account"))


@bp.route("/account/password", methods=["POST"])
@family_required
@throttle.by_signed_in_person
def account_password():
    """A new password ends the member's other sessions (a phone left elsewhere is signed out)."""
    viewer = account_viewer("password")
    form = PasswordChangeForm(FAMILY_MINIMUM, prefix="password")
    if form.validate_on_submit() and form.save(db.session, viewer.member):
        db.session.commit()
        flash(_("Your password was changed. Other devices are now signed out."), "info")
        return redirect(url_for("family.account"))
    return _account(400, password_form=form)


@bp.route("/account/calendar", methods=["POST"])
@family_required
def account_calendar_renew():
    """Make a new calendar address and show it once (only its hash is kept)."""
    viewer = account_viewer("calendar")
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("family.account"))
    token = calendar.renew_token(db.session, viewer.member)
    db.session.commit()
    url = url_for("family.calendar_feed", token=token, _external=True)
    return _account(new_calendar_url=url, new_calendar_qr=qr_svg(url, _("QR code of your calendar address")))


@bp.route("/account/calendar/revoke", methods=["POST"])
@family_required
def account_calendar_revoke():
    viewer = account_viewer("calendar")
    if EmptyForm().validate_on_submit():
        calendar.revoke_token(db.session, viewer.member)
        db.session.commit()
        flash(_("Your calendar address no longer works."), "info")
    return redirect(url_for("family.account"))


@bp.route("/account/export.json")
@family_required
def export_json():
    data = pages.self_export(current_viewer())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="neustart-my-data.json"'
    return response


@bp.route("/account/export.html")
@family_required
def export_html():
    viewer = current_viewer()
    response = Response(render_family_page("family/export.html", viewer, data=pages.self_export(viewer)))
    response.headers["Content-Disposition"] = 'attachment; filename="neustart-my-data.html"'
    return response


# --- installable app --------------------------------------------------------------

@bp.route("/sw.js")
def service_worker():
    """Served from the root so that it may control the whole site; it caches only static files."""
    static = current_app.static_folder
    body = render_template("family/sw.js", version=static_files.worker_version(static),
                           static_urls=[url_for("static", filename=f) for f in static_files.OFFLINE_FILES])
    return Response(body, mimetype="text/javascript")
