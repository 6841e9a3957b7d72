"""The family's pages: home, plan, path home, appointments, contacts, account."""
from flask import Blueprint, abort
from flask_login import current_user

from portal import sharing
from portal.db import db

bp = Blueprint("family", __name__)


def current_viewer() -> sharing.Viewer:
    """The signed-in member's viewer (behind `family_required`): every family surface asks it."""
    return sharing.viewer(db.session, current_user._get_current_object())


def account_viewer(section: str) -> sharing.Viewer:
    """The viewer for a change of the member's own account in `section`, if their account page
    offers it (a child's does not offer calendars or notifications); else not there (404)."""
    viewer = current_viewer()
    if not viewer.may_act() or section not in viewer.account_sections():
        abort(404)
    return viewer


from portal.family import checkins, help, notification_settings, routes, wording  # noqa: E402,F401
