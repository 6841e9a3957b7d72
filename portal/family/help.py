"""Help that does not need the database: "Help now", the offline page, and the safety
screen after "I don't feel safe".

Help now and the offline page run no database statement at all (`without_database`):
the national numbers are in the template, the office's own crisis lines in the
configuration (`OFFICE_CRISIS_LINES`), and how to speak to a signed-in child or youth
comes from their signed cookie (`sessions.reader`). A configuration is the same on
every host and needs no store that could itself be down; the office's crisis lines
change seldom. "I don't feel safe" needs the database to tell the caseworker; when it
is down, the child or youth is told plainly that the message did not arrive, and is
shown the numbers all the same.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from portal import sessions, sharing
from portal.access import without_database
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.extensions import login_manager
from portal.family import answers, bp, current_viewer
from portal.family.pages import render_family_page
from portal.forms import dialable
from portal.models import Member
from portal.notifications import events as notify


def check_crisis_lines(lines) -> None:
    """At start-up: every configured crisis line has a name and a number that can be dialled."""
    for line in lines:
        if not (isinstance(line, dict) and line.get("name") and dialable(str(line.get("phone", "")))):
            raise RuntimeError(
                'OFFICE_CRISIS_LINES must be a JSON list of {"name": …, "phone": …, "hours": …} '
                f"with a phone number that can be dialled; this one is not: {line!r}")


@bp.route("/help-now")
@without_database
def help_now():
    """Reachable without signing in, linked from every page."""
    described = sessions.reader()
    return render_family_page("family/help_now.html", sharing.Reader.of_cookie(described),
                              signed_in=described is not None, crisis_lines=current_app.config["OFFICE_CRISIS_LINES"])


@bp.route("/offline")
@without_database
def offline():
    """The page the service worker shows without a connection; holds nothing personal."""
    return render_template("family/offline.html")


@bp.route("/not-safe", methods=["POST"])
def not_safe():
    """"I don't feel safe": an urgent alert to the caseworker, then the help numbers at once."""
    try:
        member = current_user._get_current_object()
        if not isinstance(member, Member):
            if current_user.is_authenticated:
                abort(404)
            return redirect(url_for("auth.login", next=request.full_path))
        viewer = current_viewer()
        if not viewer.may_raise_alert():
            abort(404)
        if EmptyForm().validate_on_submit():
            alert = answers.raise_safety_alert(viewer)
            notify.safety_alert_raised(db.session, alert)
            db.session.commit()
            flash(_("Your caseworker has been told that you do not feel safe. "
                    "They may not read it at once, and this is not an emergency service: "
                    "if you are in danger now, call one of these numbers."), "warning")
    except sa.exc.OperationalError:
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()  # nothing may query the database now
        flash(not_reached_message(sharing.Reader.of_cookie(sessions.reader())), "error")
    return redirect(url_for("family.help_now"))


def not_reached_message(reader: sharing.Reader | None) -> str:
    if reader is not None and reader.child:
        return pgettext("child", "Your message did not get to your caseworker. The portal is not working "
                                 "right now. Are you in danger? Call one of these numbers now.")
    return _("Your message did not reach your caseworker: the portal cannot store it right now. "
             "If you are in danger, call one of these numbers now.")
