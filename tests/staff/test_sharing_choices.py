"""Sharing choices in the caseworker's forms are never dropped silently (issue 9, finding 10):
ticking people with another audience is refused with a message on every form that has an
audience, and the publish note has an audience of its own whose readers the review lists."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.models import Appointment, PlanItem, PlanVersion
from tests.messages import page_text, translated
from tests.staff.conftest import token
from tests.staff.test_plan_editor import new_item

TICKED_BUT = ("You ticked people below, but “%(audience)s” is chosen. To share with the ticked people only, "
              "choose “%(people)s”; otherwise untick them.")


def _appointment(**changes) -> dict:
    return {"type": "visit", "starts_at": "2031-05-04T15:00", "ends_at": "2031-05-04T17:00",
            "place": "Zu Hause", "bring": "", "note": "", "audience": "family", **changes}


@pytest.mark.parametrize(("path", "data", "model", "marker"), [
    ("plan", new_item(text="Nur für Jonas gedacht"), PlanItem, ("text", "Nur für Jonas gedacht")),
    ("appointments", _appointment(place="Jugendberatung, nur Jonas"), Appointment,
     ("place", "Jugendberatung, nur Jonas")),
])
def test_ticked_people_with_another_audience_are_refused_and_nothing_is_saved(
        app, client_for, in_db, sommer, path, data, model, marker):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/{path}"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **data,
                                          "people": [str(sommer["demo.youth"])]})
    assert response.status_code == 400
    assert translated(app, TICKED_BUT, audience=translated(app, "Whole family"),
                      people=translated(app, "Only the people chosen below")) in page_text(response)
    assert marker[1] in response.text  # the caseworker's input is kept
    column = getattr(model, marker[0])
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).where(column == marker[1]))) == 0


def test_the_publish_note_reaches_only_its_audience_and_the_review_names_the_readers(
        app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/publish"
    review = page_text(caseworker.get(url))
    assert translated(app, "Who reads the note:") in review
    assert f"{translated(app, 'Parents only')}: Anna, Daniel" in review
    assert f"{translated(app, 'Whole family')}: Anna, Daniel, Jonas, Mia" in review
    note = "Jonas, dein Sportverein steht jetzt im Plan."
    refused = caseworker.post(url, data={"csrf_token": token(caseworker, url), "based_on": "2", "note": note,
                                         "note_audience": "family", "note_people": [str(sommer["demo.youth"])]})
    assert refused.status_code == 400 and note in refused.text
    published = caseworker.post(url, data={"csrf_token": token(caseworker, url), "based_on": "2", "note": note,
                                           "note_audience": "people", "note_people": [str(sommer["demo.youth"])]})
    assert published.status_code == 302
    version = in_db(lambda s: s.scalar(sa.select(PlanVersion).order_by(PlanVersion.id.desc()).limit(1)))
    assert version.number == 3
    assert note in client_for("demo.youth").get("/plan").text
    assert note in client_for("demo.youth").get("/").text
    for username in ("demo.parent", "demo.parent2", "demo.child"):
        reader = client_for(username)
        assert note not in reader.get("/plan").text + reader.get("/plan/print").text + reader.get("/").text, username
    history = page_text(caseworker.get(f"/staff/cases/{sommer['case']}/history"))
    assert translated(app, "Note read by: %(who)s", who="Jonas") in history
