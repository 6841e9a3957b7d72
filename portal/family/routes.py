from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from portal.access import family_required
from portal.db import db
from portal.family import bp
from portal.family.plan import plan_page


@bp.route("/")
@family_required
def home():
    return redirect(url_for("family.plan"))


@bp.route("/plan")
@family_required
def plan():
    return render_template("family/plan.html", page=plan_page(db.session, current_user))


@bp.route("/help-now")
def help_now():
    """Reachable without signing in, linked from every page."""
    return render_template("family/help_now.html")
