from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal import audit, invitations, sessions
from portal.auth import bp
from portal.auth.forms import EmptyForm, LanguageForm, SignInForm, StartForm
from portal.db import db
from portal.i18n import LANGUAGE_NAMES, LOCALE_COOKIE
from portal.models import Member, StaffUser
from portal.passwords import FAMILY_MINIMUM, password_problem, verify_password

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


def _sign_in(model: type[Member] | type[StaffUser], form: SignInForm):
    """Shared by both sign-in pages: one generic answer for every failure."""
    username = form.username.data.strip().lower()
    principal = db.session.scalar(sa.select(model).where(sa.func.lower(model.username) == username))
    ok, new_hash = verify_password(principal.password_hash if principal else None, form.password.data)
    if not ok or not principal.is_active:
        audit.record_now("signin.failure", outcome="denied", actor=None)
        return None
    if new_hash:
        principal.password_hash = new_hash
    sessions.start(db.session, principal)
    login_user(principal)
    audit.record(db.session, "signin", actor=principal)
    db.session.commit()
    return principal


@bp.route("/login", methods=["GET", "POST"])
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
def staff_login():
    form = SignInForm()
    if form.validate_on_submit():
        if _sign_in(StaffUser, form):
            return redirect(safe_next(url_for("staff.caseload")))
        flash(str(GENERIC_FAILURE), "error")
    return render_template("auth/staff_login.html", form=form)


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
            audit.record_now("invitation.failure", outcome="denied", actor=None)
        else:
            problem = invitations.username_problem(db.session, username, invitation.member)
            if problem == "format":
                form.username.errors.append(_("Please use 3 to 40 characters: small letters, digits, dot, dash or underscore."))
            elif problem == "taken":
                form.username.errors.append(_("This sign-in name is already taken. Please choose another one."))
            pw_problem = password_problem(form.password.data, username, FAMILY_MINIMUM)
            if pw_problem:
                form.password.errors.append(str(pw_problem))
            if not form.errors:
                member = invitations.redeem_invitation(db.session, form.code.data, username, form.password.data)
                sessions.start(db.session, member)
                login_user(member)
                audit.record(db.session, "invitation.redeemed", case_id=member.case_id, actor=member)
                db.session.commit()
                flash(_("Welcome! Your account is ready."), "info")
                return redirect(url_for("family.home"))
    return render_template("auth/start.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    """The language switcher: saved for a signed-in person, a cookie otherwise."""
    form = LanguageForm()
    form.language.choices = list(LANGUAGE_NAMES.items())
    target = safe_next(url_for("family.home"))
    if not form.validate_on_submit():
        return redirect(target)
    response = redirect(target)
    response.set_cookie(
        LOCALE_COOKIE, form.language.data, max_age=365 * 24 * 3600, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
    )
    if current_user.is_authenticated:
        current_user.language = form.language.data
        db.session.commit()
    return response
