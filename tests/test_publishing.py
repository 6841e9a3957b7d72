"""Publishing (DESIGN.md § 4): draft → immutable version, and comparing versions."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal import publishing
from portal.models import (
    Audience,
    ContentTranslation,
    ItemStatus,
    MemberKind,
    PlanVersion,
    PublishedItem,
)
from tests.conftest import case_titled, csrf_token, staff
from tests.factories import make_case, make_consent, make_item, make_member, make_staff, plan_of, publish_plan
from tests.messages import page_text, translated


@pytest.fixture
def family(session):
    caseworker = make_staff(session)
    case = make_case(session, team=caseworker.team, primary_caseworker=caseworker)
    parent = make_member(session, case, MemberKind.parent)
    parent2 = make_member(session, case, MemberKind.parent)
    youth = make_member(session, case, MemberKind.youth)
    return case, parent, parent2, youth


def test_publish_creates_the_next_version_with_one_published_item_per_draft_item(session, family):
    case, parent, parent2, youth = family
    goal = make_item(session, case, text="Ziel", audience=Audience.family)
    people = make_item(session, case, text="Für Jonas und Anna", audience=Audience.people, people=[youth, parent])
    entrusted = make_item(session, case, text="Anvertraut", audience=Audience.adults, entrusted_by=parent)
    make_consent(session, entrusted, parent2)
    make_consent(session, entrusted, youth, given_by=parent2)  # not the entrusting person's: not copied
    session.add(ContentTranslation(object_type="plan_item", object_id=goal.id, field="text", language="en",
                                   text="Goal", checked=True))
    session.flush()
    first = publish_plan(session, case, note="Erste Version")
    make_item(session, case, text="Neu")
    second = publish_plan(session, case, note="Zweite Version")

    assert (first.number, second.number) == (1, 2)
    assert second.note == "Zweite Version"
    draft_ids = [item.id for item in plan_of(session, case).items]
    assert sorted(p.item_id for p in second.items) == sorted(draft_ids)
    published = {p.item_id: p for p in second.items}
    assert sorted(m.id for m in published[people.id].people) == sorted([youth.id, parent.id])
    assert [m.id for m in published[entrusted.id].consent_recipients] == [parent2.id]
    assert published[entrusted.id].entrusted_by_id == parent.id
    assert published[goal.id].translations == {"en": {"text": "Goal", "checked": True}}
    assert len(first.items) == 3  # the earlier version is untouched


def test_published_rows_refuse_updates(session, family):
    case = family[0]
    make_item(session, case, text="Ursprünglich")
    version = publish_plan(session, case)
    session.commit()  # a savepoint inside the test's transaction: the rollbacks below keep it
    item = version.items[0]
    item.text = "Nachträglich geändert"
    with pytest.raises(RuntimeError, match="immutable"):
        session.flush()
    session.rollback()
    version = session.get(PlanVersion, version.id)
    version.note = "Andere Notiz"
    with pytest.raises(RuntimeError, match="immutable"):
        session.flush()


def test_publish_refuses_a_stale_base_and_writes_nothing(session, family):
    case = family[0]
    make_item(session, case)
    publish_plan(session, case)
    before = session.scalar(sa.select(sa.func.count(PlanVersion.id)))
    with pytest.raises(publishing.AlreadyPublished):
        publishing.publish(session, plan_of(session, case), case.primary_caseworker, "noch einmal", 0)
    assert session.scalar(sa.select(sa.func.count(PlanVersion.id))) == before


def test_compare_reports_added_removed_and_changed_with_exactly_the_changed_fields(session, family):
    case, parent, _parent2, _youth = family
    kept = make_item(session, case, text="Bleibt gleich")
    edited = make_item(session, case, text="Alter Text", audience=Audience.family)
    status_only = make_item(session, case, text="Nur der Status")
    removed = make_item(session, case, text="Fällt weg")
    old = publish_plan(session, case)

    edited.text = "Neuer Text"
    edited.audience = Audience.adults
    edited.due_on = date(2027, 3, 1)
    status_only.status = ItemStatus.done
    plan_of(session, case).items.remove(removed)
    added = make_item(session, case, text="Kommt dazu")
    new = publish_plan(session, case)

    diff = publishing.compare(publishing.version_snapshot(old), publishing.version_snapshot(new))
    assert [s.item_id for s in diff.added] == [added.id]
    assert [s.item_id for s in diff.removed] == [removed.id]
    changes = {c.new.item_id: set(c.fields) for c in diff.changed}
    assert changes == {edited.id: {"text", "audience", "due_on"}, status_only.id: {"status"}}
    assert kept.id not in changes
    assert not publishing.compare(publishing.version_snapshot(new), publishing.version_snapshot(new))


def test_compare_notices_people_consent_and_translation_changes(session, family):
    case, parent, parent2, youth = family
    item = make_item(session, case, audience=Audience.people, people=[parent], entrusted_by=parent)
    old = publish_plan(session, case)
    item.people = [parent, youth]
    make_consent(session, item, youth)
    session.add(ContentTranslation(object_type="plan_item", object_id=item.id, field="text", language="ar",
                                   text="خطوة", checked=False))
    session.flush()
    diff = publishing.compare(publishing.version_snapshot(old), publishing.draft_snapshot(plan_of(session, case)))
    assert [set(c.fields) for c in diff.changed] == [{"people", "consent_recipients", "translations"}]


def test_unpublished_changes_compare_the_draft_with_the_latest_version(session, family):
    case = family[0]
    plan = plan_of(session, case)
    first = make_item(session, case, text="Erster Schritt")
    assert [s.item_id for s in publishing.unpublished_changes(session, plan).added] == [first.id]
    publish_plan(session, case)
    assert not publishing.unpublished_changes(session, plan)
    first.text = "Erster Schritt, genauer"
    second = make_item(session, case, text="Zweiter Schritt")
    diff = publishing.unpublished_changes(session, plan)
    assert [s.item_id for s in diff.added] == [second.id]
    assert [(c.new.item_id, c.fields) for c in diff.changed] == [(first.id, ("text",))]
    assert diff.removed == []


# --- through HTTP --------------------------------------------------------------------

def _versions(session, case) -> list[int]:
    return list(session.scalars(
        sa.select(PlanVersion.number).where(PlanVersion.plan_id == plan_of(session, case).id).order_by(PlanVersion.number)
    ))


def test_posting_the_same_publish_form_twice_publishes_once(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    before = _versions(session, sommer)
    client = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer.id}/publish"
    form = client.get(url)
    data = {"csrf_token": csrf_token(form.text), "based_on": str(before[-1]), "note": "Die Ferien sind neu."}

    first = client.post(url, data=data, follow_redirects=True)
    second = client.post(url, data=data, follow_redirects=True)

    session.expire_all()
    assert _versions(session, sommer) == before + [before[-1] + 1]
    published = translated(app, "Version %(number)d is published. The family sees it now.", number=before[-1] + 1)
    assert published in page_text(first)
    refused = translated(app, "This plan was already published in the meantime. Nothing was published twice.")
    assert refused in page_text(second)
    assert published not in page_text(second)
    latest = session.scalar(sa.select(PlanVersion).where(PlanVersion.number == before[-1] + 1,
                                                         PlanVersion.plan_id == plan_of(session, sommer).id))
    assert latest.note == "Die Ferien sind neu."
    assert latest.author == staff(session, "demo.caseworker")
    assert "Ferien zu Hause planen" in {p.text for p in latest.items}


@pytest.mark.parametrize("note", ["", "   "])
def test_publishing_without_a_note_is_refused_with_a_message(app, client_for, session, note):
    sommer = case_titled(session, "Familie Sommer")
    before = _versions(session, sommer)
    client = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer.id}/publish"
    form = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_token(form.text), "based_on": str(before[-1]), "note": note})

    assert response.status_code == 400
    assert translated(app, "Please write a short note to the family: what is new in this version?") in page_text(response)
    session.expire_all()
    assert _versions(session, sommer) == before
    assert session.scalar(sa.select(sa.func.count(PublishedItem.id)).where(PublishedItem.case_id == sommer.id))
