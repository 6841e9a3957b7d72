"""The family's pages. Thin views: load through `portal.sharing`, check, call, render.

Every page's data comes from a builder in `portal.family.pages` taking
`(session, member)`, so the caseworker's "preview as" renders the same pages.
"""
from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import calendar, sessions, sharing
from portal.access import family_required
from portal.auth import throttle
from portal.auth.forms import EmptyForm, PasswordChangeForm
from portal.db import db
from portal.family import answers, bp, pages
from portal.family.forms import (
    AppointmentAnswerForm,
    QuestionForm,
    SettingsForm,
    VersionResponseForm,
)
from portal.family.glossary import TERMS as GLOSSARY_TERMS
from portal.i18n import language_choices
from portal.models import Appointment, Member, MemberKind
from portal.passwords import FAMILY_MINIMUM


def _member() -> Member:
    return current_user._get_current_object()


def _signed_in_member() -> Member | None:
    """For the public glossary: the family member reading, if any."""
    return _member() if current_user.is_authenticated and isinstance(_member(), Member) else None


@bp.route("/")
@family_required
def home():
    """A child lands on the path home; everyone else on their overview."""
    if current_user.kind is MemberKind.child:
        return redirect(url_for("family.path"))
    return render_template("family/home.html", **pages.home_page(db.session, _member()))


@bp.route("/seen", methods=["POST"])
@family_required
def mark_seen():
    """"Got it": what is new now counts as seen (viewing alone never does)."""
    if EmptyForm().validate_on_submit():
        version = pages.latest_version(db.session, _member())
        answers.mark_seen(db.session, _member(), version.number if version else None)
        db.session.commit()
        flash(_("Marked as seen."), "info")
    return redirect(url_for("family.home"))


# --- plan -----------------------------------------------------------------------

@bp.route("/plan")
@family_required
def plan():
    return render_template("family/plan.html", **pages.plan_page(db.session, _member()))


@bp.route("/plan/print")
@family_required
def plan_print():
    return render_template("family/plan_print.html", **pages.plan_page(db.session, _member()))


@bp.route("/plan/items/<int:item_id>/questions", methods=["GET", "POST"])
@family_required
def ask(item_id: int):
    """Ask about one plan item. The plan page holds the same form; errors land here."""
    member = _member()
    item = answers.visible_item_or_none(db.session, member, item_id)
    if item is None or not answers.may_answer(member):
        abort(404)
    form = QuestionForm()
    if form.validate_on_submit():
        answers.ask_question(db.session, member, item, form.text.data)
        db.session.commit()
        flash(_("Thank you. Your question was sent to your caseworker."), "info")
        return redirect(url_for("family.plan", _anchor=f"item-{item_id}"))
    return render_template("family/ask.html", member=member, item=item, form=form)


@bp.route("/plan/response", methods=["GET", "POST"])
@family_required
def respond():
    """Agree or disagree with the current plan version, with a comment."""
    member = _member()
    version = pages.latest_version(db.session, member)
    if version is None or not answers.may_answer(member):
        abort(404)
    form = VersionResponseForm()
    if form.validate_on_submit():
        answers.respond_to_version(db.session, member, version, form.agrees.data == "yes", form.comment.data or "")
        db.session.commit()
        flash(_("Thank you. Your answer to the plan was saved."), "info")
        return redirect(url_for("family.plan", _anchor="agreement"))
    return render_template("family/respond.html", member=member, version=version, form=form)


# --- path -----------------------------------------------------------------------

@bp.route("/path")
@family_required
def path():
    return render_template("family/path.html", **pages.path_page(db.session, _member()))


# --- appointments ---------------------------------------------------------------

@bp.route("/appointments")
@family_required
def appointments():
    return render_template("family/appointments.html", **pages.appointments_page(db.session, _member()))


@bp.route("/appointments/<int:appointment_id>", methods=["GET", "POST"])
@family_required
def appointment(appointment_id: int):
    """One appointment; the answer form posts here (errors are shown here too)."""
    member = _member()
    context = pages.appointment_page(db.session, member, appointment_id)
    form = AppointmentAnswerForm()
    if form.is_submitted():
        found: Appointment = context["appointment"]
        if not answers.may_answer(member):
            abort(404)
        if form.validate():
            try:
                answers.answer_appointment(db.session, member, found, form.coming.data == "yes", form.reason.data or "")
            except answers.NotAllowed:
                flash(_("This appointment was cancelled, so it cannot be answered any more."), "error")
                return redirect(url_for("family.appointment", appointment_id=appointment_id))
            db.session.commit()
            flash(_("Thank you. Your answer was sent."), "info")
            return redirect(url_for("family.appointments", _anchor=f"appointment-{appointment_id}"))
    return render_template("family/appointment.html", **context, form=form)


@bp.route("/appointments/<int:appointment_id>.ics")
@family_required
def appointment_ics(appointment_id: int):
    found = sharing.get_visible_or_404(db.session, _member(), Appointment, appointment_id)
    return _ics_response(calendar.to_ics([found], _("NeuStart")), f"appointment-{appointment_id}.ics")


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The member's private subscription: no sign-in, the secret in the address is the key."""
    member = calendar.member_for_token(db.session, token)
    if member is None:
        abort(404)
    return _ics_response(calendar.to_ics(calendar.visible_appointments(db.session, member), _("NeuStart")))


def _ics_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- contacts and glossary ------------------------------------------------------------

@bp.route("/contacts")
@family_required
def contacts():
    return render_template("family/contacts.html", **pages.contacts_page(db.session, _member()))


@bp.route("/glossary")
def glossary():
    """The words of the process in plain words; public like help now."""
    member = _signed_in_member()
    return render_template("family/glossary.html", member=member, terms=GLOSSARY_TERMS,
                           simple=pages.reads_simply(member))


# --- account ------------------------------------------------------------------------

def _settings_form(member: Member) -> SettingsForm:
    form = SettingsForm(prefix="settings", data={"language": member.language, "easy_read": member.easy_read})
    form.language.choices = language_choices()
    return form


def _account(status: int = 200, **forms):
    member = _member()
    context = {"settings_form": _settings_form(member), "password_form": PasswordChangeForm(FAMILY_MINIMUM, prefix="password"),
               "new_calendar_url": None, **forms}
    return render_template("family/account.html", **pages.account_page(db.session, member), **context), status


@bp.route("/account")
@family_required
def account():
    return _account()


@bp.route("/account/settings", methods=["POST"])
@family_required
def account_settings():
    member = _member()
    form = _settings_form(member)
    if not form.validate_on_submit():
        return _account(400, settings_form=form)
    member.language = form.language.data
    member.easy_read = form.easy_read.data
    db.session.commit()
    sessions.remember_reader(member)  # help now, without the database, speaks so from now on
    flash(_("Your settings were saved."), "info")
    return redirect(url_for("family.account"))


@bp.route("/account/password", methods=["POST"])
@family_required
@throttle.by_signed_in_person
def account_password():
    """A new password ends the member's other sessions (a phone left elsewhere is signed out)."""
    member = _member()
    form = PasswordChangeForm(FAMILY_MINIMUM, prefix="password")
    if form.validate_on_submit() and form.save(db.session, member):
        db.session.commit()
        flash(_("Your password was changed. Other devices are now signed out."), "info")
        return redirect(url_for("family.account"))
    return _account(400, password_form=form)


@bp.route("/account/calendar", methods=["POST"])
@family_required
def account_calendar_renew():
    """Make a new calendar address and show it once (only its hash is kept)."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("family.account"))
    token = calendar.renew_token(db.session, _member())
    db.session.commit()
    url = url_for("family.calendar_feed", token=token, _external=True)
    return _account(new_calendar_url=url)


@bp.route("/account/calendar/revoke", methods=["POST"])
@family_required
def account_calendar_revoke():
    if EmptyForm().validate_on_submit():
        calendar.revoke_token(db.session, _member())
        db.session.commit()
        flash(_("Your calendar address no longer works."), "info")
    return redirect(url_for("family.account"))


@bp.route("/account/export.json")
@family_required
def export_json():
    data = pages.self_export(db.session, _member())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="neustart-my-data.json"'
    return response


@bp.route("/account/export.html")
@family_required
def export_html():
    data = pages.self_export(db.session, _member())
    response = Response(render_template("family/export.html", data=data, member=_member()))
    response.headers["Content-Disposition"] = 'attachment; filename="neustart-my-data.html"'
    return response


# --- installable app --------------------------------------------------------------

@bp.route("/sw.js")
def service_worker():
    """Served from the root so that it may control the whole site; it caches only static files."""
    return send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript")
