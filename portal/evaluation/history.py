"""The demo office's history: some eighty fictional families over the last thirty months.

Generated deterministically (a fixed seed; every date counted back from today, so the
history stays current) through the domain functions the portal itself uses: cases are
opened, change phase and caseworker through `portal.evaluation.facts`, plans are
published by `portal.publishing`, families agree, answer appointments and ask questions
through `portal.family.answers`, and each child's facts are saved by `facts.record_care`,
which checks them like the case page does. Each step runs under `db.backdated(when)`, so
it is dated the day it happened. No figure is written anywhere: the evaluation finds
them in these events.

History families have no accounts (no sign-in names, no passwords). Petra Lange
(`demo.caseworker`) carries fourteen of them in every phase, with open questions,
answers to coming appointments and one disagreement with a plan version, so that her
workspace shows the shape of a real caseload.
"""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.db import backdated
from portal.evaluation import facts
from portal.family import answers
from portal.models import (
    Appointment,
    AppointmentType,
    Audience,
    Case,
    ItemKind,
    Member,
    MemberKind,
    Phase,
    Placement,
    PlanItem,
    ReentryReason,
    StaffUser,
    Team,
)

SEED = 13
FAMILIES = 64
MONTHS = 30
SURNAMES = [
    "Albers", "Arslan", "Bauer", "Becker", "Berger", "Brandt", "Busch", "Demir", "Dietrich", "Ebert", "Engel",
    "Fischer", "Frank", "Fuchs", "Graf", "Günther", "Haas", "Hahn", "Hartmann", "Heinrich", "Herrmann", "Horn",
    "Jansen", "Jung", "Kaiser", "Kaya", "Keller", "Klein", "Koch", "Köhler", "König", "Kowalski", "Krämer",
    "Krause", "Kuhn", "Lang", "Lehmann", "Lorenz", "Ludwig", "Maier", "Marx", "Meyer", "Möller", "Morozov",
    "Neumann", "Otto", "Pohl", "Popescu", "Richter", "Roth", "Sauer", "Schäfer", "Scholz", "Schreiber",
    "Schulz", "Schwarz", "Seidel", "Simon", "Stein", "Thomas", "Ulrich", "Vogt", "Voigt", "Walter", "Weber",
    "Weiß", "Werner", "Wolf", "Yıldız", "Ziegler", "Zimmermann", "Beck", "Böhm", "Franke", "Haase", "Kraus",
    "Lindner", "Martin", "Peters", "Schmitt", "Schuster", "Stahl", "Winkler", "Wagner",
]
PARENTS = ["Sandra", "Nicole", "Melanie", "Katrin", "Aylin", "Olena", "Marco", "Thomas", "Stefan", "Dennis",
           "Sevgi", "Irina", "Jana", "Christian", "Mehmet", "Tanja"]
CHILDREN = ["Lea", "Finn", "Emma", "Noah", "Mila", "Ben", "Lina", "Elias", "Sofia", "Paul", "Hanna", "Luca",
            "Ela", "Emil", "Nele", "Yusuf", "Amira", "Milan", "Zoe", "Leon"]
PLACEMENTS = [Placement.residential] * 10 + [Placement.foster] * 5 + [Placement.custody] * 3 + [Placement.other] * 2
STEPS = [
    ("Begleiteter Besuch in der Einrichtung", ItemKind.milestone),
    ("Ein ganzer Tag zu Hause", ItemKind.milestone),
    ("Erste Übernachtung zu Hause", ItemKind.milestone),
    ("Die Eltern besuchen den Elternkurs", ItemKind.step),
    ("Fester Tagesablauf zu Hause", ItemKind.goal),
]
QUESTIONS = ["Wann ist das nächste Gespräch?", "Können wir den Besuch auf Samstag legen?",
             "Wer bringt die Kinder zur Schule?", "Brauchen wir für das Gericht noch Unterlagen?"]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class _Family:
    """One history family as it is drawn; the events are then played in date order."""

    def __init__(self, rng: random.Random, number: int, today: date, team: str, caseworker: str) -> None:
        self.number, self.team, self.caseworker = number, team, caseworker
        self.surname = SURNAMES[number % len(SURNAMES)]
        self.start = today - timedelta(days=rng.randint(10, MONTHS * 30))
        self.parents = rng.sample(PARENTS, rng.choice((1, 2, 2)))
        self.children = [(name, rng.randint(3, 17)) for name in rng.sample(CHILDREN, rng.choice((1, 1, 2, 2, 3)))]
        self.placement = rng.choice(PLACEMENTS)
        self.in_care_before = rng.choice((20, 90, 200, 400, 700, 1100, 1600))
        durations = [rng.randint(20, 50), rng.randint(25, 60), rng.randint(60, 160), rng.randint(10, 30),
                     rng.randint(180, 330)]
        # The return is not possible: closed after planning. Not for the oldest families: every
        # closing stays younger than the retention period, so `purge-expired` keeps the history.
        self.gives_up = rng.random() < 0.12 and (today - self.start).days < 600
        self.phases: list[tuple[Phase, date]] = [(Phase.clarification, self.start)]
        day = self.start
        for phase, length in zip((Phase.planning, Phase.preparation, Phase.return_, Phase.aftercare, Phase.closed),
                                 durations):
            day = day + timedelta(days=length)
            if self.gives_up and phase is Phase.preparation:
                phase = Phase.closed
            if day > today:
                break
            self.phases.append((phase, day))
            if phase is Phase.closed:
                break
        self.returned_on = next((d for p, d in self.phases if p is Phase.return_), None)
        self.reentry: tuple[date, ReentryReason] | None = None
        if self.returned_on and rng.random() < 0.2:
            reentered = self.returned_on + timedelta(days=rng.randint(30, 240))
            if reentered < today:
                self.reentry = (reentered, rng.choice(list(ReentryReason)))
        self.change_on = self.start + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.2 else None
        self.agrees = rng.random() < 0.8
        self.comes = [rng.random() < 0.8 for _ in range(4)]
        self.questions = rng.randint(0, 2)
        self.rate = Decimal(rng.choice((260, 310))) if self.placement is Placement.residential and rng.random() < 0.2 else None
        self.question_hours = [rng.choice((2, 5, 20, 26, 50, 70)) for _ in range(self.questions)]
        self.seed = rng.random()


def _assignment(rng: random.Random, number: int) -> tuple[str, str]:
    """Team and first caseworker: Petra carries families 0–13, the rest is spread over both teams."""
    if number < 14:
        return "nord", "demo.nord.peters" if number in (3, 9) else "demo.caseworker"
    if number < 40:
        return "nord", rng.choice(("demo.other", "demo.nord.peters", "demo.caseworker"))
    return "sued", rng.choice(("demo.sued.aydin", "demo.sued.hoffmann", "demo.sued.nowak"))


def load(session: Session, teams: dict[str, Team], staff: dict[str, StaffUser], today: date | None = None) -> None:
    today = today or date.today()
    rng = random.Random(SEED)
    families = []
    for number in range(FAMILIES):
        team, caseworker = _assignment(rng, number)
        family = _Family(rng, number, today, team, caseworker)
        if number < 14:  # Petra's: one in every phase first, then the rest open
            family.start = today - timedelta(days=(10, 45, 100, 160, 230, 600, 60, 150, 165, 300, 25, 120, 200, 500)[number])
            family = _reshape(family, rng, today)
        families.append(family)
    for family in families:
        _play(session, family, teams, staff, today)


def _reshape(family: _Family, rng: random.Random, today: date) -> _Family:
    """Petra's families: phases from their (chosen) start, none given up, so every phase is there."""
    number, team, caseworker = family.number, family.team, family.caseworker
    state = random.Random(SEED * 1000 + number)
    redrawn = _Family(state, number, today, team, caseworker)
    redrawn.start = family.start
    redrawn.gives_up = False
    lengths = iter((30, 35, 90, 14, 240))
    redrawn.phases = [(Phase.clarification, redrawn.start)]
    day = redrawn.start
    for phase in (Phase.planning, Phase.preparation, Phase.return_, Phase.aftercare, Phase.closed):
        day = day + timedelta(days=next(lengths))
        if day > today - timedelta(days=1):
            break
        redrawn.phases.append((phase, day))
    redrawn.returned_on = next((d for p, d in redrawn.phases if p is Phase.return_), None)
    redrawn.reentry = None
    redrawn.change_on = redrawn.start + timedelta(days=15) if number in (3, 9) else None
    redrawn.agrees = number != 7  # family 7 disagrees with its latest plan version
    return redrawn


def _play(session: Session, family: _Family, teams: dict[str, Team], staff: dict[str, StaffUser],
          today: date) -> None:
    carer = staff[family.caseworker]
    lead = staff["demo.lead" if family.team == "nord" else "demo.sued.lead"]
    with backdated(_at(family.start, 9)):
        case = facts.open_case(session, teams[family.team], f"Familie {family.surname}",
                               f"H-{family.start.year}-{family.number + 101:04d}", primary=carer, by=carer)
        parents = [Member(case=case, kind=MemberKind.parent, display_name=name, birth_year=family.start.year - 35,
                          language="de") for name in family.parents]
        children = [Member(case=case, kind=MemberKind.youth if age >= 12 else MemberKind.child, display_name=name,
                           birth_year=family.start.year - age, language="de") for name, age in family.children]
        session.add_all(parents + children)
        session.flush()
        entered = family.start - timedelta(days=family.in_care_before)
        for child in children:
            facts.record_care(session, child, facts.CareFacts(entered_care_on=entered, placement=family.placement,
                                                              daily_rate=family.rate), by=carer)
    if family.change_on and family.change_on < today:
        successor = staff["demo.caseworker" if family.team == "nord" else "demo.sued.hoffmann"]
        if successor is carer:
            successor = staff["demo.other"]
        with backdated(_at(family.change_on, 11)):
            facts.assign(session, case, successor, None, by=lead)
            carer = successor
    plan = case_plan(session, case)
    version = None
    family_spoke = False  # appointments and questions happen while the case is open, as in the portal

    def family_speaks() -> None:
        _appointments(session, case, family, parents, today)
        if version is not None and parents:
            _questions(session, case, family, parents[0], carer, version, today)

    for phase, day in family.phases[1:]:
        if phase is Phase.closed and not family_spoke:
            family_speaks()
            family_spoke = True
        with backdated(_at(day, 10)):
            facts.change_phase(session, case, phase, by=carer)
            if phase is Phase.preparation:
                version = _publish(session, plan, carer, family, parents, first=True)
        if phase is Phase.preparation and family.number % 3 == 0 and day + timedelta(days=40) < today:
            with backdated(_at(day + timedelta(days=40), 14)):
                version = _publish(session, plan, carer, family, parents, first=False)
    if family.returned_on:  # the children's way home, recorded when it last changed
        ended = next((d for p, d in family.phases if p is Phase.closed), None)
        reentered, reason = family.reentry or (None, None)
        with backdated(_at(max(d for d in (family.returned_on, ended, reentered) if d), 12)):
            for child in children:
                record = facts.care_record(session, child)
                facts.record_care(session, child, _with(record, returned_on=family.returned_on, aftercare_ended_on=ended,
                                                        reentered_on=reentered, reentry_reason=reason), by=carer)
    if not family_spoke:
        family_speaks()


def case_plan(session: Session, case: Case):
    from portal.models import Plan

    return session.query(Plan).filter(Plan.case_id == case.id).one()


def _with(record, **changes) -> facts.CareFacts:
    current = facts.CareFacts.of(record)
    return facts.CareFacts(**{**current.__dict__, **changes})


def _publish(session: Session, plan, author: StaffUser, family: _Family, parents: list[Member], first: bool):
    if first:
        for position, (text, kind) in enumerate(STEPS[: 3 + family.number % 3], start=1):
            session.add(PlanItem(plan=plan, kind=kind, text=text, audience=Audience.family, position=position))
    else:
        session.add(PlanItem(plan=plan, kind=ItemKind.milestone, text="Ein Wochenende zu Hause",
                             audience=Audience.family, position=len(plan.items) + 1))
    session.flush()
    latest = publishing.latest_version(session, plan)
    version = publishing.publish(session, plan, author, "Unser gemeinsamer Plan." if first else "Der nächste Schritt.",
                                 latest.number if latest else 0)
    if parents:
        agrees = family.agrees or first
        answers.respond_to_version(sharing.Viewer(session, parents[0]), version, agrees,
                                   "" if agrees else "Das geht uns zu schnell.")
        if len(parents) > 1 and agrees:
            answers.respond_to_version(sharing.Viewer(session, parents[1]), version, True, "")
    return version


def _appointments(session: Session, case: Case, family: _Family, parents: list[Member], today: date) -> None:
    """A plan conference at the start, visits during preparation, and (for open cases) one coming up."""
    days = [family.start + timedelta(days=14)]
    days += [d + timedelta(days=30) for p, d in family.phases if p is Phase.preparation]
    if family.phases[-1][0] is not Phase.closed:
        days.append(today + timedelta(days=3 + family.number % 10))
    for index, day in enumerate(days):
        kind = AppointmentType.plan_conference if index == 0 else AppointmentType.visit
        created = min(day - timedelta(days=7), today)
        with backdated(_at(created, 8)):
            appointment = Appointment(case=case, type=kind, audience=Audience.family,
                                      starts_at=_at(day, 15), ends_at=_at(day, 16))
            session.add(appointment)
            session.flush()
            if parents and index < len(family.comes):
                answers.answer_appointment(sharing.Viewer(session, parents[0]), appointment, family.comes[index],
                                           "" if family.comes[index] else "Wir sind krank.")


def _questions(session: Session, case: Case, family: _Family, parent: Member, carer: StaffUser, version,
               today: date) -> None:
    item = version.items[0]
    count = family.questions + (1 if family.number in (0, 2, 5, 11) else 0)  # Petra has open questions
    for index in range(count):
        asked = min(version.published_at + timedelta(days=3 + 9 * index), _at(today, 8) - timedelta(hours=30))
        with backdated(asked):
            question = answers.ask_question(sharing.Viewer(session, parent), item,
                                            QUESTIONS[(family.number + index) % len(QUESTIONS)])
        hours = family.question_hours[index] if index < len(family.question_hours) else None
        recent = asked > _at(today, 8) - timedelta(days=4)
        if hours is not None and not recent and not (family.number < 14 and index == count - 1):
            question.reply = "Danke für Ihre Frage, ich rufe Sie an."
            question.replied_at = asked + timedelta(hours=hours)
            question.replied_by_id = carer.id
    session.flush()
