"""Walking the access matrix: personas, URL arguments, one request per rule and method.

The table itself is data in `tests/access_matrix.py`; this module turns a row into
requests: it fills the rule's arguments with the ids of one family's objects
("sommer" or "winter"), signs the persona in through the real forms, and reduces
each answer to what the table states (a status, or which sign-in a redirect goes to).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.db import Base
from portal.demo import PASSWORD
from portal.models import (
    Appointment,
    AppointmentAnswer,
    Case,
    Consent,
    Contact,
    Plan,
    PlanItem,
    PublishedItem,
    PushSubscription,
    Question,
    Role,
    SafetyAlert,
    StaffUser,
    VersionResponse,
)
from portal.notifications import preferences
from portal.passwords import hash_password
from tests.access_matrix import ANONYMOUS, OTHER_LEAD, PERSONAS
from tests.conftest import csrf_token, staff
from tests.factories import make_appointment, make_contact, make_staff

SKIPPED_ENDPOINTS = {"static"}  # files, not pages; their headers are checked in test_headers
# Methods every rule answers by the framework; HEAD is checked together with GET.
FRAMEWORK_METHODS = {"HEAD", "OPTIONS"}
# POST rules walked last: each ends or changes the persona's own session.
LAST = ("auth.logout",)


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: Rule


def routes(app: Flask) -> list[Route]:
    """Every (endpoint, method) of the url map; POSTs after GETs, session-ending ones last."""
    found = [Route(rule.endpoint, method, rule) for rule in app.url_map.iter_rules()
             if rule.endpoint not in SKIPPED_ENDPOINTS for method in sorted(rule.methods - FRAMEWORK_METHODS)]
    return sorted(found, key=lambda r: (r.method != "GET", r.endpoint in LAST, r.endpoint))


def family_ids(session, title: str) -> dict[str, int | str]:
    """One id of every kind of object of the case titled `title`, for every URL argument name.

    A consent, a question and a safety alert are added (the demo has none of them),
    so every staff route has an object to name. Items and appointments are ones the
    whole family sees, so a persona's 404 is about the persona, not the object.
    """
    case = session.scalar(sa.select(Case).where(Case.title == title))
    plan_id = session.scalar(sa.select(Plan.id).where(Plan.case_id == case.id))
    parents = sorted((m for m in case.members if m.kind.value == "parent"), key=lambda m: m.id)
    shared_item = session.scalar(
        sa.select(PlanItem).join(PublishedItem, PublishedItem.item_id == PlanItem.id)
        .where(PlanItem.plan_id == plan_id, PublishedItem.audience == "family").order_by(PlanItem.id).limit(1))
    item = shared_item or session.scalar(sa.select(PlanItem).where(PlanItem.plan_id == plan_id).limit(1))
    consent = Consent(item=item, given_by=parents[0], recipient=case.members[-1])
    question = Question(case_id=case.id, member_id=parents[0].id, text="Wann ist das Gespräch?")
    alert = SafetyAlert(case_id=case.id, member_id=parents[0].id)
    device = PushSubscription(member_id=parents[0].id, endpoint=f"https://push.example.org/{case.id}",
                              p256dh="BPk", auth="x")
    session.add_all([consent, question, alert, device])
    session.flush()
    appointment = session.scalar(sa.select(Appointment.id).where(Appointment.case_id == case.id).order_by(
        Appointment.audience != "family", Appointment.id).limit(1)) or make_appointment(session, case).id
    answer = AppointmentAnswer(appointment_id=appointment, member_id=parents[0].id, coming=False, reason="krank")
    version_id = session.scalar(sa.select(PublishedItem.version_id).where(PublishedItem.case_id == case.id)
                                .order_by(PublishedItem.version_id.desc()).limit(1))
    response = VersionResponse(version_id=version_id, member_id=parents[0].id, agrees=False, comment="Zu schnell")
    session.add_all([answer, response])
    session.flush()
    contact = session.scalar(sa.select(sa.func.min(Contact.id)).where(Contact.case_id == case.id))
    return {
        "case_id": case.id, "member_id": parents[0].id, "item_id": item.id, "consent_id": consent.id,
        "question_id": question.id, "alert_id": alert.id, "appointment_id": appointment,
        "subscription_id": device.id,
        "answer_id": answer.id, "response_id": response.id,
        "contact_id": contact or make_contact(session, case).id,
        "office_contact_id": session.scalar(sa.select(sa.func.min(Contact.id)).where(Contact.case_id.is_(None))),
        # Not ids: a language of a translation, a direction, a previewed page, a calendar secret.
        "language": "en", "direction": "up", "page": "plan", "token": "not-a-real-token",
        # The link in a notification mail: whoever holds it may switch that mail off.
        "unsubscribe_token": preferences.unsubscribe_token(parents[0].id, "plan"),
        # Staff the admin manages (not the signed-in persona itself, whose session must live on).
        "staff_id": staff(session, "demo.other").id,
    }


# Arguments that mean another object on one route than the name says elsewhere.
RENAMED_ARGUMENTS = {("staff.directory_edit", "contact_id"): "office_contact_id",
                     ("family.unsubscribe", "token"): "unsubscribe_token"}


def url(route: Route, ids: dict) -> str:
    ids = {**ids, **{name: ids[source] for (endpoint, name), source in RENAMED_ARGUMENTS.items()
                     if endpoint == route.endpoint}}
    missing = set(route.rule.arguments) - set(ids)
    assert not missing, f"{route.rule.rule}: no value for <{'>, <'.join(sorted(missing))}> in matrix_walk.family_ids"
    return route.rule.build({name: ids[name] for name in route.rule.arguments}, append_unknown=False)[1]


def outcome(response) -> int | str:
    """A status, or for a redirect to a sign-in page which one ("login" / "staff_login")."""
    if response.status_code == 302:
        location = response.headers["Location"].split("?")[0]
        for name, path in (("staff_login", "/staff/login"), ("login", "/login")):
            if location.endswith(path):
                return name
    return response.status_code


def other_lead(session) -> StaffUser:
    """A lead of a team of their own (another team than the Sommer and Winter cases')."""
    return make_staff(session, role=Role.lead, password_hash=hash_password(PASSWORD))


def client_of(app: Flask, client_for, session, persona: str) -> FlaskClient:
    """A client signed in as `persona` (a key of `PERSONAS`)."""
    persona = PERSONAS[persona]
    if persona == ANONYMOUS:
        return app.test_client()
    if persona == OTHER_LEAD:
        username = other_lead(session).username
        session.commit()
        return client_for(username)
    return client_for(persona)


def any_csrf_token(client: FlaskClient) -> str:
    """A valid CSRF token of this client's session, from the first page it may open with a form."""
    for page in ("/account", "/staff/cases/new", "/staff/admin/staff", "/login"):
        response = client.get(page)
        if response.status_code == 200 and 'name="csrf_token"' in response.text:
            return csrf_token(response.text)
    raise AssertionError("no page with a form for this persona")


def data_rows(session) -> dict[str, list[tuple]]:
    """Every row of every table but the audit log (reads by staff are audited)."""
    return {name: sorted(map(tuple, session.execute(sa.select(table)).all()), key=repr)
            for name, table in Base.metadata.tables.items() if name != "audit_event"}


__all__ = ["PERSONAS", "Route", "any_csrf_token", "client_of", "data_rows", "family_ids", "outcome", "routes", "url"]
