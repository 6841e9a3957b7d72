"""A large fictional office for measuring the evaluation: `flask evaluation-bench-data`.

Bulk inserts of the same shape the domain functions write (cases with their first phase
and caseworker rows, members, care records, phase changes, published versions with the
parents' answers, appointments with answers, questions), generated from a fixed seed in
a few statements per thousand rows: 10,000 children take well under a minute. Meant for an
empty database of its own (see README "Performance"); never for a real office's.
"""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    Appointment,
    AppointmentAnswer,
    CareRecord,
    Case,
    CaseworkerChange,
    Member,
    Office,
    PhaseChange,
    Plan,
    PlanVersion,
    Question,
    StaffUser,
    Team,
    VersionResponse,
)

PHASES = ("clarification", "planning", "preparation", "return", "aftercare", "closed")
PLACEMENTS = ("residential",) * 10 + ("foster",) * 5 + ("custody",) * 3 + ("other",) * 2
REASONS = ("safety", "family_crisis", "child_needs", "family_request", "other")
BATCH = 2000


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _insert(session: Session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(sa.insert(model), rows[start:start + BATCH])


def _next_ids(session: Session, model, count: int) -> list[int]:
    first = (session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
    return list(range(first, first + count))


def generate(session: Session, children: int = 10_000, teams: int = 8, password_hash: str = "!",
             seed: int = 10_000, today: date | None = None) -> dict[str, int]:
    """Add an office of `teams` teams whose cases hold `children` children; returns row counts."""
    today = today or date.today()
    rng = random.Random(seed)
    office = Office(name="Jugendamt Großstadt (Messung)")
    session.add(office)
    session.flush()
    team_rows = [Team(office_id=office.id, name=f"ASD Messung {n + 1}") for n in range(teams)]
    session.add_all(team_rows)
    session.flush()
    staff = [StaffUser(username=f"bench.{t.id}.{n}", display_name=f"Fachkraft {t.id}-{n}", role="caseworker",
                       team_id=t.id, password_hash=password_hash) for t in team_rows for n in range(12)]
    session.add_all(staff)
    session.flush()
    by_team = {t.id: [s.id for s in staff if s.team_id == t.id] for t in team_rows}

    cases, members, records, phases, carers, plans, versions, responses = [], [], [], [], [], [], [], []
    appointments, answers, questions = [], [], []
    case_ids = iter(_next_ids(session, Case, children))
    member_ids = iter(_next_ids(session, Member, children * 3))
    plan_ids = iter(_next_ids(session, Plan, children))
    version_ids = iter(_next_ids(session, PlanVersion, children * 2))
    appointment_ids = iter(_next_ids(session, Appointment, children * 3))
    made = 0
    while made < children:
        team = rng.choice(team_rows).id
        carer = rng.choice(by_team[team])
        case_id, plan_id = next(case_ids), next(plan_ids)
        start = today - timedelta(days=rng.randint(5, 900))
        steps = [start]
        for length in (rng.randint(20, 60), rng.randint(25, 60), rng.randint(60, 160), rng.randint(10, 30),
                       rng.randint(180, 330)):
            if steps[-1] + timedelta(days=length) > today:
                break
            steps.append(steps[-1] + timedelta(days=length))
        phase = PHASES[len(steps) - 1]
        cases.append({"id": case_id, "team_id": team, "reference": f"BENCH-{case_id}", "title": f"Familie {case_id}",
                      "phase": phase, "primary_caseworker_id": carer, "created_at": _at(start, 9), "revision": 1})
        plans.append({"id": plan_id, "case_id": case_id})
        phases += [{"case_id": case_id, "phase": PHASES[i], "changed_at": _at(day), "changed_by_id": carer}
                   for i, day in enumerate(steps)]
        carers.append({"case_id": case_id, "caseworker_id": carer, "changed_at": _at(start, 9)})
        if rng.random() < 0.2:
            carers.append({"case_id": case_id, "caseworker_id": rng.choice(by_team[team]),
                           "changed_at": _at(start + timedelta(days=rng.randint(1, max(1, (today - start).days))), 11)})
        parent = next(member_ids)
        members.append({"id": parent, "case_id": case_id, "kind": "parent", "display_name": "Elternteil",
                        "birth_year": 1985, "language": "de", "easy_read": False, "active": True,
                        "created_at": _at(start, 9), "revision": 1})
        returned = steps[3] if len(steps) > 3 else None
        reentered = None
        if returned and rng.random() < 0.12:
            reentered = min(today, returned + timedelta(days=rng.randint(30, 300)))
        entered = start - timedelta(days=rng.randint(10, 1500))
        placement = rng.choice(PLACEMENTS)
        for _ in range(min(rng.choice((1, 1, 2, 2, 3)), children - made)):
            member_id = next(member_ids)
            age = rng.randint(2, 17)
            members.append({"id": member_id, "case_id": case_id, "kind": "youth" if age >= 12 else "child",
                            "display_name": "Kind", "birth_year": start.year - age, "language": "de",
                            "easy_read": False, "active": True, "created_at": _at(start, 9), "revision": 1})
            records.append({"member_id": member_id, "case_id": case_id, "entered_care_on": entered,
                            "placement": placement, "returned_on": returned,
                            "aftercare_ended_on": steps[5] if len(steps) > 5 else None,
                            "reentered_on": reentered, "reentry_reason": rng.choice(REASONS) if reentered else None,
                            "updated_at": _at(today, 8), "revision": 1})
            made += 1
        if len(steps) > 2:
            for number, day in enumerate(steps[2:4], start=1):
                version_id = next(version_ids)
                versions.append({"id": version_id, "plan_id": plan_id, "number": number, "author_id": carer,
                                 "published_at": _at(day, 14), "note": ""})
                responses.append({"version_id": version_id, "member_id": parent, "agrees": rng.random() < 0.85,
                                  "comment": "", "answered_at": _at(day, 18)})
        for day in (start + timedelta(days=14), start + timedelta(days=70), start + timedelta(days=150)):
            appointment_id = next(appointment_ids)
            appointments.append({"id": appointment_id, "case_id": case_id, "type": "visit", "starts_at": _at(day, 15),
                                 "audience": "family", "status": "scheduled", "created_at": _at(start, 9),
                                 "revision": 1})
            if rng.random() < 0.8:
                answers.append({"appointment_id": appointment_id, "member_id": parent, "coming": rng.random() < 0.85,
                                "reason": "", "answered_at": _at(min(day, today), 8)})
        if rng.random() < 0.5:
            asked = _at(start + timedelta(days=rng.randint(1, 60)), 9)
            replied = asked + timedelta(hours=rng.randint(1, 96)) if rng.random() < 0.9 else None
            questions.append({"case_id": case_id, "member_id": parent, "text": "Frage", "asked_at": asked,
                              "reply": "Antwort" if replied else None, "replied_at": replied, "revision": 1})
    for model, rows in ((Case, cases), (Plan, plans), (PhaseChange, phases), (CaseworkerChange, carers),
                        (Member, members), (CareRecord, records), (PlanVersion, versions),
                        (VersionResponse, responses), (Appointment, appointments), (AppointmentAnswer, answers),
                        (Question, questions)):
        _insert(session, model, rows)
    session.flush()
    return {"cases": len(cases), "children": len(records), "members": len(members), "phase changes": len(phases),
            "versions": len(versions), "appointments": len(appointments), "questions": len(questions)}
