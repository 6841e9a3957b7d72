"""Issue 4's "done when": from draft to a published version, previewed, seen and agreed to."""
import sqlalchemy as sa

from portal.models import PlanVersion
from tests.messages import page_text, translated
from tests.staff.conftest import item_form, item_id, token

HOLIDAYS = "Ferien zu Hause planen"


def version_count(in_db, case_id: int) -> int:
    from portal.models import Plan

    return in_db(lambda s: s.scalar(
        sa.select(sa.func.count()).select_from(PlanVersion).join(Plan).where(Plan.case_id == case_id)))


def test_caseworker_takes_sommer_from_draft_to_published_version_and_anna_agrees(app, client_for, in_db, sommer):
    case = sommer["case"]
    caseworker = client_for("demo.caseworker")
    holidays = item_id(in_db, HOLIDAYS)

    plan = caseworker.get(f"/staff/cases/{case}/plan")
    assert HOLIDAYS in plan.text
    # The demo draft item is meant for the whole family; saving it unchanged keeps it so.
    edit_url = f"/staff/cases/{case}/plan/items/{holidays}"
    assert translated(app, "Whole family") in page_text(caseworker.get(edit_url))
    saved = caseworker.post(edit_url, data={"csrf_token": token(caseworker, edit_url), **item_form(in_db, HOLIDAYS)})
    assert saved.status_code == 302

    versions_before = version_count(in_db, case)
    for username in ("demo.child", "demo.parent2"):
        preview = caseworker.get(f"/staff/cases/{case}/preview/{sommer[username]}/plan")
        assert preview.status_code == 200
        assert "preview-banner" in preview.text
        assert HOLIDAYS in preview.text
    assert version_count(in_db, case) == versions_before, "a preview must not publish"
    for username in ("demo.child", "demo.parent2"):
        assert HOLIDAYS not in client_for(username).get("/plan").text, "not published yet"

    review = caseworker.get(f"/staff/cases/{case}/publish")
    assert translated(app, "Will newly see it: %(names)s", names="Anna, Daniel, Jonas, Mia") in page_text(review)
    published = caseworker.post(f"/staff/cases/{case}/publish", data={
        "csrf_token": token(caseworker, f"/staff/cases/{case}/publish"), "based_on": "2",
        "note": "Wir planen jetzt gemeinsam die Ferien zu Hause."})
    assert published.status_code == 302
    assert version_count(in_db, case) == versions_before + 1

    for username in ("demo.child", "demo.parent2"):
        assert HOLIDAYS in client_for(username).get("/plan").text

    anna = client_for("demo.parent")
    agreed = anna.post("/plan/response", data={"csrf_token": token(anna, "/plan/response"), "agrees": "yes",
                                               "comment": "Einverstanden."})
    assert agreed.status_code == 302

    history = caseworker.get(f"/staff/cases/{case}/history")
    assert history.status_code == 200
    version_3 = page_text(history).split('id="version-3"')[1].split('id="version-2"')[0]
    assert "Wir planen jetzt gemeinsam die Ferien zu Hause." in version_3
    assert f"Anna: <strong>{translated(app, 'agrees')}</strong>" in version_3 and "Einverstanden." in version_3
    assert HOLIDAYS in version_3  # the diff to version 2


def test_a_second_publish_of_the_same_draft_publishes_once(app, client_for, in_db, sommer):
    case = sommer["case"]
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{case}/publish"
    data = {"csrf_token": token(caseworker, url), "based_on": "2", "note": "Neue Version"}
    assert caseworker.post(url, data=data).status_code == 302
    again = caseworker.post(url, data=data, follow_redirects=True)
    assert translated(app, "This plan was already published in the meantime. Nothing was published twice.") in page_text(again)
    assert version_count(in_db, case) == 3


def item_texts(html: str) -> list[str]:
    import re

    return re.findall(r'<p class="item-text"[^>]*>([^<]*)</p>', html)


def test_preview_shows_each_member_exactly_what_their_plan_page_shows_after_publishing(client_for, sommer):
    case = sommer["case"]
    caseworker = client_for("demo.caseworker")
    members = ("demo.parent", "demo.parent2", "demo.youth", "demo.child")
    previews = {u: item_texts(caseworker.get(f"/staff/cases/{case}/preview/{sommer[u]}/plan").text) for u in members}
    caseworker.post(f"/staff/cases/{case}/publish", data={
        "csrf_token": token(caseworker, f"/staff/cases/{case}/publish"), "based_on": "2", "note": "Neu"})
    for username in members:
        assert item_texts(client_for(username).get("/plan").text) == previews[username], username
    assert len(set(map(tuple, previews.values()))) == 4  # four members, four different views


def test_every_family_page_can_be_previewed_and_nothing_is_published(client_for, in_db, sommer):
    from portal.staff.versions import PREVIEW_PAGES

    case = sommer["case"]
    caseworker = client_for("demo.caseworker")
    before = version_count(in_db, case)
    for page in PREVIEW_PAGES:
        for username in ("demo.parent", "demo.child"):
            response = caseworker.get(f"/staff/cases/{case}/preview/{sommer[username]}/{page}")
            assert response.status_code == 200, (page, username)
            assert "preview-banner" in response.text
    assert caseworker.get(f"/staff/cases/{case}/preview/{sommer['demo.child']}/account").status_code == 404
    assert version_count(in_db, case) == before
