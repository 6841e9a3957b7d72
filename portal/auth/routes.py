from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session as cookie, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal import audit, invitations, sessions
from portal.access import staff_required
from portal.auth import bp, throttle, two_factor
from portal.auth.forms import CodeForm, EmptyForm, LanguageForm, PasswordChangeForm, SignInForm, StartForm
from portal.db import db
from portal.i18n import language_choices, set_locale_cookie
from portal.models import Member, Role, StaffUser
from portal.passwords import FAMILY_MINIMUM, STAFF_MINIMUM, password_problem, verify_password
from portal.qr import qr_svg

GENERIC_FAILURE = _l("That did not work. Please check your sign-in name and password.")


def safe_next(default: str) -> str:
    """Only same-site paths are followed after sign-in (no open redirect).

    Browsers read a backslash as a slash and drop tabs and newlines, so
    "/\\evil.example" would lead off-site: such targets are refused outright.
    """
    target = request.values.get("next", "")
    if "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default




def _check_password(model: type[Member] | type[StaffUser], form: SignInForm):
    """Shared by both sign-in pages: one generic answer for every failure, and
    unknown names cost the same time and count against the throttle the same."""
    username = form.username.data.strip().lower()
    principal = db.session.scalar(sa.select(model).where(sa.func.lower(model.username) == username))
    ok, new_hash = verify_password(principal.password_hash if principal else None, form.password.data)
    if not ok or not principal.is_active:
        throttle.failed()
        audit.record_now(audit.Action.signin_failure, outcome="denied", actor=None)
        return None
    if new_hash:
        principal.password_hash = new_hash
    return principal


def _sign_in(model: type[Member], form: SignInForm):
    principal = _check_password(model, form)
    if principal is None:
        return None
    sessions.start(db.session, principal)
    login_user(principal)
    audit.record(db.session, audit.Action.signin, actor=principal)
    db.session.commit()
    return principal


@bp.route("/login", methods=["GET", "POST"])
@throttle.by_name_and_address
def login():
    if current_user.is_authenticated and isinstance(current_user._get_current_object(), Member):
        return redirect(url_for("family.home"))
    form = SignInForm()
    if form.validate_on_submit():
        if _sign_in(Member, form):
            return redirect(safe_next(url_for("family.home")))
        flash(str(GENERIC_FAILURE), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/staff/login", methods=["GET", "POST"])
@throttle.by_name_and_address
def staff_login():
    """Step one for staff: the password opens only a pending session; the
    second factor (enrolment on first sign-in) completes it."""
    form = SignInForm()
    if form.validate_on_submit():
        staff = _check_password(StaffUser, form)
        if staff:
            sessions.start(db.session, staff, second_factor_done=False)
            db.session.commit()
            step = "auth.staff_code" if staff.totp_secret else "auth.staff_enrol"
            return redirect(url_for(step, next=safe_next(url_for("staff.caseload"))))
        flash(str(GENERIC_FAILURE), "error")
    return render_template("auth/staff_login.html", form=form)


def _complete_staff_sign_in(staff: StaffUser) -> None:
    """A fresh identifier for the full session (the pending one is dropped)."""
    sessions.end_current(db.session)
    sessions.start(db.session, staff, second_factor_done=True)
    login_user(staff)
    audit.record(db.session, audit.Action.signin, actor=staff)


@bp.route("/staff/login/code", methods=["GET", "POST"])
@throttle.by_staff_and_address
def staff_code():
    """Step two: a code from the authenticator app, or one recovery code."""
    pending = sessions.pending_staff(db.session)
    if pending is None:
        return redirect(url_for("auth.staff_login"))
    _row, staff = pending
    if not staff.totp_secret:
        return redirect(url_for("auth.staff_enrol", next=safe_next(url_for("staff.caseload"))))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        if two_factor.use_totp(staff, code) or two_factor.use_recovery_code(db.session, staff, code):
            _complete_staff_sign_in(staff)
            db.session.commit()
            return redirect(safe_next(url_for("staff.caseload")))
        throttle.failed()
        audit.record_now(audit.Action.signin_second_factor_failure, outcome="denied", actor=None)
        form.code.errors.append(_("This code did not work. Please enter the current code from your app."))
    return render_template("auth/staff_code.html", form=form)


@bp.route("/staff/login/enrol", methods=["GET", "POST"])
@throttle.by_staff_and_address
def staff_enrol():
    """First sign-in: set up the authenticator app. The new secret waits in the
    signed cookie until a first code confirms it; only then is it stored."""
    pending = sessions.pending_staff(db.session)
    if pending is None:
        return redirect(url_for("auth.staff_login"))
    _row, staff = pending
    if staff.totp_secret:
        return redirect(url_for("auth.staff_code", next=safe_next(url_for("staff.caseload"))))
    secret = cookie.get("totp_enrol") or two_factor.new_secret()
    cookie["totp_enrol"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_factor.enrol(db.session, staff, secret, form.code.data)
        if codes is not None:
            _complete_staff_sign_in(staff)
            audit.record(db.session, audit.Action.two_factor_enrolled, actor=staff)
            db.session.commit()
            # Shown once in this answer (never stored in plain, never cached).
            return render_template("auth/staff_recovery_codes.html", codes=codes,
                                   next_url=safe_next(url_for("staff.caseload")))
        throttle.failed()
        form.code.errors.append(_("This code did not work. Please enter the current code from your app."))
    uri = two_factor.provisioning_uri(secret, staff.username, current_app.config["OFFICE_NAME"])
    return render_template("auth/staff_enrol.html", form=form, secret=secret,
                           qr=qr_svg(uri, _("QR code for your authenticator app")))


@bp.route("/staff/password", methods=["GET", "POST"])
@staff_required()
@throttle.by_signed_in_person
def staff_password():
    """A staff member changes their own password; their other sessions end."""
    form = PasswordChangeForm(STAFF_MINIMUM)
    if form.validate_on_submit() and form.save(db.session, current_user._get_current_object()):
        db.session.commit()
        flash(_("Your password is changed. You were signed out everywhere else."), "info")
        return redirect(url_for("staff.caseload"))
    return render_template("auth/staff_password.html", form=form)


@bp.route("/staff/<int:staff_id>/reset-two-factor", methods=["POST"])
@staff_required(Role.admin)
def reset_two_factor(staff_id: int):
    """An admin resets a colleague's second factor (lost phone): secret and
    recovery codes are cleared and every session of that person ends."""
    form = EmptyForm()
    staff = db.session.get(StaffUser, staff_id)
    if staff is None:
        abort(404)
    if form.validate_on_submit():
        two_factor.reset(db.session, staff)
        audit.record(db.session, audit.Action.two_factor_reset, obj=staff)
        db.session.commit()
        flash(_("The second factor of %(name)s was reset. They set it up again at their next sign-in.",
                name=staff.display_name), "info")
    return redirect(safe_next(url_for("staff.caseload")))


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        was_staff = current_user.is_authenticated and isinstance(current_user._get_current_object(), StaffUser)
        sessions.end_current(db.session)
        logout_user()
        db.session.commit()
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.staff_login" if was_staff else "auth.login"))
    return redirect(url_for("auth.login"))


CODE_MESSAGES = {
    invitations.InvitationProblem.unknown: _l("We could not find this code. Please check it letter by letter, or ask your caseworker for a new letter."),
    invitations.InvitationProblem.used: _l("This code has already been used. If you set up your account already, please sign in. Otherwise ask your caseworker for a new letter."),
    invitations.InvitationProblem.expired: _l("This code is no longer valid. Please ask your caseworker for a new letter."),
}


@bp.route("/start", methods=["GET", "POST"])
@throttle.by_name_and_address
def start():
    """Redeem an invitation. The QR code on the letter links here with ?code=."""
    form = StartForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:80]
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        try:
            invitation = invitations.find_invitation(db.session, form.code.data)
        except invitations.InvitationError as error:
            form.code.errors.append(str(CODE_MESSAGES[error.problem]))
            throttle.failed()
            audit.record_now(audit.Action.invitation_failure, outcome="denied", actor=None)
        else:
            problem = invitations.username_problem(db.session, username, invitation.member)
            if problem == "format":
                form.username.errors.append(_("Please use 3 to 40 characters: small Latin letters a–z, digits, dot, dash or underscore; start with a letter or digit."))
            elif problem == "taken":
                form.username.errors.append(_("This sign-in name is already taken. Please choose another one."))
            pw_problem = password_problem(form.password.data, username, FAMILY_MINIMUM)
            if pw_problem:
                form.password.errors.append(str(pw_problem))
            if not form.errors:
                member = invitations.redeem_invitation(db.session, form.code.data, username, form.password.data)
                sessions.start(db.session, member)
                login_user(member)
                audit.record(db.session, audit.Action.invitation_redeemed, case_id=member.case_id, actor=member)
                db.session.commit()
                flash(_("Welcome! Your account is ready."), "info")
                return redirect(url_for("family.home"))
    return render_template("auth/start.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    """The language switcher: saved for a signed-in person, a cookie otherwise."""
    form = LanguageForm()
    form.language.choices = language_choices()
    target = safe_next(url_for("family.home"))
    if not form.validate_on_submit():
        return redirect(target)
    response = redirect(target)
    set_locale_cookie(response, form.language.data)
    if current_user.is_authenticated:
        current_user.language = form.language.data
        db.session.commit()
        sessions.remember_reader(current_user._get_current_object())  # help now (no database) speaks it at once
    return response
