import sqlalchemy as sa
from portal.models import *
from tests.conftest import case_titled

def test_smoke(client_for, app):
  with app.app_context():
    from portal.db import db
    session = db.session
    s = case_titled(session, "Familie Sommer")
    item = session.scalar(sa.select(PlanItem).where(PlanItem.text=="Anna spricht mit der Suchtberatung"))
    ap = session.scalar(sa.select(Appointment).where(Appointment.case_id==s.id))
    co = session.scalar(sa.select(Contact).where(Contact.case_id==s.id))
    m = s.members[0]
    sid, iid, aid, cid, mid = s.id, item.id, ap.id, co.id, m.id
  if True:
    c = client_for("demo.caseworker")
    for url in ["/staff/", "/staff/?phase=preparation", f"/staff/cases/{sid}", f"/staff/cases/{sid}/plan",
                f"/staff/cases/{sid}/plan/items/{iid}", f"/staff/cases/{sid}/plan/items/{iid}/translations",
                f"/staff/cases/{sid}/publish", f"/staff/cases/{sid}/history", f"/staff/cases/{sid}/preview/{mid}/plan",
                f"/staff/cases/{sid}/appointments", f"/staff/cases/{sid}/appointments/{aid}",
                f"/staff/cases/{sid}/contacts", f"/staff/cases/{sid}/contacts/{cid}", f"/staff/cases/{sid}/inbox"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[-3000:])
    lead = client_for("demo.lead")
    for url in ["/staff/", f"/staff/cases/{sid}", "/staff/directory"]:
        r = lead.get(url); assert r.status_code == 200, (url, r.text[-3000:])
    adm = client_for("demo.admin")
    for url in ["/staff/admin/staff", "/staff/directory", f"/staff/admin/staff/1"]:
        r = adm.get(url); assert r.status_code == 200, (url, r.text[-3000:])
