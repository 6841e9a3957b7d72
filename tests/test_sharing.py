"""The sharing rule (DESIGN.md § 3): every persona against every kind of object.

`may_see` (one object) and `visible_to` (SQL filter) must always agree, and both
must give exactly the expected answer. The world below puts, next to the demo
family, one object for each audience and each entrusted-by/consent situation,
another family's objects, a deactivated member and a member of a closed case.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from portal import sharing
from portal.models import (
    Appointment,
    Audience,
    Case,
    Contact,
    MemberKind,
    Phase,
    PlanItem,
    PublishedItem,
    Question,
    Role,
)
from tests.conftest import case_titled, member, staff
from tests.factories import (
    make_appointment,
    make_case,
    make_consent,
    make_contact,
    make_item,
    make_member,
    make_office,
    make_question,
    make_staff,
    make_team,
    publish_plan,
)

PERSONAS = ("anna", "daniel", "jonas", "mia", "sven", "deactivated", "closed")
SOMMER_FAMILY = {"anna", "daniel", "jonas", "mia"}
KINDS = (PublishedItem, Appointment, Contact, Question)


@dataclass
class World:
    members: dict
    objects: dict  # label → object
    expected: dict  # label → set of personas who must see it


def _item(session, case, label, world_items, **kwargs):
    item = make_item(session, case, text=label, **kwargs)
    world_items[label] = item
    return item


@pytest.fixture
def world(session) -> World:
    sommer = case_titled(session, "Familie Sommer")
    winter = case_titled(session, "Familie Winter")
    m = {
        "anna": member(session, "demo.parent"),
        "daniel": member(session, "demo.parent2"),
        "jonas": member(session, "demo.youth"),
        "mia": member(session, "demo.child"),
        "sven": member(session, "demo.other.parent"),
        "deactivated": make_member(session, sommer, MemberKind.parent, active=False),
    }
    closed_case = make_case(session, team=sommer.team, phase=Phase.closed)
    m["closed"] = make_member(session, closed_case, MemberKind.parent)
    anna, daniel, jonas, mia = m["anna"], m["daniel"], m["jonas"], m["mia"]

    # Draft items of the Sommer plan, then published: they become the latest version.
    drafts: dict = {}
    _item(session, sommer, "item family", drafts)
    _item(session, sommer, "item adults", drafts, audience=Audience.adults)
    _item(session, sommer, "item people Jonas+Daniel", drafts, audience=Audience.people, people=[jonas, daniel])
    _item(session, sommer, "item staff", drafts, audience=Audience.staff)
    entrusted = _item(session, sommer, "item adults entrusted by Anna, consent Daniel", drafts,
                      audience=Audience.adults, entrusted_by=anna)
    make_consent(session, entrusted, daniel)
    _item(session, sommer, "item adults entrusted by Anna, no consent", drafts,
          audience=Audience.adults, entrusted_by=anna)
    entrusted = _item(session, sommer, "item family entrusted by Jonas, consent Anna", drafts, entrusted_by=jonas)
    make_consent(session, entrusted, anna)
    entrusted = _item(session, sommer, "item family entrusted by Jonas, consent only from Anna for Daniel", drafts,
                      entrusted_by=jonas)
    make_consent(session, entrusted, daniel, given_by=anna)  # not Jonas's consent: does not count
    entrusted = _item(session, sommer, "item adults entrusted by Anna, consent Jonas", drafts,
                      audience=Audience.adults, entrusted_by=anna)
    make_consent(session, entrusted, jonas)  # consent does not widen the audience
    _item(session, sommer, "item people Mia entrusted by Mia", drafts, audience=Audience.people, people=[mia],
          entrusted_by=mia)

    older = session.scalars(sa.select(PublishedItem).where(PublishedItem.case_id == sommer.id)).all()
    version = publish_plan(session, sommer)
    objects: dict = {f"older version: {p.text} (v{p.version.number})": p for p in older}
    objects |= {label: next(p for p in version.items if p.item_id == item.id) for label, item in drafts.items()}

    winter_item = make_item(session, winter, text="Winter family item")
    publish_plan(session, winter)
    closed_item = make_item(session, closed_case, text="closed case family item")
    publish_plan(session, closed_case, author=make_staff(session))
    objects["winter item"] = session.scalar(
        sa.select(PublishedItem).where(PublishedItem.item_id == winter_item.id).order_by(PublishedItem.id.desc())
    )
    objects["closed case item"] = session.scalar(sa.select(PublishedItem).where(PublishedItem.item_id == closed_item.id))

    for label, kwargs in {
        "family": {},
        "adults": {"audience": Audience.adults},
        "people Mia": {"audience": Audience.people, "people": [mia]},
        "staff": {"audience": Audience.staff},
    }.items():
        objects[f"appointment {label}"] = make_appointment(session, sommer, **kwargs)
        objects[f"case contact {label}"] = make_contact(session, sommer, **kwargs)
        objects[f"office contact {label}"] = make_contact(session, None, **kwargs)
    objects["other office contact"] = make_contact(session, None, office=make_office(session))
    objects["winter appointment"] = make_appointment(session, winter)
    objects["winter contact"] = make_contact(session, winter)
    objects["closed case appointment"] = make_appointment(session, closed_case)
    objects["closed case contact"] = make_contact(session, closed_case)
    objects["question by Anna, reader Daniel"] = make_question(session, anna, readers=[daniel])
    objects["question by Jonas"] = make_question(session, jonas)
    objects["question by Sven"] = make_question(session, m["sven"])
    objects["question by the closed case's member"] = make_question(session, m["closed"])

    expected = {label: set() for label in objects}
    expected |= {
        "item family": SOMMER_FAMILY,
        "item adults": {"anna", "daniel"},
        "item people Jonas+Daniel": {"jonas", "daniel"},
        "item adults entrusted by Anna, consent Daniel": {"anna", "daniel"},
        "item adults entrusted by Anna, no consent": {"anna"},
        "item family entrusted by Jonas, consent Anna": {"jonas", "anna"},
        "item family entrusted by Jonas, consent only from Anna for Daniel": {"jonas"},
        "item adults entrusted by Anna, consent Jonas": {"anna"},
        "item people Mia entrusted by Mia": {"mia"},
        "winter item": {"sven"},
        "appointment family": SOMMER_FAMILY,
        "appointment adults": {"anna", "daniel"},
        "appointment people Mia": {"mia"},
        "case contact family": SOMMER_FAMILY,
        "case contact adults": {"anna", "daniel"},
        "case contact people Mia": {"mia"},
        # Office-wide contacts reach every open case of the office (Winter too).
        "office contact family": SOMMER_FAMILY | {"sven"},
        "office contact adults": {"anna", "daniel", "sven"},
        "office contact people Mia": {"mia"},
        "winter appointment": {"sven"},
        "winter contact": {"sven"},
        "question by Anna, reader Daniel": {"anna", "daniel"},
        "question by Jonas": {"jonas"},
        "question by Sven": {"sven"},
    }
    return World(m, objects, expected)


def _visible_ids(session, persona, model) -> set[int]:
    return set(session.scalars(sa.select(model.id).where(sharing.visible_to(persona, model))))


def test_predicate_and_filter_agree_and_match_the_expected_answer_for_every_persona_and_object(session, world):
    mismatches = []
    for name in PERSONAS:
        persona = world.members[name]
        visible = {model: _visible_ids(session, persona, model) for model in KINDS}
        for label, obj in world.objects.items():
            by_predicate = sharing.may_see(persona, obj)
            by_filter = obj.id in visible[type(obj)]
            should = name in world.expected[label]
            if not by_predicate == by_filter == should:
                mismatches.append(f"{name} / {label}: may_see={by_predicate} visible_to={by_filter} expected={should}")
    assert not mismatches, "\n".join(mismatches)


def test_the_world_covers_every_kind_of_object_and_audience(world):
    kinds = {type(obj) for obj in world.objects.values()}
    assert kinds == set(KINDS)
    audiences = {obj.audience for obj in world.objects.values() if not isinstance(obj, Question)}
    assert audiences == set(Audience)
    assert any(label.startswith("older version") for label in world.objects)


def test_filter_lists_nothing_beyond_the_objects_the_predicate_admits(session, world):
    """Also objects outside the world (all demo rows): the filter never returns what may_see refuses."""
    for name in PERSONAS:
        persona = world.members[name]
        for model in KINDS:
            for obj in session.scalars(sa.select(model).where(sharing.visible_to(persona, model))):
                assert sharing.may_see(persona, obj), f"{name} lists {model.__name__} {obj.id} but may not see it"


def test_another_familys_objects_are_never_visible(session, world):
    sommer = case_titled(session, "Familie Sommer")
    sven = world.members["sven"]
    for model in (PublishedItem, Appointment, Question):
        sommer_rows = session.scalars(sa.select(model).where(model.case_id == sommer.id)).all()
        assert sommer_rows
        assert not any(sharing.may_see(sven, row) for row in sommer_rows)
        assert not _visible_ids(session, sven, model) & {row.id for row in sommer_rows}
    sommer_contacts = session.scalars(sa.select(Contact).where(Contact.case_id == sommer.id)).all()
    assert not any(sharing.may_see(sven, c) for c in sommer_contacts)
    for name in SOMMER_FAMILY:
        persona = world.members[name]
        winter_rows = [obj for label, obj in world.objects.items() if label.startswith(("winter", "question by Sven"))]
        assert not any(sharing.may_see(persona, obj) for obj in winter_rows)


def test_deactivation_and_closing_the_case_hide_everything_at_once(session, world):
    anna = world.members["anna"]
    assert _visible_ids(session, anna, PublishedItem)
    anna.active = False
    session.flush()
    assert not any(sharing.may_see(anna, obj) for obj in world.objects.values())
    assert all(not _visible_ids(session, anna, model) for model in KINDS)
    anna.active = True
    anna.case.phase = Phase.closed
    session.flush()
    assert all(not _visible_ids(session, anna, model) for model in KINDS)


def test_draft_items_are_not_a_shareable_kind(session, world):
    draft = session.scalar(sa.select(PlanItem).where(PlanItem.text == "item family"))
    with pytest.raises(TypeError):
        sharing.may_see(world.members["anna"], draft)
    with pytest.raises(TypeError):
        sharing.visible_to(world.members["anna"], PlanItem)


# --- the demo plan as the README describes it -----------------------------------

DEMO_TITLES = {
    "Mia übernachtet jedes zweite Wochenende zu Hause": {"demo.parent", "demo.parent2", "demo.youth", "demo.child"},
    "Gerichtstermin gemeinsam vorbereiten": {"demo.parent", "demo.parent2"},
    "Jonas sucht sich einen Sportverein": {"demo.parent", "demo.youth"},
    "Rücksprache mit der Wohngruppe": set(),
    "Anna spricht mit der Suchtberatung": {"demo.parent"},
}


@pytest.mark.parametrize(
    "username", ["demo.parent", "demo.parent2", "demo.youth", "demo.child", "demo.other.parent"]
)
def test_demo_titles_are_visible_exactly_as_the_readme_says(session, username):
    persona = member(session, username)
    sommer = case_titled(session, "Familie Sommer")
    latest = session.scalars(
        sa.select(PublishedItem).where(PublishedItem.case_id == sommer.id).order_by(PublishedItem.version_id.desc())
    ).all()
    listed = {p.text for p in session.scalars(sa.select(PublishedItem).where(sharing.visible_to(persona, PublishedItem)))}
    for title, who in DEMO_TITLES.items():
        newest = next(p for p in latest if p.text == title)
        assert sharing.may_see(persona, newest) is (username in who), title
        assert (title in listed) is (username in who), title
    assert "Ferien zu Hause planen" not in listed  # draft only


# --- staff scoping ------------------------------------------------------------------

def test_staff_scoping_predicate_and_filter_agree(session):
    sommer = case_titled(session, "Familie Sommer")
    winter = case_titled(session, "Familie Winter")
    deputy = make_staff(session, Role.caseworker, team=sommer.team)
    sommer.deputy_caseworker = deputy
    other_team = make_team(session)
    elsewhere = make_case(session, team=other_team)
    unassigned = make_case(session, team=sommer.team)
    deactivated = make_staff(session, Role.caseworker, team=sommer.team)
    unassigned.primary_caseworker = deactivated
    deactivated.active = False
    session.flush()
    people = {
        "primary": staff(session, "demo.caseworker"),
        "deputy": deputy,
        "unassigned caseworker": staff(session, "demo.other"),
        "lead of the team": staff(session, "demo.lead"),
        "lead of another team": make_staff(session, Role.lead, team=other_team),
        "admin": staff(session, "demo.admin"),
        "deactivated": deactivated,
    }
    expected = {
        "primary": {sommer.id},
        "deputy": {sommer.id},
        "unassigned caseworker": {winter.id},
        "lead of the team": {sommer.id, winter.id, unassigned.id},
        "lead of another team": {elsewhere.id},
        "admin": set(),
        "deactivated": set(),
    }
    cases = session.scalars(sa.select(Case)).all()
    # The demo office's history adds cases carried by the same people; the expectations are
    # about the cases made here and the Sommer and Winter families (filter and predicate
    # must still agree on every case).
    ours = {sommer.id, winter.id, unassigned.id, elsewhere.id}
    for name, person in people.items():
        listed = set(session.scalars(sa.select(Case.id).where(sharing.cases_for(person))))
        admitted = {case.id for case in cases if sharing.may_open_case(person, case)}
        assert listed == admitted, name
        assert listed & ours == expected[name], name


def test_loading_one_object_for_a_view_follows_the_same_rule(session, world):
    from werkzeug.exceptions import NotFound

    anna, sven = world.members["anna"], world.members["sven"]
    for label in ("item adults", "appointment adults", "case contact adults", "question by Anna, reader Daniel"):
        obj = world.objects[label]
        assert sharing.Viewer(session, anna).get(type(obj), obj.id) is obj
        with pytest.raises(NotFound):
            sharing.Viewer(session, sven).get(type(obj), obj.id)
    sommer = case_titled(session, "Familie Sommer")
    assert sharing.get_case_or_404(session, staff(session, "demo.caseworker"), sommer.id) is sommer
    for outsider in ("demo.other", "demo.admin"):
        with pytest.raises(NotFound):
            sharing.get_case_or_404(session, staff(session, outsider), sommer.id)


def test_who_sees_an_object_is_the_same_rule_as_each_members_viewer(session, world):
    """`who_sees` (all members of a case at once, one query) agrees with every member's viewer."""
    sommer = case_titled(session, "Familie Sommer")
    members = {name: world.members[name] for name in PERSONAS if world.members[name].case_id == sommer.id}
    checked = 0
    for model in KINDS:
        objects = [obj for obj in world.objects.values() if type(obj) is model]
        key = (lambda o: o.item_id) if model is PublishedItem else (lambda o: o.id)
        if model is PublishedItem:  # one published form per draft item: the latest version's
            objects = [o for o in objects if o.version_id == max(p.version_id for p in objects if p.case_id == o.case_id)]
        seeing = sharing.who_sees(session, model, [key(o) for o in objects], case_id=sommer.id)
        for obj in objects:
            by_viewer = {name for name, m in members.items() if sharing.Viewer(session, m).may_see(obj)}
            assert {m.id for m in seeing[key(obj)]} == {members[n].id for n in by_viewer}, (model.__name__, obj.id)
            checked += 1
    assert checked > 30


def test_who_sees_takes_away_per_member_when_the_draft_narrows(session, world):
    """A draft narrowed after publishing holds the item back from exactly those it no longer admits:
    `who_sees` (every member at once) must ask the draft about each member, not about anyone."""
    sommer = case_titled(session, "Familie Sommer")
    anna, daniel, jonas = world.members["anna"], world.members["daniel"], world.members["jonas"]
    chosen = session.scalar(sa.select(PlanItem).where(PlanItem.text == "item people Jonas+Daniel"))
    chosen.people = [jonas]  # Daniel unticked in the draft: applies now
    entrusted = session.scalar(
        sa.select(PlanItem).where(PlanItem.text == "item adults entrusted by Anna, consent Daniel"))
    make_consent(session, entrusted, jonas)  # another consent stays ...
    session.delete(next(c for c in entrusted.consents if c.recipient_id == daniel.id))  # ... Daniel's is withdrawn
    session.flush()
    session.expire_all()
    members = {m.id: m for m in (anna, daniel, jonas, world.members["mia"])}
    seeing = sharing.who_sees(session, PublishedItem, [chosen.id, entrusted.id], case_id=sommer.id)
    for item_id in (chosen.id, entrusted.id):
        published = session.scalar(sa.select(PublishedItem).where(PublishedItem.item_id == item_id)
                                   .order_by(PublishedItem.version_id.desc()).limit(1))
        by_viewer = {m.id for m in members.values() if sharing.Viewer(session, m).may_see(published)}
        assert {m.id for m in seeing[item_id]} == by_viewer
        assert daniel.id not in by_viewer
    rows = sharing.seen_by(session, PublishedItem, list(members.values()), "item_id")
    assert (daniel.id, chosen.id) not in {tuple(r) for r in rows}
    assert (daniel.id, entrusted.id) not in {tuple(r) for r in rows}


def test_the_viewers_statements_are_built_once_and_come_from_the_statement_cache(app, session):
    """Issue 14: the rule is built once per process and kind of member, and executed with each
    member's values, so a second member's page finds the compiled SQL in SQLAlchemy's cache."""
    from sqlalchemy.engine.default import CACHE_HIT

    from portal.models import MemberKind

    anna, daniel = member(session, "demo.parent"), member(session, "demo.parent2")
    assert sharing._statement("items", MemberKind.parent) is sharing._statement("items", MemberKind.parent)
    sharing.Viewer(session, anna).items()
    sharing.Viewer(session, anna).appointments()
    engine = app.extensions["database"].engine
    hits = []

    def record(_conn, _cursor, _statement, _parameters, context, _many):
        hits.append(context.cache_hit is CACHE_HIT)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        viewer = sharing.Viewer(session, daniel)
        listed = viewer.items(), viewer.appointments()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert all(listed) and hits and all(hits)
