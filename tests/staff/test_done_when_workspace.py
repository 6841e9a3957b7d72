"""Issue 12's "done when", over HTTP on the demo office: the cross-case inbox answers a question,
the plan editor removes and reorders items, a translation file goes out and comes back checked."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from translate.storage import po

from portal.models import ContentTranslation, Member, PlanItem, Question
from tests.messages import page_text, translated
from tests.staff.conftest import item_id, token

JONAS_ASKS = "Zählt auch Klettern als Sportverein?"
HOLIDAYS = "Ferien zu Hause planen"
COURT = "Gerichtstermin gemeinsam vorbereiten"


def test_a_day_in_the_workspace(app, client_for, in_db, sommer):
    petra = client_for("demo.caseworker")
    case = sommer["case"]

    # The caseload names what waits; the inbox across cases shows Jonas's open question.
    assert "Familie Sommer" in petra.get("/staff/").text
    inbox = petra.get("/staff/inbox?kind=question")  # the demo office's 14 other families wait too
    assert JONAS_ASKS in page_text(inbox)
    question = in_db(lambda s: s.scalar(sa.select(Question).where(Question.text == JONAS_ASKS)))
    prefix = f"q{question.id}"
    answered = petra.post(f"/staff/cases/{case}/inbox/{question.id}", data={
        f"{prefix}-csrf_token": token(petra, "/staff/inbox"), f"{prefix}-revision": str(question.revision),
        f"{prefix}-reply": "Ja, Klettern zählt.", "next": "/staff/inbox?kind=question"})
    assert answered.status_code == 302
    assert JONAS_ASKS not in petra.get("/staff/inbox?kind=question").text
    assert "Ja, Klettern zählt." in client_for("demo.youth").get("/plan").text

    # The plan editor removes an item and reorders another.
    plan = f"/staff/cases/{case}/plan"
    court = item_id(in_db, COURT)
    confirm = petra.get(f"{plan}/items/{court}/remove").text
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', confirm).group(1)
    assert petra.post(f"{plan}/items/{court}/remove", data={"csrf_token": token(petra, plan),
                                                            "revision": revision}).status_code == 302
    holidays = item_id(in_db, HOLIDAYS)
    assert petra.post(f"{plan}/items/{holidays}/move/up", data={"csrf_token": token(petra, plan)}).status_code == 302
    assert in_db(lambda s: s.get(PlanItem, court)) is None
    assert translated(app, "Removed") in page_text(petra.get(f"/staff/cases/{case}/publish"))

    # Anna reads Turkish: her texts go out to the interpreter service and come back checked.
    in_db(lambda s: (setattr(s.get(Member, sommer["demo.parent"]), "language", "tr"), s.commit()))
    exported = petra.get(f"/staff/cases/{case}/translations/tr.po")
    store = po.pofile(exported.data)
    for unit in store.units:
        if not unit.isheader():
            unit.target = f"[tr] {unit.source}"
    url = f"/staff/cases/{case}/translations"
    back = petra.post(f"{url}/import", data={
        "csrf_token": token(petra, url), "file": (io.BytesIO(bytes(store)), "sommer-tr.po"),
        "interpreter": "Dolmetschdienst Musterstadt, Frau Kaya", "checked_on": "2026-12-02"},
        content_type="multipart/form-data")
    assert back.status_code == 200
    rows = in_db(lambda s: s.scalars(sa.select(ContentTranslation).where(ContentTranslation.language == "tr")).all())
    assert rows and all(r.checked and r.checked_by == "Dolmetschdienst Musterstadt, Frau Kaya" for r in rows)
    assert not [u for u in po.pofile(petra.get(f"{url}/tr.po").data).units if not u.isheader()]
