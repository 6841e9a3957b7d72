"""The one sharing rule (DESIGN.md § 3), the viewer policy, and staff scoping.

A family member sees an object when all of these hold:

1. it belongs to the member's own case (or is an office-wide contact of the
   member's office), and the member's account is active in an open case;
2. for plan items: it is in the latest *published* version;
3. its audience admits the member;
4. it was entrusted by nobody, by this member, or by someone whose recorded
   consent covers this member (§ 65 SGB VIII).

Published plan items carry the audience and consents they were published with;
taking something away must not wait for the next publish, so a published item
is also held back while its draft says the member may no longer see it
(audience narrowed, person unticked, consent withdrawn, now entrusted). Giving
more (a wider draft audience, a new consent) waits for publishing.

Appointments and contacts are live objects. A child sees only the appointments
about time together (`CHILD_APPOINTMENT_TYPES`): no court dates, no conferences.
A question is seen by the member who asked it and by the readers the caseworker
added, a reader only while they may see the plan item it is about.

`Viewer` answers all of it for one member (or a caseworker's preview of one):
which rows (`clause`, `items`, `appointments`, …, and `get` for one object,
else 404) and what the member may do (`may_answer`, `may_ask`, …). Every family
page, detail page, `.ics`, feed, export, news list, notification and "preview
as" takes its answers from a viewer; `may_see` and `visible_to` are the rule's
two forms (one object, SQL filter) that must always agree, and
`tests/test_sharing.py` checks both against every persona and kind of object.

Check-ins (issue 15) are the member's own: `Viewer.own_checkins` gives the member
their answers and nobody else's; whether one is asked now is `checks_in`,
`checkin_due` and `may_check_in` (never in a preview). No other member, page,
export or preview of another member reads them; the case's caseworkers do
(`portal.checkins`, on the staff side).

Staff are scoped in the same module: a caseworker reaches the cases where they
are primary or deputy caseworker, a lead their team's cases, an admin and a
department head none. The evaluation's scope (a lead their team, the head every
team; aggregates only) is decided here too, by `evaluation_teams`.
"""
from __future__ import annotations

import functools
from datetime import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, g, has_app_context, has_request_context
from sqlalchemy.orm import Session, joinedload, lazyload

from portal import audit, checkins, i18n
from portal.db import utcnow
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    AppointmentType,
    AuditEvent,
    Audience,
    Case,
    Checkin,
    Consent,
    Contact,
    ContentTranslation,
    ItemKind,
    ItemStatus,
    Member,
    MemberKind,
    Phase,
    Plan,
    PlanItem,
    PlanVersion,
    PublishedItem,
    Question,
    Role,
    StaffUser,
    Team,
    appointment_person,
    contact_person,
    item_person,
    published_item_consent,
    published_item_person,
    question_reader,
)

Shareable = PublishedItem | Appointment | Contact | Question
S = TypeVar("S", PublishedItem, Appointment, Contact, Question)
SHAREABLE = (PublishedItem, Appointment, Contact, Question)

# A child's pages speak to a child: of what is shared with them, only the
# appointments about time together (no court, no conferences, no "other").
CHILD_APPOINTMENT_TYPES = frozenset(
    {AppointmentType.visit, AppointmentType.overnight, AppointmentType.school, AppointmentType.therapy}
)

# The association table that lists the chosen people of a `people` audience.
_PEOPLE = {
    PublishedItem: (published_item_person, published_item_person.c.published_item_id),
    PlanItem: (item_person, item_person.c.item_id),
    Appointment: (appointment_person, appointment_person.c.appointment_id),
    Contact: (contact_person, contact_person.c.contact_id),
}


# --- family members ---------------------------------------------------------

def account_open(member: Member) -> bool:
    """Rule 1, second half: deactivation and closing a case apply at once."""
    return member.active and member.case.phase is not Phase.closed


class Reader:
    """What can be said of a family member from who they are alone: how to speak to them,
    their menu, whether the safety button is theirs. A family page knows more (`Viewer`);
    the help pages, which must answer with the database down, know only this (from the
    signed cookie, `Reader.of_cookie`), and the safety button's POST asks the viewer again.
    """

    def __init__(self, kind: MemberKind | None, easy_read: bool = False, preview: bool = False):
        self.kind = kind
        self.easy_read = easy_read
        self.preview = preview

    @classmethod
    def of_cookie(cls, described) -> Reader | None:
        """A family member as `sessions.reader()` describes them; None for anyone else."""
        if described is None or described.kind is None:
            return None
        return cls(described.kind, described.easy_read)

    @property
    def child(self) -> bool:
        """A child's pages speak to a child and offer nothing that changes data."""
        return self.kind is MemberKind.child

    @property
    def reads_simply(self) -> bool:
        """Easy-read pages for whoever chose them, and always for a child."""
        return self.easy_read or self.child

    @property
    def read_only(self) -> bool:
        return self.preview

    def navigation(self) -> tuple[str, ...]:
        """The family pages in this member's menu (a child has no adult pages there)."""
        if self.child:
            return ("family.path", "family.appointments", "family.contacts", "family.account")
        return ("family.home", "family.plan", "family.path", "family.appointments", "family.contacts",
                "family.account")

    def may_raise_alert(self) -> bool:
        """"I don't feel safe" is for the young people of the family."""
        return not self.read_only and self.kind in (MemberKind.youth, MemberKind.child)

    def account_sections(self) -> tuple[str, ...]:
        """What the account page offers: a child's keeps to their password, their data and signing out
        (calendar feeds, notification channels and the office's access log are for the grown-ups)."""
        if self.child:
            return ("password", "data", "signout")
        return ("settings", "notifications", "password", "calendar", "openings", "data", "signout")


class Viewer(Reader):
    """Everything a family surface may show or do, for one member.

    `preview=True` is a caseworker looking at the member's pages: the same rows,
    and nothing may be done (no forms, no buttons). SQL clauses are built once
    per viewer; `viewer()` hands out one viewer per member and request.
    """

    def __init__(self, session: Session, member: Member, *, preview: bool = False, now: datetime | None = None):
        if member is None or member.case is None:
            raise LookupError("a viewer needs a member of a case")  # an unknown case is a bug, not a "no"
        super().__init__(member.kind, member.easy_read, preview)
        self.session = session
        self.member = member
        self.now = now or utcnow()
        # The first moment after `now` at which an answer given so far changes by the clock
        # alone (an appointment becomes past): how long a page built from them stays true.
        self.changes_at: datetime | None = None
        self._clauses: dict[type, sa.ColumnElement[bool]] = {}

    @property
    def is_open(self) -> bool:
        return account_open(self.member)

    @property
    def read_only(self) -> bool:
        return self.preview or not self.is_open

    # --- which rows ----------------------------------------------------------
    #
    # The viewer's own lists run statements built once per process and kind of member
    # (`_statement`), with this member's values as bound parameters (`_params`): SQLAlchemy
    # finds their compiled form in its cache without walking the rule again. `clause` is the
    # same rule with the values in it, for statements built elsewhere (once per viewer).

    def clause(self, model: type[S]) -> sa.ColumnElement[bool]:
        """The rule as a WHERE clause for lists of `model` (built once per viewer)."""
        _require_shareable(model)
        if model not in self._clauses:
            self._clauses[model] = self._build_clause(model) if self.is_open else sa.false()
        return self._clauses[model]

    def _build_clause(self, model: type) -> sa.ColumnElement[bool]:
        return _rule(model, Who.of(self.member))

    def _params(self, model: type | None = None, **more) -> dict[str, Any]:
        """This member's values for the bound parameters of `Who.bound` (the office only for contacts)."""
        member = self.member
        params = {"viewer_id": member.id, "viewer_case_id": member.case_id, **more}
        if model is Contact:
            params["viewer_office_id"] = member.case.team.office_id
        return params

    def _rows(self, name: str, model: type | None = None, **params) -> list:
        if not self.is_open:
            return []
        return list(self.session.scalars(_statement(name, self.member.kind), self._params(model, **params)).unique())

    def others_seeing(self, items: list[PublishedItem]) -> dict[int, list[Member]]:
        """For each item the member sees, the other members of the family who see it too."""
        seeing = who_sees(self.session, PublishedItem, [i.item_id for i in items], case_id=self.member.case_id)
        return {item_id: [m for m in members if m.id != self.member.id] for item_id, members in seeing.items()}

    def latest_version(self) -> PlanVersion | None:
        """The case's latest published version (whether or not it shows this member anything)."""
        return self.session.scalar(_LATEST_VERSION, {"case_id": self.member.case_id}) if self.is_open else None

    def shown_version(self) -> PlanVersion | None:
        """The version the member's plan shows: the latest, if it shows them anything."""
        return self._shown()[0]

    def milestones_reached(self) -> tuple[int, int]:
        """(reached, all) of the milestones the member sees: the path home in two numbers."""
        return self._shown()[1:]

    def _shown(self) -> tuple[PlanVersion | None, int, int]:
        # The version and its milestone counts in one statement, asked once per viewer (request).
        if not hasattr(self, "_shown_row"):
            found = (self.session.execute(_statement("shown version", self.member.kind), self._params()).first()
                     if self.is_open else None)
            self._shown_row = (found[0], found[2], found[1]) if found else (None, 0, 0)
        return self._shown_row

    def items(self, kind: ItemKind | None = None, versions: tuple[int, ...] = ()) -> list[PublishedItem]:
        """Published items in plan order: of the latest version, or of the case's versions numbered
        `versions` (in one statement) — as the member may see them *now*: "what changed" asks for
        an earlier one, so that an item the member could not see then is not reported as removed
        or changed now, and one taken away since is not shown again."""
        if versions:
            return self._rows("items of versions", version_numbers=list(versions), item_kinds=_kinds(kind))
        return self._rows("items", item_kinds=_kinds(kind))

    def item(self, item_id: int) -> PublishedItem | None:
        """The latest published form of draft item `item_id`, if this member may see it."""
        found = self._rows("item", item_id=item_id)
        return found[0] if found else None

    def appointments(self) -> list[Appointment]:
        """The appointments the member sees, in time order. The member's own answers and the
        caseworkers' translations into the page's language come in the same statement
        (`answers`, `appointment_translations`)."""
        if not self.is_open:
            self._answers, self._translations = {}, {}
            return []
        # The German text is the binding original: no translation is read for a German page.
        language = i18n.current_language() if has_request_context() else "de"
        rows = self.session.execute(_statement("appointments", self.member.kind),
                                    self._params(viewer_language=language)).unique().all()
        self._answers = {appointment.id: answer for appointment, answer, _ in rows if answer is not None}
        self._translations = i18n.translations_of({row for _, _, row in rows if row is not None})
        return list(dict.fromkeys(appointment for appointment, _, _ in rows))

    def answers(self) -> dict[int, AppointmentAnswer]:
        """The member's own answers to the appointments they see, by appointment id: read with the
        last `appointments()` of this viewer (one request), or now."""
        if getattr(self, "_answers", None) is None:
            self.appointments()
        return self._answers

    def appointment_translations(self) -> dict[int, dict[str, dict]]:
        """The translations of the appointments they see into the page's language (as `answers`)."""
        if getattr(self, "_translations", None) is None:
            self.appointments()
        return self._translations

    def contacts(self) -> list[Contact]:
        return self._rows("contacts", Contact)

    def questions(self) -> list[Question]:
        return self._rows("questions")

    def get(self, model: type[S], id_: int) -> S:
        """One object for a family surface; anything this member may not see is simply not there."""
        _require_shareable(model)
        found = self._rows(f"one {model.__name__}", model, object_id=id_)
        if not found:
            abort(404)
        return found[0]

    def may_see(self, obj: Shareable) -> bool:
        """The predicate form of `clause`, for one loaded object."""
        _require_shareable(type(obj))
        member = self.member
        if not self.is_open:
            return False
        if isinstance(obj, Question):
            if obj.case_id != member.case_id:
                return False
            if obj.member_id == member.id:
                return True
            return any(r.id == member.id for r in obj.readers) and (
                obj.item_id is None or self._may_see_item_now(obj.item_id))
        if isinstance(obj, Contact) and obj.case_id is None:
            if obj.office_id != member.case.team.office_id:
                return False
        elif obj.case_id != member.case_id:
            return False
        if not _audience_admits(obj.audience, obj.people, member):
            return False
        if isinstance(obj, Appointment):
            return not self.child or obj.type in CHILD_APPOINTMENT_TYPES
        if isinstance(obj, PublishedItem):
            latest = self.latest_version()
            if latest is None or obj.version_id != latest.id:
                return False
            if obj.entrusted_by_id not in (None, member.id) and not any(
                    r.id == member.id for r in obj.consent_recipients):
                return False
            return self._draft_admits(obj.item_id)
        return True

    def _may_see_item_now(self, item_id: int) -> bool:
        return self.item(item_id) is not None

    def _draft_admits(self, item_id: int) -> bool:
        draft = self.session.get(PlanItem, item_id)
        if draft is None:  # removed from the draft: the published version still stands
            return True
        member = self.member
        if not _audience_admits(draft.audience, draft.people, member):
            return False
        return draft.entrusted_by_id in (None, member.id) or any(
            c.recipient_id == member.id and c.given_by_id == draft.entrusted_by_id for c in draft.consents)

    def may_read_note(self, version: PlanVersion) -> bool:
        """The note to the family has an audience of its own (never `entrusted`)."""
        return (self.is_open and version.plan.case_id == self.member.case_id
                and (version.note_audience is not Audience.people  # the chosen people only read if needed
                     or _audience_admits(version.note_audience, version.note_people, self.member)))

    # --- what the member may do ------------------------------------------------

    def may_ask(self) -> bool:
        """Parents and youths ask about items; a child's portal changes nothing (DESIGN.md § 2)."""
        return not self.read_only and not self.child

    def may_respond(self) -> bool:
        """Agree or disagree with a plan version."""
        return not self.read_only and not self.child

    def may_answer(self, appointment: Appointment) -> bool:
        """"I will come" / "I cannot come": not a child, not a cancelled or past appointment."""
        return (not self.read_only and not self.child
                and appointment.status is not AppointmentStatus.cancelled and not self.is_past(appointment))

    def may_ask_for_interpreter(self) -> bool:
        """Someone who reads another language than German may ask for an interpreter."""
        return self.member.language not in (None, "de")

    def offers_calendar(self, appointment: Appointment) -> bool:
        """"Add to my calendar" only for what is still ahead (the feed keeps cancellations current)."""
        return (not self.preview and appointment.status is not AppointmentStatus.cancelled
                and not self.is_past(appointment))

    def is_past(self, appointment: Appointment) -> bool:
        over = appointment.ends_at or appointment.starts_at
        if over >= self.now and (self.changes_at is None or over < self.changes_at):
            self.changes_at = over
        return over < self.now

    def may_act(self) -> bool:
        """Settings, password, calendar address, "Got it": the member's own account."""
        return not self.read_only

    # --- check-ins: the member's own answers ------------------------------------------

    def checkin_status(self) -> checkins.Status | None:
        """Whether and how this member is asked now (None: check-ins are off for them)."""
        if not hasattr(self, "_checkin_status"):
            self._checkin_status = checkins.status(self.session, self.member, self.now) if self.is_open else None
        return self._checkin_status

    def checks_in(self) -> bool:
        """Check-ins are switched on for this member (a preview shows it too, read-only)."""
        return self.checkin_status() is not None

    def checkin_due(self) -> bool:
        """Asked, and the current period (week or fortnight) has no answer yet."""
        current = self.checkin_status()
        return current is not None and current.due

    def may_check_in(self) -> bool:
        """Answer (or answer again) now: asked, and not a preview."""
        return not self.read_only and self.checks_in()

    def own_checkins(self, with_replaced: bool = False) -> list[Checkin]:
        """The member's own answers, oldest first; never anyone else's (a preview shows the previewed member's)."""
        return checkins.history(self.session, self.member.id, with_replaced) if self.is_open else []


def viewer(session: Session, member: Member, *, preview: bool = False) -> Viewer:
    """The viewer for `member` in this request (one per member and mode)."""
    if not has_app_context():
        return Viewer(session, member, preview=preview)
    viewers = g.setdefault("viewers", {})
    key = (id(session), member.id, preview)
    if key not in viewers or viewers[key].member is not member:
        viewers[key] = Viewer(session, member, preview=preview)
    return viewers[key]


def may_see(member: Member, obj: Shareable) -> bool:
    """Whether `member` may see this one object (the predicate form)."""
    return Viewer(sa.inspect(obj).session, member).may_see(obj)


def visible_to(member: Member, model: type[S]) -> sa.ColumnElement[bool]:
    """The same rule as a WHERE clause for lists of `model`."""
    return Viewer(sa.inspect(member).session, member).clause(model)


def _require_shareable(model: type) -> None:
    # Draft plan items (and anything else) are never shown to families: asking
    # about them is a programming error, not a "no".
    if model not in SHAREABLE:
        raise TypeError(f"{model.__name__} is not shared with families")


def _audience_admits(audience: Audience, people: list[Member], member: Member) -> bool:
    match audience:
        case Audience.family:
            return True
        case Audience.adults:
            return member.kind is MemberKind.parent
        case Audience.people:
            return any(p.id == member.id for p in people)
        case _:
            return False


@dataclass(frozen=True)
class Who:
    """Whom the rule is asked about: one loaded member (plain values), or every member row
    of a query (columns of `Member`, its case and team), so that "who sees this?" is
    the very same rule as "what does this member see?"."""

    id: Any
    case_id: Any
    office_id: Any
    parent: bool | sa.ColumnElement[bool]
    child: bool | sa.ColumnElement[bool]

    @classmethod
    def of(cls, member: Member) -> Who:
        return cls(member.id, member.case_id, member.case.team.office_id,
                   member.kind is MemberKind.parent, member.kind is MemberKind.child)

    @classmethod
    def rows(cls) -> Who:
        """The columns of a query over `Member` joined with `Case` and `Team`."""
        return cls(Member.id, Member.case_id, Team.office_id,
                   Member.kind == MemberKind.parent, Member.kind == MemberKind.child)

    @classmethod
    def bound(cls, kind: MemberKind) -> Who:
        """Any one member of this kind, as bound parameters whose values come at execution
        (`Viewer._params`): the rule is built once per process, not per member or call."""
        return cls(sa.bindparam("viewer_id", type_=sa.Integer), sa.bindparam("viewer_case_id", type_=sa.Integer),
                   sa.bindparam("viewer_office_id", type_=sa.Integer),
                   kind is MemberKind.parent, kind is MemberKind.child)


def _only_if(condition: bool | sa.ColumnElement[bool], clause: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`clause` where `condition` holds; a plain bool is decided here, so one member's SQL stays simple."""
    if condition is True:
        return clause
    if condition is False:
        return sa.false()
    return sa.and_(condition, clause)


def _required_if(condition: bool | sa.ColumnElement[bool], clause: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`clause` must hold where `condition` holds (and need not elsewhere)."""
    if condition is True:
        return clause
    if condition is False:
        return sa.true()
    return sa.or_(sa.not_(condition), clause)


def _rule(model: type, who: Who) -> sa.ColumnElement[bool]:
    # Every subquery names the tables it reads (`correlate_except`); everything else — the member's
    # row in `who_sees`/`seen_by`, the item a draft question is about — is the enclosing query's,
    # however deep the subquery sits (SQLAlchemy's automatic correlation looks one level up only).
    if model is PublishedItem:
        return _items_of_version(who, PublishedItem.version_id == _latest_version_subquery(who.case_id))
    if model is Question:
        readers = (sa.select(question_reader.c.question_id).where(question_reader.c.member_id == who.id)
                   .correlate_except(question_reader))
        about_visible_item = sa.or_(
            Question.item_id.is_(None),
            Question.item_id.in_(sa.select(PublishedItem.item_id).where(_rule(PublishedItem, who))
                                 .correlate_except(PublishedItem)),
        )
        return sa.and_(
            Question.case_id == who.case_id,
            sa.or_(Question.member_id == who.id, sa.and_(Question.id.in_(readers), about_visible_item)),
        )
    if model is Contact:
        own_case = sa.or_(
            Contact.case_id == who.case_id,
            sa.and_(Contact.case_id.is_(None), Contact.office_id == who.office_id),
        )
        return sa.and_(own_case, _audience_clause(Contact, who))
    return sa.and_(Appointment.case_id == who.case_id, _audience_clause(Appointment, who),
                   _required_if(who.child, Appointment.type.in_(CHILD_APPOINTMENT_TYPES)))


def _items_of_version(who: Who, version: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The published items of the version(s) `version` selects that the member sees now."""
    return sa.and_(
        PublishedItem.case_id == who.case_id,
        version,
        _audience_clause(PublishedItem, who),
        _published_entrusted_clause(who),
        sa.not_(_withheld_by_draft(who)),
    )


def _audience_clause(model: type, who: Who) -> sa.ColumnElement[bool]:
    table, key = _PEOPLE[model]
    chosen = sa.select(key).where(table.c.member_id == who.id).correlate_except(table)
    return sa.or_(
        model.audience == Audience.family,
        sa.and_(model.audience == Audience.people, model.id.in_(chosen)),
        _only_if(who.parent, model.audience == Audience.adults),
    )


def _published_entrusted_clause(who: Who) -> sa.ColumnElement[bool]:
    consented = sa.select(published_item_consent.c.published_item_id).where(
        published_item_consent.c.member_id == who.id
    ).correlate_except(published_item_consent)
    return sa.or_(
        PublishedItem.entrusted_by_id.is_(None),
        PublishedItem.entrusted_by_id == who.id,
        PublishedItem.id.in_(consented),
    )


def _withheld_by_draft(who: Who) -> sa.Exists:
    """The published item's draft (in the member's case) no longer admits the member: its audience
    or consent was narrowed since. Asked of the one draft row by its id (an index lookup per item)."""
    consented = sa.select(Consent.item_id).where(
        Consent.recipient_id == who.id, Consent.given_by_id == PlanItem.entrusted_by_id
    ).correlate_except(Consent)
    admitted = sa.and_(
        _audience_clause(PlanItem, who),
        sa.or_(PlanItem.entrusted_by_id.is_(None), PlanItem.entrusted_by_id == who.id,
               PlanItem.id.in_(consented)),
    )
    return (sa.exists().where(PlanItem.id == PublishedItem.item_id, Plan.id == PlanItem.plan_id,
                              Plan.case_id == who.case_id, sa.not_(admitted))
            .correlate_except(PlanItem, Plan))


def _latest_version_subquery(case_id) -> sa.ScalarSelect[int]:
    return (
        sa.select(PlanVersion.id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.case_id == case_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
        .correlate_except(PlanVersion, Plan)
        .scalar_subquery()
    )


# --- statements built once per process ----------------------------------------------

_LATEST_VERSION = (
    sa.select(PlanVersion).join(Plan, Plan.id == PlanVersion.plan_id)
    .where(Plan.case_id == sa.bindparam("case_id", type_=sa.Integer))
    .order_by(PlanVersion.number.desc()).limit(1)
)
_ITEM_KINDS = tuple(ItemKind)


def _kinds(kind: ItemKind | None) -> list[str]:
    return [k.value for k in (_ITEM_KINDS if kind is None else (kind,))]


@functools.cache
def _statement(name: str, kind: MemberKind) -> sa.Select:
    """The viewer's statement `name` for a member of `kind`, with the rule's bound parameters.

    Built once per process: executing the very same statement object lets SQLAlchemy take its
    compiled form from the cache without walking the rule's clauses again."""
    who = Who.bound(kind)
    in_order = (PublishedItem.position, PublishedItem.id)
    match name:
        case "items":
            return (sa.select(PublishedItem).where(_rule(PublishedItem, who),
                                                   PublishedItem.kind.in_(sa.bindparam("item_kinds", expanding=True)))
                    .order_by(*in_order))
        case "items of versions":
            numbered = (sa.select(PlanVersion.id).join(Plan, Plan.id == PlanVersion.plan_id)
                        .where(Plan.case_id == who.case_id,
                               PlanVersion.number.in_(sa.bindparam("version_numbers", expanding=True)))
                        .correlate_except(PlanVersion, Plan))
            return (sa.select(PublishedItem)
                    .where(_items_of_version(who, PublishedItem.version_id.in_(numbered)),
                           PublishedItem.kind.in_(sa.bindparam("item_kinds", expanding=True)))
                    .order_by(*in_order))
        case "item":
            return sa.select(PublishedItem).where(
                PublishedItem.item_id == sa.bindparam("item_id", type_=sa.Integer), _rule(PublishedItem, who))
        case "shown version":
            # With its plan, which the note's rule asks for (`may_read_note`), and the milestones'
            # count (all, reached) for the home page; its note's people are read only when the
            # note is for chosen people.
            def milestones(*more) -> sa.ScalarSelect[int]:
                return (sa.select(sa.func.count(PublishedItem.id))
                        .where(_rule(PublishedItem, who), PublishedItem.kind == ItemKind.milestone, *more)
                        .scalar_subquery())

            return (sa.select(PlanVersion, milestones(), milestones(PublishedItem.status == ItemStatus.done))
                    .where(PlanVersion.id == _latest_version_subquery(who.case_id),
                           sa.exists().where(_rule(PublishedItem, who)))
                    .options(joinedload(PlanVersion.plan), lazyload(PlanVersion.note_people)))
        case "appointments":
            # With their chosen people (a card names them) and the member's own answer, in one statement.
            own_answer = sa.and_(AppointmentAnswer.appointment_id == Appointment.id, AppointmentAnswer.member_id == who.id)
            translated = sa.and_(ContentTranslation.object_type == "appointment",
                                 ContentTranslation.object_id == Appointment.id,
                                 ContentTranslation.language == sa.bindparam("viewer_language", type_=sa.String))
            return (sa.select(Appointment, AppointmentAnswer, ContentTranslation)
                    .outerjoin(AppointmentAnswer, own_answer).outerjoin(ContentTranslation, translated)
                    .where(_rule(Appointment, who)).options(joinedload(Appointment.people))
                    .order_by(Appointment.starts_at, Appointment.id))
        case "contacts":
            # The people a contact is for decide who sees it (the rule above); no page shows them.
            return (sa.select(Contact).where(_rule(Contact, who)).options(lazyload(Contact.people))
                    .order_by(Contact.case_id.is_(None), Contact.position, Contact.id))
        case "questions":
            # With the name of the caseworker who replied, shown under the reply.
            return (sa.select(Question).where(_rule(Question, who)).options(joinedload(Question.replied_by))
                    .order_by(Question.asked_at, Question.id))
    model = next(m for m in SHAREABLE if name == f"one {m.__name__}")
    return sa.select(model).where(model.id == sa.bindparam("object_id", type_=sa.Integer), _rule(model, who))


@functools.cache
def _who_sees_statement(model: type) -> sa.Select:
    key = PublishedItem.item_id if model is PublishedItem else model.id
    return (
        sa.select(key, Member)
        .select_from(Member)
        .join(Case, Case.id == Member.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(model, _rule(model, Who.rows()))
        .where(Member.case_id == sa.bindparam("case_id", type_=sa.Integer), Member.active,
               Case.phase != Phase.closed, key.in_(sa.bindparam("ids", expanding=True)))
        .order_by(Member.id)
    )


def who_sees(session: Session, model: type[S], ids: list[int], *, case_id: int) -> dict[int, list[Member]]:
    """For each of `ids` of the case (draft item ids for `PublishedItem`), the members who see
    it now: the same rule as every viewer's, for all members of the case in one query."""
    _require_shareable(model)
    if not ids:
        return {}
    rows = session.execute(_who_sees_statement(model), {"case_id": case_id, "ids": list(ids)})
    seeing: dict[int, list[Member]] = {id_: [] for id_ in ids}
    for id_, member in rows:
        seeing[id_].append(member)
    return seeing


@functools.cache
def _seen_by_statement(model: type, columns: tuple[str, ...]) -> sa.Select:
    members = sa.bindparam("member_ids", expanding=True)
    statement = (
        sa.select(Member.id, *(getattr(model, name) for name in columns))
        .select_from(Member)
        .join(Case, Case.id == Member.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(model, _rule(model, Who.rows()))
        .where(Member.id.in_(members), Member.active, Case.phase != Phase.closed)
    )
    if model is PublishedItem:
        # Implied by the rule (each member's own case's latest version), said once for all members
        # so that PostgreSQL starts from those versions' items instead of every published item.
        version = sa.orm.aliased(PlanVersion)
        newest = (sa.select(sa.func.max(PlanVersion.number)).where(PlanVersion.plan_id == version.plan_id)
                  .correlate(version).scalar_subquery())
        their_latest = (sa.select(version.id).join(Plan, Plan.id == version.plan_id)
                        .where(Plan.case_id.in_(sa.select(Member.case_id).where(Member.id.in_(members))),
                               version.number == newest))
        statement = statement.where(PublishedItem.version_id.in_(their_latest))
    return statement


def seen_by(session: Session, model: type[S], members: list[Member], *columns: str) -> list[sa.Row]:
    """(member id, *columns) of every `model` row each of `members` sees now, for members of any
    cases in one statement: the rule of each member's viewer, asked the way `who_sees` asks it."""
    _require_shareable(model)
    if not members:
        return []
    return list(session.execute(_seen_by_statement(model, columns), {"member_ids": [m.id for m in members]}))


def note_readers(members: list[Member], audience: Audience, people: list[Member]) -> list[Member]:
    """Who of `members` reads a publish note with this audience (the publish review lists them)."""
    return [m for m in members if account_open(m) and _audience_admits(audience, people, m)]


# --- staff ----------------------------------------------------------------

def cases_for(staff: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause for the cases a staff member may open."""
    if not staff.active:
        return sa.false()
    carried = sa.or_(Case.primary_caseworker_id == staff.id, Case.deputy_caseworker_id == staff.id)
    match staff.role:
        case Role.caseworker:
            return carried
        case Role.lead:
            return sa.or_(carried, Case.team_id == staff.team_id)
        case _:
            return sa.false()


def may_open_case(staff: StaffUser, case: Case) -> bool:
    """The predicate form of `cases_for`."""
    if not staff.active:
        return False
    carried = staff.id in (case.primary_caseworker_id, case.deputy_caseworker_id)
    match staff.role:
        case Role.caseworker:
            return carried
        case Role.lead:
            return carried or case.team_id == staff.team_id
        case _:
            return False


def get_case_or_404(session: Session, staff: StaffUser, case_id: int) -> Case:
    """Load a case for a staff view; a case outside the staff member's scope is not there.

    The refusal is audited (its own transaction, so it survives the 404); the
    answer is the same 404 whether the case exists or not.
    """
    case = session.scalar(sa.select(Case).where(Case.id == case_id, cases_for(staff)))
    if case is None:
        audit.record_now(audit.Action.case_denied, case_id=case_id, outcome="denied", actor=staff)
        abort(404)
    return case


def evaluation_teams(staff: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause on `Team` for the teams whose evaluation `staff` may read.

    The department head reads every team of the office (the portal serves one office),
    a lead their own team; caseworkers and admins none. The evaluation holds aggregates
    only, so this opens no case: a head's `cases_for` stays empty.
    """
    if not staff.active:
        return sa.false()
    match staff.role:
        case Role.head:
            return sa.true()
        case Role.lead if staff.team_id is not None:
            return Team.id == staff.team_id
        case _:
            return sa.false()


def may_evaluate(staff: StaffUser) -> bool:
    """Whether `staff` may open the evaluation at all (the predicate form of `evaluation_teams`)."""
    return staff.active and (staff.role is Role.head or (staff.role is Role.lead and staff.team_id is not None))


def audit_events_for(lead: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause for the audit events a lead may read: their team's cases and staff.

    Caseworkers and admins read none; the view answers them 404 anyway.
    """
    if not lead.active or lead.role is not Role.lead or lead.team_id is None:
        return sa.false()
    team_cases = sa.select(Case.id).where(Case.team_id == lead.team_id)
    team_staff = sa.select(sa.literal("staff:") + sa.cast(StaffUser.id, sa.String)).where(
        StaffUser.team_id == lead.team_id
    )
    return sa.or_(AuditEvent.case_id.in_(team_cases), AuditEvent.actor.in_(team_staff))


def may_manage_directory(staff: StaffUser) -> bool:
    """The office-wide contact directory is kept by admins and leads."""
    return staff.active and staff.role in (Role.admin, Role.lead)


__all__ = [
    "CHILD_APPOINTMENT_TYPES", "SHAREABLE", "Shareable", "Viewer", "Who", "account_open", "audit_events_for",
    "cases_for", "evaluation_teams", "get_case_or_404", "may_evaluate", "may_manage_directory", "may_open_case",
    "may_see", "note_readers", "Reader", "seen_by", "viewer", "visible_to", "who_sees",
]
