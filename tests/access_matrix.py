"""The access matrix (SECURITY.md properties 1–3): every rule of `app.url_map` × method × persona.

Plain data, read by `tests/test_access_matrix.py`. An entry is what a persona gets
when the rule's URL arguments are filled with the ids of the Sommer family's
objects (`tests/matrix_walk.family_ids`): a status code, or for a redirect to a
sign-in page the page's name ("login" for families, "staff_login" for staff).
POST rows are for a valid CSRF token and an otherwise empty form; GET rows hold
for HEAD too.

Filled with the ids of another family (Winter, carried by demo.other) instead,
every route that takes an id answers 404 to the Sommer family members and to
demo.caseworker; that is checked by the same walk (`OTHER_FAMILY_DENIED`).

Adding a route: add a line `"blueprint.endpoint": {"GET": ..., "POST": ...}` below,
built with the helpers (`family`, `staff_case`, `staff_only`, `everyone`); if the
route takes an argument no other route has, give it a value in
`matrix_walk.family_ids`. Without a row the suite fails (`test_every_rule_has_a_row`).
"""
from __future__ import annotations

# Persona → sign-in name. "other.lead" is created by the test (a lead of a team of
# their own, with the demo second-factor secret); "anonymous" is not signed in.
PERSONAS = {
    "parent_a": "demo.parent", "parent_b": "demo.parent2", "youth": "demo.youth", "child": "demo.child",
    "other_parent": "demo.other.parent", "caseworker": "demo.caseworker", "unassigned": "demo.other",
    "lead": "demo.lead", "other_lead": "other.lead", "admin": "demo.admin", "head": "demo.head",
    "anonymous": "anonymous",
}
OTHER_LEAD = "other.lead"
ANONYMOUS = "anonymous"

SOMMER_FAMILY = ("parent_a", "parent_b", "youth", "child")
STAFF = ("caseworker", "unassigned", "lead", "other_lead", "admin", "head")
# Who reads the evaluation: each lead their own team, the department head every team (aggregates only).
EVALUATION = ("lead", "other_lead", "head")
FAMILY = (*SOMMER_FAMILY, "other_parent")
# With the other family's ids, these personas get 404 on every route that takes an id.
OTHER_FAMILY_DENIED = (*SOMMER_FAMILY, "caseworker")


def _row(default: int | str, anonymous: int | str, **outcomes: int | str) -> dict[str, int | str]:
    return {persona: outcomes.get(persona, anonymous if persona == "anonymous" else default) for persona in PERSONAS}


def family(own: int | str = 200, other_parent: int | str | None = None, **outcomes) -> dict[str, int | str]:
    """A family page: the Sommer members get `own`, the other family's parent `other_parent`
    (404 where the URL names a Sommer object), staff 404, anonymous the family sign-in."""
    other_parent = own if other_parent is None else other_parent
    return _row(404, "login", **{**{p: own for p in SOMMER_FAMILY}, "other_parent": other_parent, **outcomes})


def staff_case(ok: int | str = 200) -> dict[str, int | str]:
    """A route of the Sommer case: its caseworker and its team's lead only; everyone else 404
    (the unassigned caseworker, the other team's lead, the admin and the department head too:
    properties 7 and 35)."""
    return _row(404, "staff_login", caseworker=ok, lead=ok)


def staff_only(ok: int | str, *who: str, **exceptions: int | str) -> dict[str, int | str]:
    """A staff route for the roles in `who`; families and other staff 404 (`exceptions` per persona)."""
    return _row(404, "staff_login", **{**{p: ok for p in who}, **exceptions})


def everyone(outcome: int | str) -> dict[str, int | str]:
    return _row(outcome, outcome)


EXPECTED: dict[str, dict[str, dict[str, int | str]]] = {
    # --- sign-in and public pages ---------------------------------------------------
    "auth.login": {"GET": _row(200, 200, **{p: 302 for p in FAMILY}),
                   "POST": _row(200, 200, **{p: 302 for p in FAMILY})},  # signed-in members are sent home
    "auth.logout": {"POST": _row("staff_login", "login", **{p: "login" for p in FAMILY})},
    "auth.language": {"POST": everyone(302)},
    "auth.start": {"GET": everyone(200), "POST": everyone(200)},  # empty form: shown again with errors
    "auth.staff_login": {"GET": everyone(200), "POST": everyone(200)},
    # The code and enrolment steps exist only halfway through a staff sign-in.
    "auth.staff_code": {"GET": everyone("staff_login"), "POST": everyone("staff_login")},
    "auth.staff_enrol": {"GET": everyone("staff_login"), "POST": everyone("staff_login")},
    "auth.staff_password": {"GET": staff_only(200, *STAFF), "POST": staff_only(200, *STAFF)},
    "auth.reset_two_factor": {"POST": staff_only(302, "admin")},
    "family.help_now": {"GET": everyone(200)},
    "family.glossary": {"GET": everyone(200)},
    "family.offline": {"GET": everyone(200)},
    "family.service_worker": {"GET": everyone(200)},
    "family.calendar_feed": {"GET": everyone(404)},  # the token is the key; a wrong one is not there
    # --- family pages -----------------------------------------------------------------
    "family.home": {"GET": family(200, child=302)},  # a child lands on the path home
    "family.plan": {"GET": family()},
    "family.plan_print": {"GET": family()},
    "family.path": {"GET": family()},
    "family.appointments": {"GET": family()},
    "family.contacts": {"GET": family()},
    "family.account": {"GET": family()},
    "family.export_html": {"GET": family()},
    "family.export_json": {"GET": family()},
    # The walk's appointment is the plan conference: a child's viewer shows only time together
    # (visits, overnight stays, school, therapy), on the detail page and in its .ics as on the list.
    "family.appointment": {"GET": family(200, 404, child=404), "POST": family(200, 404, child=404)},
    "family.appointment_ics": {"GET": family(200, 404, child=404)},
    "family.ask": {"GET": family(200, 404, child=404), "POST": family(200, 404, child=404)},
    "family.ask_plan": {"POST": family(404)},  # no item chosen: nothing to ask about
    "family.respond": {"GET": family(200, child=404), "POST": family(200, child=404)},
    "family.mark_seen": {"POST": family(302)},
    # Check-ins (issue 15): Anna, Jonas and Mia are asked; Daniel and the other family's parent are
    # not, and see a page that says so. An empty answer is refused with a message (400), as is an
    # answer from someone who is not asked.
    "family.checkin": {"GET": family(), "POST": family(400)},
    "family.not_safe": {"POST": family(302, 404, parent_a=404, parent_b=404)},  # for children and youth
    # A child's account page keeps to the password, their data and signing out: the other
    # account actions are not there for a child (the viewer's `account_sections`).
    "family.account_settings": {"POST": family(302, child=404)},
    "family.account_password": {"POST": family(400)},
    "family.account_calendar_renew": {"POST": family(200, child=404)},  # shows the new address once
    "family.account_calendar_revoke": {"POST": family(302, child=404)},
    "family.notification_email": {"POST": family(302, child=404)},  # an empty address: no mail
    "family.notification_topics": {"POST": family(302, child=404)},  # nothing ticked: every topic off
    "family.push_subscribe": {"POST": family(400, child=404)},  # JSON from static/family.js, not a form
    "family.push_remove": {"POST": family(404, 404, parent_a=302)},  # Anna's own device only
    # The signed token from a notification mail is the key: whoever holds it sees the confirm page
    # and may switch that mail off (a POST with the page's token; one-click without: RFC 8058).
    "family.unsubscribe": {"GET": everyone(200), "POST": everyone(200)},
    # --- staff without a case ---------------------------------------------------------
    # The admin's is a start page without cases; the department head is sent to the evaluation.
    "staff.caseload": {"GET": staff_only(200, *STAFF, head=302)},
    "staff.case_new": {"GET": staff_only(200, "caseworker", "unassigned", "lead", "other_lead"),
                       "POST": staff_only(400, "caseworker", "unassigned", "lead", "other_lead")},
    "staff.directory": {"GET": staff_only(200, "lead", "other_lead", "admin"),
                        "POST": staff_only(400, "lead", "other_lead", "admin")},
    "staff.directory_edit": {"GET": staff_only(200, "lead", "other_lead", "admin"),
                             "POST": staff_only(400, "lead", "other_lead", "admin")},
    "staff.audit_log": {"GET": staff_only(200, "lead", "other_lead")},  # each lead sees their team's
    "staff.evaluation": {"GET": staff_only(200, *EVALUATION)},  # aggregates of the reader's teams only
    "staff.evaluation_csv": {"GET": staff_only(200, *EVALUATION)},
    "staff.evaluation_xlsx": {"GET": staff_only(200, *EVALUATION)},
    # The inbox across cases: whoever carries cases (the admin reaches none, so has none).
    "staff.inbox_all": {"GET": staff_only(200, "caseworker", "unassigned", "lead", "other_lead")},
    "staff.admin_staff": {"GET": staff_only(200, "admin"), "POST": staff_only(400, "admin")},
    "staff.admin_staff_edit": {"GET": staff_only(200, "admin"), "POST": staff_only(400, "admin")},
    "staff.admin_staff_deactivate": {"POST": staff_only(302, "admin")},
    # --- staff routes of the Sommer case ----------------------------------------------
    "staff.case": {"GET": staff_case()},
    "staff.history": {"GET": staff_case()},
    "staff.inbox": {"GET": staff_case()},
    "staff.plan": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.publish": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.preview_as": {"GET": staff_case()},
    "staff.item_edit": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.step_add": {"POST": staff_case(400)},  # the walk's item is a goal
    "staff.item_remove": {"GET": staff_case(), "POST": staff_case(409)},  # no revision sent: treated as stale
    "staff.plan_order": {"POST": staff_case(409)},  # no items sent: not the siblings of any group
    "staff.case_translations": {"GET": staff_case()},
    "staff.translation_export": {"GET": staff_case()},  # a .po file for the interpreter service
    "staff.translation_import": {"POST": staff_case(400)},
    "staff.translations": {"GET": staff_case()},
    "staff.translation_save": {"POST": staff_case(409)},  # no revision sent: treated as stale
    "staff.appointment_translations": {"GET": staff_case()},
    "staff.appointment_translation_save": {"POST": staff_case(409)},
    "staff.contact_translations": {"GET": staff_case()},
    "staff.contact_translation_save": {"POST": staff_case(409)},
    "staff.appointments": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.appointment_edit": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.contacts": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.contact_edit": {"GET": staff_case(), "POST": staff_case(400)},
    "staff.member_add": {"POST": staff_case(400)},
    "staff.member_edit": {"POST": staff_case(400)},
    "staff.phase_change": {"POST": staff_case(400)},
    "staff.consent_add": {"POST": staff_case(400)},
    "staff.question_reply": {"POST": staff_case(400)},
    "staff.assignment": {"POST": _row(404, "staff_login", lead=400)},  # the team's lead assigns
    # Buttons without fields: a valid token is the whole form.
    "staff.alert_acknowledge": {"POST": staff_case(302)},
    "staff.answer_handled": {"POST": staff_case(302)},
    "staff.response_handled": {"POST": staff_case(302)},
    "staff.appointment_cancel": {"POST": staff_case(302)},
    "staff.consent_withdraw": {"POST": staff_case(302)},
    "staff.item_done": {"POST": staff_case(302)},
    "staff.item_duplicate": {"POST": staff_case(302)},
    "staff.item_move": {"POST": staff_case(302)},
    "staff.member_deactivate": {"POST": staff_case(302)},
    # Check-ins of the case: the trends page, who is asked (an empty form chooses no rhythm: 400),
    # and a warning marked as seen (an empty form names no open warning and has no note: 400).
    "staff.checkins": {"GET": staff_case()},
    "staff.checkin_settings": {"POST": staff_case(400)},
    "staff.checkin_seen": {"POST": staff_case(400)},
    # Care facts belong to children and youths; the walk's member is a parent, who has none.
    "staff.care_facts": {"POST": staff_case(404)},
    "staff.invitation_create": {"POST": staff_case(200)},  # the printable letter
}
