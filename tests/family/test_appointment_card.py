"""An appointment card that answers every question (issue 11): when from and to, where (a map that
opens on any phone, none for "at home"), the member's own answer shown back and changeable, an
interpreter where the member reads another language, and answers that never overwrite silently."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.models import Appointment, AppointmentAnswer, AppointmentAnswerChange, MemberKind
from tests.conftest import member, post_form
from tests.messages import page_text, translated


def _card(html: str, appointment_id: int) -> str:
    return html.split(f'id="appointment-{appointment_id}"', 1)[1].split("</article>", 1)[0]


def _conference(session) -> Appointment:
    return session.scalar(sa.select(Appointment).where(Appointment.place.contains("Rathausplatz")))


def test_an_appointment_at_home_says_so_without_an_address_or_a_map(app, client_for, session):
    overnight = session.scalar(sa.select(Appointment).where(Appointment.at_home))
    card = _card(client_for("demo.parent").get("/appointments").text, overnight.id)
    assert translated(app, "At your home") in page_text_of(card)
    assert "openstreetmap" not in card and "geo:" not in card


def page_text_of(html: str) -> str:
    import html as entities

    return re.sub(r"</?bdi>", "", entities.unescape(html))


def test_start_and_end_are_shown_and_the_map_opens_on_any_phone(client_for, session):
    conference = _conference(session)
    card = _card(client_for("demo.parent").get("/appointments").text, conference.id)
    assert re.search(r"\d{1,2}:\d{2}\s*[–-]\s*\d{1,2}:\d{2}", card), card  # from – to
    assert 'href="https://www.openstreetmap.org/search?query=' in card


def test_the_answer_is_thanked_in_its_card_shown_back_and_can_be_changed_with_history(
        app, client_for, session):
    conference = _conference(session)
    anna = client_for("demo.parent")
    sent = post_form(anna, f"/appointments/{conference.id}",
                     {"coming": "no", "reason": "Da arbeite ich.", "revision": str(conference.revision)},
                     form_page="/appointments")
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/appointments?answered={conference.id}#appointment-{conference.id}")
    card = page_text_of(_card(anna.get(sent.headers["Location"]).text, conference.id))
    assert translated(app, "Thank you. Your answer was sent.") in card
    assert translated(app, "Your answer: I cannot come.") in card and "Da arbeite ich." in card
    assert translated(app, "Change my answer") in card
    again = post_form(anna, f"/appointments/{conference.id}", {"coming": "yes", "revision": str(conference.revision)},
                      form_page="/appointments")
    assert again.status_code == 302
    session.expire_all()
    answer = session.scalar(sa.select(AppointmentAnswer).where(
        AppointmentAnswer.appointment_id == conference.id, AppointmentAnswer.member_id == member(session, "demo.parent").id))
    assert answer.coming is True
    assert [(e.coming, e.reason) for e in answer.earlier] == [(False, "Da arbeite ich.")]
    staff_page = page_text(client_for("demo.caseworker").get(f"/staff/cases/{conference.case_id}/appointments"))
    assert "Da arbeite ich." in staff_page  # the caseworker sees the earlier answer


CHANGED = "This appointment was changed after you opened the page. Please check it and answer again."


def _answers_of(session, appointment: Appointment, username: str) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).where(
        AppointmentAnswer.appointment_id == appointment.id,
        AppointmentAnswer.member_id == member(session, username).id))


def test_an_answer_to_an_appointment_moved_since_the_page_was_loaded_is_not_saved(app, client_for, session):
    """The moved appointment is shown again as it is now, with the reason and the interpreter
    the member chose kept in the form (SECURITY 26), which now echoes the current revision:
    sending it again is a deliberate answer to the new time."""
    conference = _conference(session)
    anna = member(session, "demo.parent")
    anna.language = "tr"  # so that she is offered an interpreter
    session.commit()
    client = client_for("demo.parent")
    seen = str(conference.revision)
    conference.starts_at = conference.starts_at.replace(hour=(conference.starts_at.hour + 1) % 24)
    session.commit()
    refused = post_form(client, f"/appointments/{conference.id}",
                        {"coming": "no", "reason": "Da habe ich Spätschicht.", "interpreter": "y", "revision": seen},
                        form_page="/appointments")
    assert refused.status_code == 409
    assert translated(app, CHANGED, "tr") in page_text(refused)
    assert _answers_of(session, conference, "demo.parent") == 0
    card = _card(refused.text, conference.id)
    assert ">Da habe ich Spätschicht.</textarea>" in card  # what she typed is still there
    assert re.search(r'name="interpreter" value="y" checked', card)
    assert "<details open>" in card  # "I cannot come" stays open around her reason
    current = re.search(r'name="revision" value="(\d+)"', card).group(1)
    assert current == str(conference.revision) != seen
    again = post_form(client, f"/appointments/{conference.id}",
                      {"coming": "no", "reason": "Da habe ich Spätschicht.", "interpreter": "y", "revision": current},
                      form_page="/appointments")
    assert again.status_code == 302
    session.expire_all()
    answer = session.scalar(sa.select(AppointmentAnswer).where(AppointmentAnswer.appointment_id == conference.id))
    assert (answer.coming, answer.reason, answer.interpreter) == (False, "Da habe ich Spätschicht.", True)


@pytest.mark.parametrize("revision", [None, "", "abc", "-1", "1.0", "0", "99999999999"])
def test_an_answer_without_a_usable_revision_is_refused_like_an_outdated_one(app, client_for, session, revision):
    """The form always echoes the revision; an answer without one (a hand-made request, a broken
    page) cannot be checked against the appointment's current state, so it is not saved."""
    conference = _conference(session)
    data = {"coming": "no", "reason": "Ohne Stand."} | ({} if revision is None else {"revision": revision})
    refused = post_form(client_for("demo.youth"), f"/appointments/{conference.id}", data, form_page="/appointments")
    assert refused.status_code == 409
    assert translated(app, CHANGED, reader=MemberKind.youth) in page_text(refused)  # Jonas is spoken to as "du"
    assert ">Ohne Stand.</textarea>" in _card(refused.text, conference.id)
    assert _answers_of(session, conference, "demo.youth") == 0


def test_a_refused_answer_of_an_existing_one_keeps_the_change_open(app, client_for, session):
    """With an answer already given, the form sits in "Change my answer": after a refusal it is
    open, showing the new reason typed, not the earlier answer."""
    conference = _conference(session)
    client = client_for("demo.parent")
    assert post_form(client, f"/appointments/{conference.id}", {"coming": "yes", "revision": str(conference.revision)},
                     form_page="/appointments").status_code == 302
    refused = post_form(client, f"/appointments/{conference.id}", {"coming": "no", "reason": "Doch nicht.",
                                                                   "revision": "0"}, form_page="/appointments")
    assert refused.status_code == 409
    card = _card(refused.text, conference.id)
    assert '<details class="change-answer no-print" open>' in card and ">Doch nicht.</textarea>" in card
    session.expire_all()
    assert session.scalar(sa.select(AppointmentAnswer.coming).where(
        AppointmentAnswer.appointment_id == conference.id,
        AppointmentAnswer.member_id == member(session, "demo.parent").id)) is True


def test_a_member_who_reads_another_language_may_ask_for_an_interpreter(app, client_for, session):
    conference = _conference(session)
    anna = member(session, "demo.parent")
    anna.language = "tr"
    session.commit()
    client = client_for("demo.parent")
    assert 'name="interpreter"' in _card(client.get("/appointments").text, conference.id)
    post_form(client, f"/appointments/{conference.id}",
              {"coming": "yes", "interpreter": "y", "revision": str(conference.revision)}, form_page="/appointments")
    staff_page = page_text(client_for("demo.caseworker").get(f"/staff/cases/{conference.case_id}/appointments"))
    assert translated(app, "needs an interpreter") in staff_page
    # Daniel reads German: no such choice, and sending it along changes nothing.
    daniel = client_for("demo.parent2")
    assert 'name="interpreter"' not in _card(daniel.get("/appointments").text, conference.id)
    post_form(daniel, f"/appointments/{conference.id}",
              {"coming": "yes", "interpreter": "y", "revision": str(conference.revision)}, form_page="/appointments")
    session.expire_all()
    answers = {a.member.username: a.interpreter for a in session.scalars(
        sa.select(AppointmentAnswer).where(AppointmentAnswer.appointment_id == conference.id))}
    assert answers == {"demo.parent": True, "demo.parent2": False}
    assert session.scalar(sa.select(sa.func.count()).select_from(AppointmentAnswerChange)) == 0
