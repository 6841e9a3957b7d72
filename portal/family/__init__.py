"""The family's pages: home, plan, path home, appointments, contacts, account."""
from flask import Blueprint
from flask_login import current_user

from portal import sharing
from portal.db import db

bp = Blueprint("family", __name__)


def current_viewer() -> sharing.Viewer:
    """The signed-in member's viewer (behind `family_required`): every family surface asks it."""
    return sharing.viewer(db.session, current_user._get_current_object())


from portal.family import checkins, help, notification_settings, routes, wording  # noqa: E402,F401
