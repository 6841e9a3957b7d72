"""A large fictional office for measuring: `flask bench-data N` (and `flask evaluation-bench-data`).

One generator for both measurements (README "Performance"): the evaluation's whole office
and the speed of family and staff pages at 10,000 cases. Bulk inserts of exactly the rows
the domain functions write — cases with their first phase and caseworker rows, members,
care records, phase changes; the draft plan (goals with steps, milestones; every audience,
chosen people, items entrusted by a parent with and without consent, translations for the
members who read Turkish or Arabic); published versions holding a copy of the draft as
`publishing.publish` makes it (published items with their people and consent rows; the
latest version equals the draft); the parents' answers; appointments (past and coming, some
for chosen people) with answers; the case's caseworker and provider contacts; questions; and
the audit trail of staff reading the case and the family signing in. Generated from a fixed
seed in a few statements per thousand rows. Meant for an empty database of its own (or
one with the demo office only); never for a real office's.

Each team has 12 caseworkers and a lead. Sign-ins (password `neustart-demo`, the demo
second factor for staff): `bench.lead` leads team 1 (cases are dealt to the teams in turn, so
with `cases=N` it leads min(N, 400) cases), `bench.caseworker` carries about 33 of them, and
`bench.parent` is a parent in one of them with a published plan.
"""
from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    Appointment,
    AppointmentAnswer,
    AuditEvent,
    CareRecord,
    Case,
    CaseworkerChange,
    Consent,
    Contact,
    ContentTranslation,
    Delivery,
    Member,
    Message,
    Office,
    PhaseChange,
    Plan,
    PlanItem,
    PlanVersion,
    PublishedItem,
    PushSubscription,
    Question,
    StaffUser,
    Team,
    VersionResponse,
    appointment_person,
    contact_person,
    item_person,
    plan_version_note_person,
    published_item_consent,
    published_item_person,
)

PHASES = ("clarification", "planning", "preparation", "return", "aftercare", "closed")
PLACEMENTS = ("residential",) * 10 + ("foster",) * 5 + ("custody",) * 3 + ("other",) * 2
REASONS = ("safety", "family_crisis", "child_needs", "family_request", "other")
AUDIENCES = ("family",) * 12 + ("adults",) * 4 + ("people",) * 2 + ("staff",) * 2
OWNERS = ("family", "parents", "child", "caseworker", "provider", "network")
MILESTONES = ("Begleiteter Besuch", "Besuch allein", "Tag zu Hause", "Übernachtung", "Wochenende", "Ferien",
              "Rückkehr")
LEAD_CASES = 400  # cases per team when generating by cases: a large team's lead
BATCH = 2000


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _insert(session: Session, target, rows: list[dict]) -> None:
    statement = sa.insert(target)
    for start in range(0, len(rows), BATCH):
        session.execute(statement, rows[start:start + BATCH])


def _next_ids(session: Session, model, count: int) -> list[int]:
    first = (session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
    return list(range(first, first + count))


def _advance_sequences(session: Session, models) -> None:
    """Rows were inserted with ids of their own: PostgreSQL's sequences must move past them,
    or the next row the portal adds (a version published in the bench) takes a used id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))"))


def generate(session: Session, children: int | None = None, teams: int | None = None, password_hash: str = "!",
             seed: int = 10_000, today: date | None = None, *, cases: int | None = None,
             sign_in_hash: str | None = None, totp_secret: str | None = None,
             names: str = "bench") -> dict[str, int]:
    """Add an office whose cases hold `children` children (the evaluation's measure), or exactly
    `cases` cases (the pages' measure); returns row counts.

    `sign_in_hash` (a password hash) and `totp_secret` make `bench.lead`, `bench.caseworker`
    and `bench.parent` able to sign in; everyone else gets `password_hash`. `names` replaces
    "bench" in every sign-in name and file reference (two offices in one database).
    """
    if (children is None) == (cases is None):
        raise ValueError("give either children or cases")
    today = today or date.today()
    rng = random.Random(seed)  # the evaluation's facts: the same sequence as ever
    extra = random.Random(seed + 1)  # the plans, contacts and audit trail around them
    teams = teams or (8 if cases is None else max(1, math.ceil(cases / LEAD_CASES)))
    office = Office(name=f"Jugendamt Großstadt (Messung {names})")
    session.add(office)
    session.flush()
    team_rows = [Team(office_id=office.id, name=f"ASD Messung {n + 1}") for n in range(teams)]
    session.add_all(team_rows)
    session.flush()
    staff = [StaffUser(username=f"{names}.{t.id}.{n}", display_name=f"Fachkraft {t.id}-{n}", role="caseworker",
                       team_id=t.id, password_hash=password_hash) for t in team_rows for n in range(12)]
    leads = [StaffUser(username=f"{names}.lead.{t.id}", display_name=f"Teamleitung {t.id}", role="lead",
                       team_id=t.id, password_hash=password_hash) for t in team_rows]
    first_caseworker = staff[0]
    first_caseworker.username = f"{names}.caseworker"
    leads[0].username = f"{names}.lead"
    for person in (first_caseworker, leads[0]):
        person.password_hash = sign_in_hash or password_hash
        person.totp_secret = totp_secret
    session.add_all(staff + leads)
    session.flush()
    by_team = {t.id: [s.id for s in staff if s.team_id == t.id] for t in team_rows}
    display_names = {s.id: s.display_name for s in staff}

    rows: dict = {key: [] for key in (
        Case, Member, CareRecord, PhaseChange, CaseworkerChange, Plan, PlanVersion, VersionResponse, Appointment,
        AppointmentAnswer, Question, PlanItem, Consent, PublishedItem, Contact, ContentTranslation, AuditEvent,
        Message, Delivery, PushSubscription, item_person, published_item_person, published_item_consent,
        appointment_person, contact_person, plan_version_note_person)}
    estimate = cases if cases is not None else children
    case_ids = iter(_next_ids(session, Case, estimate))
    member_ids = iter(_next_ids(session, Member, estimate * 4))
    plan_ids = iter(_next_ids(session, Plan, estimate))
    version_ids = iter(_next_ids(session, PlanVersion, estimate * 2))
    appointment_ids = iter(_next_ids(session, Appointment, estimate * 6))
    item_ids = iter(_next_ids(session, PlanItem, estimate * 20))
    contact_ids = iter(_next_ids(session, Contact, estimate * 2))
    message_ids = iter(_next_ids(session, Message, estimate))
    published_ids = iter(_next_ids(session, PublishedItem, estimate * 40))
    made = made_cases = 0
    parent_account = False
    while (made < children) if cases is None else (made_cases < cases):
        team = rng.choice(team_rows).id
        if cases is not None:  # dealt in turn: every team's lead has the same load
            team = team_rows[made_cases % teams].id
        carer = rng.choice(by_team[team])
        case_id, plan_id = next(case_ids), next(plan_ids)
        made_cases += 1
        start = today - timedelta(days=rng.randint(5, 900))
        steps = [start]
        for length in (rng.randint(20, 60), rng.randint(25, 60), rng.randint(60, 160), rng.randint(10, 30),
                       rng.randint(180, 330)):
            if steps[-1] + timedelta(days=length) > today:
                break
            steps.append(steps[-1] + timedelta(days=length))
        phase = PHASES[len(steps) - 1]
        rows[Case].append({"id": case_id, "team_id": team, "reference": f"{names.upper()}-{case_id}",
                           "title": f"Familie {case_id}", "phase": phase, "primary_caseworker_id": carer,
                           "created_at": _at(start, 9), "revision": 1})
        rows[Plan].append({"id": plan_id, "case_id": case_id})
        rows[PhaseChange] += [{"case_id": case_id, "phase": PHASES[i], "changed_at": _at(day), "changed_by_id": carer}
                              for i, day in enumerate(steps)]
        rows[CaseworkerChange].append({"case_id": case_id, "caseworker_id": carer, "changed_at": _at(start, 9)})
        if rng.random() < 0.2:
            rows[CaseworkerChange].append({
                "case_id": case_id, "caseworker_id": rng.choice(by_team[team]),
                "changed_at": _at(start + timedelta(days=rng.randint(1, max(1, (today - start).days))), 11)})
        parent = next(member_ids)
        language = extra.choice(("de",) * 8 + ("tr", "ar"))
        parent_row = {"id": parent, "case_id": case_id, "kind": "parent", "display_name": "Elternteil",
                      "birth_year": 1985, "language": language, "easy_read": False, "active": True,
                      "created_at": _at(start, 9), "revision": 1}
        rows[Member].append(parent_row)
        family = [(parent, "parent")]
        returned = steps[3] if len(steps) > 3 else None
        reentered = None
        if returned and rng.random() < 0.12:
            reentered = min(today, returned + timedelta(days=rng.randint(30, 300)))
        entered = start - timedelta(days=rng.randint(10, 1500))
        placement = rng.choice(PLACEMENTS)
        wanted = rng.choice((1, 1, 2, 2, 3))
        for _ in range(wanted if cases is not None else min(wanted, children - made)):
            member_id = next(member_ids)
            age = rng.randint(2, 17)
            kind = "youth" if age >= 12 else "child"
            family.append((member_id, kind))
            rows[Member].append({"id": member_id, "case_id": case_id, "kind": kind, "display_name": "Kind",
                                 "birth_year": start.year - age, "language": "de", "easy_read": False,
                                 "active": True, "created_at": _at(start, 9), "revision": 1})
            rows[CareRecord].append({"member_id": member_id, "case_id": case_id, "entered_care_on": entered,
                                     "placement": placement, "returned_on": returned,
                                     "aftercare_ended_on": steps[5] if len(steps) > 5 else None,
                                     "reentered_on": reentered,
                                     "reentry_reason": rng.choice(REASONS) if reentered else None,
                                     "updated_at": _at(today, 8), "revision": 1})
            made += 1
        draft = _draft_plan(extra, rows, plan_id, family, language, item_ids, _at(start, 9))
        published = len(steps) > 2
        if published:
            days = steps[2:4]
            for number, day in enumerate(days, start=1):
                version_id = next(version_ids)
                note_for_parent = extra.random() < 0.1  # a note only the parent reads
                rows[PlanVersion].append({"id": version_id, "plan_id": plan_id, "number": number, "author_id": carer,
                                          "published_at": _at(day, 14), "note": "Neue Version",
                                          "note_audience": "people" if note_for_parent else "family"})
                if note_for_parent:
                    rows[plan_version_note_person].append({"version_id": version_id, "member_id": parent})
                rows[VersionResponse].append({"version_id": version_id, "member_id": parent,
                                              "agrees": rng.random() < 0.85, "comment": "",
                                              "answered_at": _at(day, 18)})
                _publish(rows, draft, version_id, case_id, published_ids, last=number == len(days))
        if cases is not None and not parent_account and published and phase != "closed" and team == team_rows[0].id:
            parent_row.update(username=f"{names}.parent", password_hash=sign_in_hash or password_hash)
            parent_account = True
        for day in (start + timedelta(days=14), start + timedelta(days=70), start + timedelta(days=150)):
            appointment_id = next(appointment_ids)
            rows[Appointment].append({"id": appointment_id, "case_id": case_id, "type": "visit",
                                      "starts_at": _at(day, 15), "audience": "family", "status": "scheduled",
                                      "created_at": _at(start, 9), "revision": 1})
            if rng.random() < 0.8:
                rows[AppointmentAnswer].append({"appointment_id": appointment_id, "member_id": parent,
                                                "coming": rng.random() < 0.85, "reason": "",
                                                "answered_at": _at(min(day, today), 8)})
        if rng.random() < 0.5:
            asked = _at(start + timedelta(days=rng.randint(1, 60)), 9)
            replied = asked + timedelta(hours=rng.randint(1, 96)) if rng.random() < 0.9 else None
            rows[Question].append({"case_id": case_id, "member_id": parent, "text": "Frage", "asked_at": asked,
                                   "reply": "Antwort" if replied else None, "replied_at": replied, "revision": 1})
        if phase != "closed":
            _around_the_case(extra, rows, office.id, case_id, carer, display_names[carer], family, appointment_ids,
                             contact_ids, message_ids, today)
    ordered = (Case, Plan, PhaseChange, CaseworkerChange, Member, CareRecord, PlanVersion, plan_version_note_person,
               VersionResponse, Appointment, AppointmentAnswer, Question, PlanItem, item_person, Consent,
               PublishedItem, published_item_person, published_item_consent, Contact, contact_person,
               ContentTranslation, AuditEvent, PushSubscription, Message, Delivery, appointment_person)
    for target in ordered:
        _insert(session, target, rows[target])
    _advance_sequences(session, (Case, Member, Plan, PlanVersion, Appointment, PlanItem, PublishedItem, Contact,
                                 Message))
    session.flush()
    counts = {"cases": len(rows[Case]), "children": len(rows[CareRecord]), "members": len(rows[Member]),
              "phase changes": len(rows[PhaseChange]), "versions": len(rows[PlanVersion]),
              "appointments": len(rows[Appointment]), "questions": len(rows[Question])}
    if cases is not None:
        counts |= {"draft items": len(rows[PlanItem]), "published items": len(rows[PublishedItem]),
                   "published item people": len(rows[published_item_person]), "contacts": len(rows[Contact]),
                   "audit events": len(rows[AuditEvent])}
    return counts


def _draft_plan(rng: random.Random, rows: dict, plan_id: int, family: list[tuple[int, str]], language: str,
                item_ids, created: datetime) -> list[dict]:
    """Goals with their steps and the milestones, as the plan editor makes them; with chosen people,
    items a parent entrusted (half of them with a consent) and translations for a parent reading
    another language. Returns the items with `people` and `consents` for publishing."""
    members = [m for m, _kind in family]
    parent = members[0]
    items: list[dict] = []
    position = 0

    def add(kind: str, text: str, parent_id: int | None = None, audience: str | None = None) -> dict:
        nonlocal position
        position += 1
        audience = audience or rng.choice(AUDIENCES)
        entrusted = parent if audience in ("adults", "family") and rng.random() < 0.05 else None
        item = {"id": next(item_ids), "plan_id": plan_id, "kind": kind, "parent_id": parent_id, "text": text,
                "simple_text": f"{text} (einfach)" if kind == "milestone" or rng.random() < 0.3 else None,
                "pictogram": "house" if kind == "milestone" else None, "owner": rng.choice(OWNERS),
                "due_on": (created + timedelta(days=rng.randint(10, 300))).date(),
                "status": rng.choice(("open", "open", "in_progress", "done")), "position": position,
                "audience": audience, "entrusted_by_id": entrusted, "created_at": created, "updated_at": created,
                "revision": 1}
        people = sorted(rng.sample(members, min(len(members), rng.randint(1, 2)))) if audience == "people" else []
        consents = [m for m in members[1:2] if entrusted and rng.random() < 0.5]
        rows[PlanItem].append(item)
        rows[item_person] += [{"item_id": item["id"], "member_id": m} for m in people]
        rows[Consent] += [{"item_id": item["id"], "given_by_id": entrusted, "recipient_id": m,
                           "recorded_at": created} for m in consents]
        translations = {}
        if language != "de" and audience != "staff" and rng.random() < 0.7:
            translations[language] = {"text": f"[{language}] {text}", "checked": rng.random() < 0.5}
            rows[ContentTranslation].append({"object_type": "plan_item", "object_id": item["id"], "field": "text",
                                             "language": language, "text": f"[{language}] {text}",
                                             "checked": translations[language]["checked"], "updated_at": created,
                                             "revision": 1})
        items.append({**item, "people": people, "consents": consents, "translations": translations})
        return item

    for goal_number in range(rng.randint(2, 3)):
        goal = add("goal", f"Ziel {goal_number + 1}: gemeinsam den Alltag planen")
        for step_number in range(rng.randint(1, 4)):
            add("step", f"Schritt {goal_number + 1}.{step_number + 1}: Termin vereinbaren", goal["id"],
                audience=goal["audience"] if rng.random() < 0.7 else None)
    for number in range(rng.randint(2, 4)):
        add("milestone", MILESTONES[number], audience="family")
    return items


PUBLISHED_COLUMNS = ("kind", "text", "simple_text", "pictogram", "owner", "due_on", "status", "position", "audience",
                     "entrusted_by_id")


def _publish(rows: dict, draft: list[dict], version_id: int, case_id: int, published_ids, last: bool) -> None:
    """A version as `publishing.publish` writes it: one published item per draft item, with its
    chosen people and the consent recipients. An earlier version lacks the last item and had
    everything still open."""
    for item in draft if last else draft[:-1]:
        published_id = next(published_ids)
        row = {name: item[name] for name in PUBLISHED_COLUMNS}
        if not last:
            row["status"] = "open"
        rows[PublishedItem].append({"id": published_id, "version_id": version_id, "case_id": case_id,
                                    "item_id": item["id"], "parent_item_id": item["parent_id"],
                                    "translations": item["translations"], **row})
        if item["audience"] == "people":
            rows[published_item_person] += [{"published_item_id": published_id, "member_id": m}
                                            for m in item["people"]]
        rows[published_item_consent] += [{"published_item_id": published_id, "member_id": m}
                                         for m in item["consents"]]


def _around_the_case(rng: random.Random, rows: dict, office_id: int, case_id: int, carer: int, carer_name: str,
                     family: list[tuple[int, str]], appointment_ids, contact_ids, message_ids, today: date) -> None:
    """An open case's coming appointments, its contacts, the parent's notifications and the audit trail."""
    members = [m for m, _kind in family]
    for days in (rng.randint(1, 20), rng.randint(21, 60)):
        appointment_id = next(appointment_ids)
        chosen = rng.random() < 0.2
        rows[Appointment].append({"id": appointment_id, "case_id": case_id,
                                  "type": rng.choice(("visit", "overnight", "plan_conference", "school")),
                                  "starts_at": _at(today + timedelta(days=days), 15),
                                  "ends_at": _at(today + timedelta(days=days), 16), "place": "Jugendamt",
                                  "audience": "people" if chosen else "family", "status": "scheduled",
                                  "created_at": _at(today - timedelta(days=3), 9), "revision": 1})
        if chosen:
            rows[appointment_person].append({"appointment_id": appointment_id, "member_id": members[0]})
    provider_for_parent = rng.random() < 0.2
    caseworker_contact, provider = next(contact_ids), next(contact_ids)
    rows[Contact] += [
        {"id": caseworker_contact, "office_id": office_id, "case_id": case_id, "type": "caseworker",
         "name": carer_name, "phone": "030 5550 1000", "audience": "family", "position": 1, "revision": 1},
        {"id": provider, "office_id": office_id, "case_id": case_id, "type": "provider",
         "name": "Wohngruppe Lindenhof", "phone": "030 5550 2000",
         "audience": "people" if provider_for_parent else rng.choice(("family", "adults")), "position": 2,
         "revision": 1},
    ]
    if provider_for_parent:
        rows[contact_person].append({"contact_id": provider, "member_id": members[0]})
    if rng.random() < 0.3:  # the parent hears by mail (and some on a phone too)
        message_id = next(message_ids)
        sent = _at(today - timedelta(days=rng.randint(0, 30)), 18)
        rows[Message].append({"id": message_id, "uuid": f"{message_id:032x}", "member_id": members[0],
                              "urgent": False, "digest": False, "created_at": sent})
        rows[Delivery].append({"message_id": message_id, "channel": "email",
                               "state": "failed" if rng.random() < 0.05 else "sent", "attempts": 1,
                               "next_attempt_at": sent, "created_at": sent, "finished_at": sent})
        if rng.random() < 0.3:
            rows[PushSubscription].append({"member_id": members[0], "endpoint": f"https://push.invalid/{message_id}",
                                           "p256dh": "p256dh", "auth": "auth", "created_at": sent})
    for back in range(3):
        at = datetime.combine(today - timedelta(days=rng.randint(0, 60)), time(9 + back), tzinfo=UTC)
        rows[AuditEvent].append({"at": at, "actor": f"staff:{carer}", "actor_role": "caseworker",
                                 "actor_name": carer_name, "action": "case.read", "case_id": case_id,
                                 "outcome": "ok"})
    rows[AuditEvent].append({"at": _at(today - timedelta(days=rng.randint(0, 30)), 19),
                             "actor": f"member:{members[0]}", "actor_role": "parent", "action": "signin",
                             "case_id": case_id, "outcome": "ok"})
