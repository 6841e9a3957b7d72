"""SECURITY.md properties 5, 6, 8 and 9 over real HTTP: what one member may not see is on no
page of theirs (every family page of the access matrix, the calendar feed, both exports);
revocation holds on the very next request; fields a form does not offer are ignored."""
from __future__ import annotations

import sqlalchemy as sa

from portal.models import Audience, Case, Member, Question
from tests.access_matrix import EXPECTED, PERSONAS
from tests.conftest import case_titled, member, post_form
from tests.factories import make_appointment, make_item, publish_plan
from tests.matrix_walk import any_csrf_token, family_ids, routes, url

YOUTH_ONLY = "Jonas trifft sich allein mit Frau Yilmaz von der Jugendberatung"
YOUTH_PLACE = "Jugendberatung Lindenstraße 9"
ENTRUSTED = "Daniel hat Schulden bei einem Bekannten und spricht mit der Schuldnerberatung"


def everything_a_member_reads(app, client, ids: dict, persona: str) -> str:
    """The text of every family page the matrix opens for `persona`, their calendar feed and both exports."""
    texts = []
    for route in routes(app):
        if route.method == "GET" and route.endpoint.startswith("family.") and (
                EXPECTED[route.endpoint]["GET"][persona] == 200):
            texts.append(client.get(url(route, ids)).text)
    feed = client.post("/account/calendar", data={"csrf_token": any_csrf_token(client)})
    if feed.status_code == 200:  # a child's account offers no calendar address
        feed_path = "/calendar/" + feed.text.split("/calendar/")[1].split(".ics")[0] + ".ics"
        texts.append(client.get(feed_path).text)
    return "\n".join(texts)


def sommer_with_secrets(session):
    """A youth-only item and appointment, and an item Daniel entrusted without anyone's consent, published."""
    sommer = case_titled(session, "Familie Sommer")
    youth, daniel = member(session, "demo.youth"), member(session, "demo.parent2")
    make_item(session, sommer, Audience.people, people=[youth], text=YOUTH_ONLY)
    appointment = make_appointment(session, sommer, Audience.people, people=[youth], place=YOUTH_PLACE)
    make_item(session, sommer, Audience.family, text=ENTRUSTED, entrusted_by=daniel)
    publish_plan(session, sommer)
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    return ids, appointment


def test_an_item_and_appointment_for_the_youth_only_are_nowhere_for_the_parents(app, client_for, session):
    """Property 5: lists, pages, .ics, calendar feed, exports."""
    ids, appointment = sommer_with_secrets(session)
    youth = client_for("demo.youth")
    seen = everything_a_member_reads(app, youth, ids, "youth")
    assert YOUTH_ONLY in seen and YOUTH_PLACE in seen
    for persona in ("parent_a", "parent_b"):
        client = client_for(PERSONAS[persona])
        seen = everything_a_member_reads(app, client, ids, persona)
        assert YOUTH_ONLY not in seen and YOUTH_PLACE not in seen, persona
        assert client.get(f"/appointments/{appointment.id}").status_code == 404
        assert client.get(f"/appointments/{appointment.id}.ics").status_code == 404


def test_an_entrusted_item_without_consent_reaches_only_the_person_who_entrusted_it(app, client_for, session):
    """Property 6: Daniel entrusted it; Anna, Jonas and Mia see it nowhere."""
    ids, _appointment = sommer_with_secrets(session)
    assert ENTRUSTED in everything_a_member_reads(app, client_for("demo.parent2"), ids, "parent_b")
    for persona in ("parent_a", "youth", "child"):
        seen = everything_a_member_reads(app, client_for(PERSONAS[persona]), ids, persona)
        assert ENTRUSTED not in seen, persona


def test_an_audience_change_applies_on_the_very_next_request(client_for, session):
    """Property 8: the appointment Daniel had open is gone on his next request."""
    sommer = case_titled(session, "Familie Sommer")
    appointment = make_appointment(session, sommer, Audience.family, place=YOUTH_PLACE)
    session.commit()
    daniel = client_for("demo.parent2")
    assert daniel.get(f"/appointments/{appointment.id}").status_code == 200
    appointment.audience = Audience.adults
    appointment.people = []
    session.commit()
    assert daniel.get(f"/appointments/{appointment.id}").status_code == 200  # adults still include him
    appointment.audience = Audience.people
    appointment.people = [member(session, "demo.parent")]
    session.commit()
    assert daniel.get(f"/appointments/{appointment.id}").status_code == 404
    assert YOUTH_PLACE not in daniel.get("/appointments").text


def test_deactivating_a_member_signs_them_out_on_the_very_next_request(client_for, session):
    """Property 8: the caseworker deactivates Daniel through the case page."""
    daniel = client_for("demo.parent2")
    assert daniel.get("/plan").status_code == 200
    caseworker = client_for("demo.caseworker")
    sommer, daniel_id = case_titled(session, "Familie Sommer").id, member(session, "demo.parent2").id
    response = post_form(caseworker, f"/staff/cases/{sommer}/members/{daniel_id}/deactivate", {},
                         form_page=f"/staff/cases/{sommer}")
    assert response.status_code == 302
    assert daniel.get("/plan").status_code == 302


def test_closing_the_case_signs_the_whole_family_out_on_the_very_next_request(client_for, session):
    """Property 8: the phase form of the case page, set to closed."""
    family = {persona: client_for(PERSONAS[persona]) for persona in ("parent_a", "parent_b", "youth", "child")}
    assert all(client.get("/plan").status_code == 200 for client in family.values())
    sommer = case_titled(session, "Familie Sommer")
    caseworker = client_for("demo.caseworker")
    response = post_form(caseworker, f"/staff/cases/{sommer.id}/phase",
                         {"phase": "closed", "revision": str(sommer.revision)}, form_page=f"/staff/cases/{sommer.id}")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, sommer.id).phase.value == "closed"
    for persona, client in family.items():
        response = client.get("/plan")
        assert response.status_code == 302 and "/login" in response.headers["Location"], persona


def test_fields_a_form_does_not_offer_are_ignored(client_for, session):
    """Property 9: case_id, member_id, role, entrusted_by, audience sent along change nothing."""
    winter = case_titled(session, "Familie Winter")
    other, anna, daniel = (member(session, u) for u in ("demo.other.parent", "demo.parent", "demo.parent2"))
    item_id = family_ids(session, "Familie Sommer")["item_id"]
    session.commit()
    extra = {"case_id": str(winter.id), "member_id": str(other.id), "role": "admin",
             "entrusted_by": str(daniel.id), "audience": "staff"}
    client = client_for("demo.parent")
    response = post_form(client, f"/plan/items/{item_id}/questions", {"text": "Wer kommt mit?", **extra})
    assert response.status_code == 302
    question = session.scalar(sa.select(Question).where(Question.text == "Wer kommt mit?"))
    assert (question.case_id, question.member_id) == (anna.case_id, anna.id)
    language_of_daniel = daniel.language
    response = post_form(client, "/language", {"language": "en", "next": "/account", **extra,
                                               "member_id": str(daniel.id)}, form_page="/account")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Member, anna.id).language == "en"
    assert session.get(Member, daniel.id).language == language_of_daniel
    assert session.get(Member, other.id).case_id == winter.id


# --- taking away applies at once, giving more waits for publishing (issue 9, finding 4) ----

NARROWED = "Daniel und Anna sprechen mit der Erziehungsberatung über die Wochenenden"


def _published_item(session, text: str, **kwargs):
    sommer = case_titled(session, "Familie Sommer")
    item = make_item(session, sommer, text=text, **kwargs)
    publish_plan(session, sommer)
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    return item, ids


def test_narrowing_an_items_audience_in_the_draft_applies_on_the_very_next_request_everywhere(
        app, client_for, session):
    item, ids = _published_item(session, NARROWED, audience=Audience.family)
    jonas = client_for("demo.youth")
    assert NARROWED in everything_a_member_reads(app, jonas, ids, "youth")
    item.audience = Audience.adults  # the caseworker narrows the draft; nothing is published
    session.commit()
    assert NARROWED not in everything_a_member_reads(app, jonas, ids, "youth")
    assert jonas.get(f"/plan/items/{item.id}/questions").status_code == 404
    assert NARROWED in client_for("demo.parent2").get("/plan").text  # still for the parents


def test_unticking_a_person_applies_at_once_and_widening_waits_for_publishing(client_for, session):
    daniel, jonas = member(session, "demo.parent2"), member(session, "demo.youth")
    item, _ids = _published_item(session, NARROWED, audience=Audience.people, people=[daniel, jonas])
    assert NARROWED in client_for("demo.youth").get("/plan").text
    item.people = [daniel]
    session.commit()
    assert NARROWED not in client_for("demo.youth").get("/plan").text
    # Wider than published: Anna was never given it and gets it only with the next version;
    # Jonas is admitted by the published version and by the draft again.
    item.audience, item.people = Audience.family, []
    session.commit()
    assert NARROWED not in client_for("demo.parent").get("/plan").text
    assert NARROWED in client_for("demo.youth").get("/plan").text
    publish_plan(session, case_titled(session, "Familie Sommer"))
    session.commit()
    assert NARROWED in client_for("demo.parent").get("/plan").text


def test_withdrawn_consent_hides_the_item_everywhere_at_once_and_not_as_removed(app, client_for, session):
    from tests.factories import make_consent

    anna, daniel = member(session, "demo.parent"), member(session, "demo.parent2")
    item, ids = _published_item(session, ENTRUSTED, audience=Audience.adults, entrusted_by=anna)
    consent = make_consent(session, item, daniel)
    publish_plan(session, case_titled(session, "Familie Sommer"))
    daniel.last_seen_version = None
    session.commit()
    reader = client_for("demo.parent2")
    assert ENTRUSTED in everything_a_member_reads(app, reader, ids, "parent_b")
    session.delete(consent)
    session.commit()
    assert ENTRUSTED not in everything_a_member_reads(app, reader, ids, "parent_b")
    # Nor as "removed" in "what changed" once Daniel compares with a version that had it.
    daniel.last_seen_version = 1
    session.commit()
    assert ENTRUSTED not in reader.get("/plan").text


# --- question readers (finding 5) --------------------------------------------------------

def test_a_reader_sees_a_question_only_while_they_see_its_item(app, client_for, session):
    from tests.factories import make_question

    anna, daniel = member(session, "demo.parent"), member(session, "demo.parent2")
    item, ids = _published_item(session, ENTRUSTED, audience=Audience.adults, entrusted_by=anna)
    asked = "Muss Daniel von der Suchtberatung erfahren?"
    make_question(session, anna, readers=[daniel], item_id=item.id, text=asked)
    session.commit()
    seen = everything_a_member_reads(app, client_for("demo.parent2"), ids, "parent_b")
    assert asked not in seen and ENTRUSTED not in seen
    assert asked in client_for("demo.parent").get("/account/export.json").get_data(as_text=True)


def test_the_reply_form_refuses_a_reader_who_does_not_see_the_item(app, client_for, session):
    from tests.factories import make_question
    from tests.messages import page_text, translated

    anna, daniel = member(session, "demo.parent"), member(session, "demo.parent2")
    item, _ids = _published_item(session, ENTRUSTED, audience=Audience.adults, entrusted_by=anna)
    question = make_question(session, anna, item_id=item.id, text="Bleibt das unter uns?")
    session.commit()
    caseworker = client_for("demo.caseworker")
    inbox = f"/staff/cases/{anna.case_id}/inbox"
    refused = post_form(caseworker, f"{inbox}/{question.id}",
                        {f"q{question.id}-reply": "Ja.", f"q{question.id}-readers": [str(daniel.id)],
                         f"q{question.id}-revision": str(question.revision)}, form_page=inbox)
    assert refused.status_code == 400
    assert translated(app, "%(name)s does not see the plan item this question is about, so they cannot read the "
                           "question either.", name="Daniel") in page_text(refused)
    session.expire_all()
    assert session.get(Question, question.id).readers == [] and session.get(Question, question.id).reply is None


# --- the child rule on every surface (finding 6) -------------------------------------------

def test_an_appointment_a_childs_list_hides_is_hidden_on_every_surface(app, client_for, session):
    from portal.models import AppointmentType

    sommer = case_titled(session, "Familie Sommer")
    court_place = "Amtsgericht Musterstadt, Saal 3 (für alle)"
    court = make_appointment(session, sommer, Audience.family, type=AppointmentType.court, place=court_place)
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    mia = client_for("demo.child")
    assert court_place not in everything_a_member_reads(app, mia, ids, "child")
    assert mia.get(f"/appointments/{court.id}").status_code == 404
    assert mia.get(f"/appointments/{court.id}.ics").status_code == 404
    assert court_place in client_for("demo.youth").get(f"/appointments/{court.id}").text


def test_nobody_answers_a_past_appointment(client_for, session):
    from datetime import timedelta

    from portal.db import utcnow
    from portal.models import AppointmentAnswer

    sommer = case_titled(session, "Familie Sommer")
    past = make_appointment(session, sommer, Audience.family, starts_at=utcnow() - timedelta(days=2),
                            ends_at=utcnow() - timedelta(days=2, hours=-1))
    session.commit()
    anna = client_for("demo.parent")
    page = anna.get(f"/appointments/{past.id}")
    assert page.status_code == 200 and 'name="coming"' not in page.text
    response = post_form(anna, f"/appointments/{past.id}", {"coming": "no", "reason": "Zu spät"})
    assert response.status_code == 302
    assert session.scalar(sa.select(AppointmentAnswer).where(AppointmentAnswer.appointment_id == past.id)) is None
