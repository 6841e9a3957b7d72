"""Appointments (office time zone, moved and cancelled marked) and contacts, case and office-wide."""
from datetime import UTC, datetime

import sqlalchemy as sa

from portal.models import Appointment, AppointmentAnswer, AppointmentStatus, Audience, Contact
from tests.messages import page_text, translated
from tests.staff.conftest import token


def appointment_data(**changes) -> dict:
    return {"type": "visit", "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T12:00",
            "place": "Wohngruppe Lindenhof", "bring": "Fotoalbum", "note": "Besuch mit Frau Yilmaz",
            "audience": "adults", **changes}


def test_new_appointment_is_stored_in_utc_from_office_time(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **appointment_data()})
    assert response.status_code == 302
    stored = in_db(lambda s: s.scalar(sa.select(Appointment).where(Appointment.note == "Besuch mit Frau Yilmaz")))
    assert stored.starts_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Berlin is UTC+1 in March
    assert stored.status is AppointmentStatus.scheduled


def test_appointment_for_chosen_people_without_anybody_is_refused(app, client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **appointment_data(audience="people")})
    assert response.status_code == 400
    assert translated(app, "Please choose at least one person, or pick another audience.") in page_text(response)
    assert "Fotoalbum" in response.text


def test_end_before_start_is_refused(app, client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url),
                                          **appointment_data(ends_at="2027-03-01T09:00")})
    assert response.status_code == 400
    assert translated(app, "The end must be after the start.") in page_text(response)


def first_appointment(in_db, case_id: int) -> Appointment:
    return in_db(lambda s: s.scalar(sa.select(Appointment).where(Appointment.case_id == case_id)
                                    .order_by(Appointment.id)))


def test_moving_and_cancelling_mark_the_appointment_changed_and_answers_show(app, client_for, in_db, sommer):
    appointment = first_appointment(in_db, sommer["case"])

    def answer(session):
        session.add(AppointmentAnswer(appointment_id=appointment.id, member_id=sommer["demo.parent2"], coming=False,
                                      reason="Ich habe Spätschicht."))
        session.commit()

    in_db(answer)
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments/{appointment.id}"
    page = page_text(caseworker.get(url))
    assert f"Daniel: {translated(app, 'cannot come')} – " in page and "Ich habe Spätschicht." in page
    moved = caseworker.post(url, data={"csrf_token": token(caseworker, url), "revision": str(appointment.revision),
                                       **appointment_data(type="plan_conference", audience="family")})
    assert moved.status_code == 302
    after = in_db(lambda s: s.get(Appointment, appointment.id))
    assert after.status is AppointmentStatus.moved and after.changed_at is not None

    cancelled = caseworker.post(f"{url}/cancel", data={"csrf_token": token(caseworker, url)})
    assert cancelled.status_code == 302
    assert in_db(lambda s: s.get(Appointment, appointment.id).status) is AppointmentStatus.cancelled


def test_stale_appointment_save_keeps_input_and_shows_the_saved_one(client_for, in_db, sommer):
    appointment = first_appointment(in_db, sommer["case"])
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments/{appointment.id}"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), "revision": "0",
                                          **appointment_data(place="Ein ganz anderer Ort")})
    assert response.status_code == 409
    assert "Ein ganz anderer Ort" in response.text and appointment.place in response.text


def test_case_contact_with_chosen_people_is_created_and_edited(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/contacts"
    data = {"type": "network", "name": "Tante Birgit", "phone": "030 5550 9911", "audience": "people",
            "people": [str(sommer["demo.youth"])]}
    assert caseworker.post(url, data={"csrf_token": token(caseworker, url), **data}).status_code == 302
    contact = in_db(lambda s: s.scalar(sa.select(Contact).where(Contact.name == "Tante Birgit")))
    assert in_db(lambda s: [p.id for p in s.get(Contact, contact.id).people]) == [sommer["demo.youth"]]
    assert translated(app, "Only: %(names)s", names="Jonas") in page_text(caseworker.get(url))
    edit = f"{url}/{contact.id}"
    # Jonas still ticked but "whole family" chosen: refused with a message, never saved silently.
    refused = caseworker.post(edit, data={"csrf_token": token(caseworker, edit), **data, "revision": "1",
                                          "audience": "family"})
    assert refused.status_code == 400
    assert translated(app, "You ticked people below, but “%(audience)s” is chosen. To share with the ticked people "
                           "only, choose “%(people)s”; otherwise untick them.",
                      audience=translated(app, "Whole family"),
                      people=translated(app, "Only the people chosen below")) in page_text(refused)
    assert in_db(lambda s: s.get(Contact, contact.id).audience) is Audience.people
    saved = caseworker.post(edit, data={"csrf_token": token(caseworker, edit), **data, "revision": "1",
                                        "audience": "family", "people": []})
    assert saved.status_code == 302
    stale = caseworker.post(edit, data={"csrf_token": token(caseworker, edit), **data, "revision": "1",
                                        "name": "Tante Birgit S."})
    assert stale.status_code == 409 and "Tante Birgit S." in stale.text


def test_lead_and_admin_keep_the_office_directory(client_for, in_db):
    for username in ("demo.lead", "demo.admin"):
        client = client_for(username)
        name = f"Elterntelefon ({username})"
        response = client.post("/staff/directory", data={"csrf_token": token(client, "/staff/directory"),
                                                          "type": "service", "name": name,
                                                          "phone": "0800 111 0550", "audience": "family"})
        assert response.status_code == 302
        contact = in_db(lambda s: s.scalar(sa.select(Contact).where(Contact.name == name)))
        assert contact.case_id is None
    refused = client.post("/staff/directory", data={"csrf_token": token(client, "/staff/directory"),
                                                     "type": "service", "name": "X", "audience": "people"})
    assert refused.status_code == 400  # chosen people make no sense office-wide


def test_a_stale_contact_save_shows_the_saved_note_beside_the_kept_input(client_for, in_db, sommer):
    """Issue 9, finding 11: the second editor sees everything the first one saved, the note too."""
    contact_id = in_db(lambda s: s.scalar(sa.select(Contact.id).where(Contact.case_id == sommer["case"])))
    first, second = client_for("demo.caseworker"), client_for("demo.lead")
    url = f"/staff/cases/{sommer['case']}/contacts/{contact_id}"
    form_second = token(second, url)
    contact = in_db(lambda s: s.get(Contact, contact_id))
    fields = {"type": contact.type.value, "name": contact.name, "phone": contact.phone or "",
              "audience": contact.audience.value, "revision": str(contact.revision)}
    saved = first.post(url, data={"csrf_token": token(first, url), **fields,
                                  "note": "Nur dienstags erreichbar, ab 14 Uhr."})
    assert saved.status_code == 302
    stale = second.post(url, data={"csrf_token": form_second, **fields, "note": "Bitte vorher eine SMS schicken."})
    assert stale.status_code == 409
    assert "Nur dienstags erreichbar, ab 14 Uhr." in stale.text and "Bitte vorher eine SMS schicken." in stale.text
