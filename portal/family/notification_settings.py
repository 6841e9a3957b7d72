"""The member's notification settings on the account page, and the one-click unsubscribe.

Thin views: the work is in `portal.notifications.preferences`. The account page
shows the channels (the address the member entered, this phone's push
subscription) and a switch per topic; it works without JavaScript, and
`static/push.js` adds "notifications on this phone" where the browser can.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.access import family_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.extensions import csrf
from portal.family import account_viewer, bp
from portal.family.forms import NotificationEmailForm, NotificationTopicsForm
from portal.models import Member
from portal.notifications import preferences, status


def account_context(member: Member, **forms) -> dict:
    """What the account page's "Notifications" section needs (forms may carry a failed submission)."""
    topics = preferences.topics_for(member)
    switched_off = preferences.opted_out(db.session, member.id)
    email_form = forms.get("notify_email_form") or NotificationEmailForm(
        formdata=None, prefix="notify", data={"email": member.email or ""})
    topics_form = forms.get("notify_topics_form") or NotificationTopicsForm(
        formdata=None, prefix="topics", data={t: t not in switched_off for t in topics})
    return {
        "notify_email_form": email_form,
        "notify_topics_form": topics_form,
        "notify_topics": [(t, preferences.TOPIC_LABELS[t]) for t in topics],
        "push_subscriptions": preferences.push_subscriptions(db.session, member.id),
        "push_public_key": current_app.config["VAPID_PUBLIC_KEY"],
        "notify_status": status.for_members(db.session, [member])[member.id],
    }


def _member() -> Member:
    """The signed-in member, once their viewer says their account page offers notifications."""
    return account_viewer("notifications").member


def _account_page(status_code: int, **forms):
    from portal.family.routes import _account

    return _account(status_code, **forms)


@bp.route("/account/notifications/email", methods=["POST"])
@family_required
def notification_email():
    member = _member()
    form = NotificationEmailForm(prefix="notify")
    if not form.validate_on_submit():
        return _account_page(400, notify_email_form=form)
    preferences.set_email(db.session, member, form.email.data or None)
    db.session.commit()
    flash(_("Your e-mail address for notifications was saved.") if member.email
          else _("You will get no more e-mails from the portal."), "info")
    return redirect(url_for("family.account", _anchor="notifications-title"))


@bp.route("/account/notifications/topics", methods=["POST"])
@family_required
def notification_topics():
    member = _member()
    form = NotificationTopicsForm(prefix="topics")
    if not form.validate_on_submit():
        return _account_page(400, notify_topics_form=form)
    wanted = {topic for topic in preferences.topics_for(member) if getattr(form, topic).data}
    preferences.set_topics(db.session, member, wanted)
    db.session.commit()
    flash(_("Your choice of notifications was saved."), "info")
    return redirect(url_for("family.account", _anchor="notifications-title"))


@bp.route("/account/notifications/push", methods=["POST"])
@family_required
def push_subscribe():
    """Called by static/family.js with the browser's subscription (JSON; CSRF token in X-CSRFToken)."""
    member = _member()
    data = request.get_json(silent=True) or {}
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    valid = (isinstance(endpoint, str) and endpoint.startswith("https://") and len(endpoint) <= 2048
             and isinstance(p256dh, str) and 0 < len(p256dh) <= 200 and isinstance(auth, str) and 0 < len(auth) <= 64)
    if not valid or not current_app.config["VAPID_PUBLIC_KEY"]:
        return {"ok": False}, 400
    preferences.add_push_subscription(db.session, member, endpoint, p256dh, auth)
    db.session.commit()
    return {"ok": True}, 201


@bp.route("/account/notifications/push/<int:subscription_id>/remove", methods=["POST"])
@family_required
def push_remove(subscription_id: int):
    member = _member()
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not preferences.remove_push_subscription(db.session, member, subscription_id):
        abort(404)
    db.session.commit()
    flash(_("This device gets no more notifications."), "info")
    return redirect(url_for("family.account", _anchor="notifications-title"))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """One click, no sign-in (RFC 8058). GET only shows a button: link scanners and previews
    change nothing.

    CSRF: this route is exempt so that a mail program's one-click POST
    (`List-Unsubscribe=One-Click`, no token, no cookie) works. Such a POST is
    authorised by the signed token in the address, which a forging site cannot
    know, and it can only switch mail off. Any other POST (the confirm button)
    is checked for the CSRF token as everywhere else.
    """
    one_click = request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST" and not one_click:
        csrf.protect()
    found = preferences.read_unsubscribe_token(token)
    member = db.session.get(Member, found[0]) if found else None
    if member is None:
        abort(404)
    topic = found[1]
    if request.method != "POST":  # GET and HEAD (link scanners) change nothing
        return render_template("family/unsubscribe.html", member=None, form=EmptyForm(), done=False,
                               topic_label=_topic_label(topic))
    preferences.switch_off(db.session, member, topic)
    db.session.commit()
    if one_click:
        return "", 200
    return render_template("family/unsubscribe.html", member=None, form=None, done=True,
                           topic_label=_topic_label(topic))


def _topic_label(topic: str) -> str:
    return str(preferences.TOPIC_LABELS.get(topic, _("All notifications")))
