"""The foundation's "done when": each demo persona sees exactly their items at /plan."""
import pytest

from tests.conftest import case_titled

FAMILY_ITEM = "Mia übernachtet jedes zweite Wochenende zu Hause"
ADULTS_ITEM = "Gerichtstermin gemeinsam vorbereiten"
PEOPLE_ITEM = "Jonas sucht sich einen Sportverein"
STAFF_ITEM = "Rücksprache mit der Wohngruppe"
ENTRUSTED_ITEM = "Anna spricht mit der Suchtberatung"
DRAFT_ITEM = "Ferien zu Hause planen"
ALL = {FAMILY_ITEM, ADULTS_ITEM, PEOPLE_ITEM, STAFF_ITEM, ENTRUSTED_ITEM, DRAFT_ITEM}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("demo.parent", {FAMILY_ITEM, ADULTS_ITEM, PEOPLE_ITEM, ENTRUSTED_ITEM}),
        ("demo.parent2", {FAMILY_ITEM, ADULTS_ITEM}),
        ("demo.youth", {FAMILY_ITEM, PEOPLE_ITEM}),
        ("demo.child", {FAMILY_ITEM}),
        ("demo.other.parent", set()),
    ],
)
def test_plan_shows_exactly_the_items_shared_with_each_persona(client_for, username, expected):
    page = client_for(username).get("/plan")
    assert page.status_code == 200
    shown = {title for title in ALL if title in page.text}
    assert shown == expected


def test_parent_of_another_family_gets_404_for_every_sommer_object(client_for, session):
    from portal.models import Appointment, Contact, PublishedItem
    import sqlalchemy as sa

    sommer = case_titled(session, "Familie Sommer")
    client = client_for("demo.other.parent")
    ids = {
        "appointments": session.scalars(sa.select(Appointment.id).where(Appointment.case_id == sommer.id)).all(),
        "items": session.scalars(sa.select(PublishedItem.item_id).where(PublishedItem.case_id == sommer.id)).all(),
        "contacts": session.scalars(sa.select(Contact.id).where(Contact.case_id == sommer.id)).all(),
    }
    assert all(ids.values())
    from flask import url_for  # noqa: F401 - documents that ids go through the routes below
    for rule in client.application.url_map.iter_rules():
        if not rule.endpoint.startswith("family.") or not rule.arguments:
            continue
        for argument in rule.arguments:
            kind = {"appointment_id": "appointments", "item_id": "items", "contact_id": "contacts"}.get(argument)
            if kind is None:
                continue
            for object_id in ids[kind]:
                url = rule.rule.replace(f"<int:{argument}>", str(object_id))
                if "<" in url:
                    continue
                assert client.get(url).status_code == 404, url
