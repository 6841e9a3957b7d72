"""The plan editor through HTTP: audience, bad input, conflicts, order, consent, translations."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from portal.models import Consent, ContentTranslation, ItemStatus, PlanItem
from tests.messages import page_text, translated, translated_until
from tests.staff.conftest import item_form, item_id, token

COUNSELLING = "Anna spricht mit der Suchtberatung"
SPORT = "Jonas sucht sich einen Sportverein"


def new_item(**changes) -> dict:
    return {"kind": "step", "parent_id": "", "text": "Mia packt ihre Tasche selbst", "simple_text": "",
            "pictogram": "", "owner": "child", "due_on": "", "status": "open", "audience": "family",
            "entrusted_by": "", **changes}


def test_every_draft_item_shows_its_audience_in_plain_words_with_names(app, client_for, sommer):
    page = page_text(client_for("demo.caseworker").get(f"/staff/cases/{sommer['case']}/plan"))
    assert translated(app, "Only: %(names)s", names="Anna, Jonas") in page
    for audience in ("Parents only", "Whole family", "Office only — not shown to the family"):
        assert translated(app, audience) in page
    assert translated(app, "entrusted by %(name)s", name="Anna") in page


def test_people_audience_with_nobody_chosen_is_refused_and_keeps_the_text(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url),
                                          **new_item(audience="people", text="Nur für ausgewählte Personen")})
    assert response.status_code == 400
    assert translated(app, "Please choose at least one person, or pick another audience.") in page_text(response)
    assert "Nur für ausgewählte Personen" in response.text
    assert item_id(in_db, "Nur für ausgewählte Personen") is None


def test_a_past_due_date_is_saved_but_flagged(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **new_item(due_on=yesterday)},
                               follow_redirects=True)
    page = page_text(response)
    assert translated(app, "Saved. Note: the due date is in the past.") in page
    assert f'<strong class="overdue">{translated(app, "overdue")}</strong>' in page
    assert item_id(in_db, "Mia packt ihre Tasche selbst") is not None


def test_new_item_with_simple_text_and_pictogram_and_chosen_people(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **new_item(
        simple_text="Mia packt.", pictogram="suitcase", audience="people",
        people=[str(sommer["demo.child"]), str(sommer["demo.parent"])])})
    assert response.status_code == 302
    item = in_db(lambda s: s.scalar(sa.select(PlanItem).where(PlanItem.text == "Mia packt ihre Tasche selbst")))
    assert item.pictogram == "suitcase" and item.simple_text == "Mia packt."
    assert in_db(lambda s: sorted(p.display_name for p in s.get(PlanItem, item.id).people)) == ["Anna", "Mia"]


def test_an_unknown_pictogram_is_refused(client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **new_item(pictogram="rocket")})
    assert response.status_code == 400
    assert "Mia packt ihre Tasche selbst" in response.text


def test_second_save_of_the_same_item_is_refused_with_input_kept_and_the_other_change_shown(client_for, in_db, sommer):
    url = f"/staff/cases/{sommer['case']}/plan/items/{item_id(in_db, SPORT)}"
    first, second = client_for("demo.caseworker"), client_for("demo.lead")
    form = item_form(in_db, SPORT)
    first_token, second_token = token(first, url), token(second, url)
    saved = first.post(url, data={"csrf_token": first_token, **form, "text": "Jonas geht zum Handballtraining"})
    assert saved.status_code == 302
    refused = second.post(url, data={"csrf_token": second_token, **form, "text": "Jonas geht zum Schwimmen"})
    assert refused.status_code == 409
    assert "Jonas geht zum Schwimmen" in refused.text  # the second person's input is kept
    assert "Jonas geht zum Handballtraining" in refused.text  # and the first person's change is shown
    assert item_id(in_db, "Jonas geht zum Handballtraining") is not None
    assert item_id(in_db, "Jonas geht zum Schwimmen") is None


def test_items_move_up_and_down_and_are_marked_done(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    case = sommer["case"]
    sport = item_id(in_db, SPORT)

    def order(session):
        return [i.id for i in session.scalars(sa.select(PlanItem).join(PlanItem.plan)
                                              .where(PlanItem.plan.has(case_id=case)).order_by(PlanItem.position))]

    before = in_db(order)
    plan_url = f"/staff/cases/{case}/plan"
    response = caseworker.post(f"{plan_url}/items/{sport}/move/up", data={"csrf_token": token(caseworker, plan_url)})
    assert response.status_code == 302
    after = in_db(order)
    index = before.index(sport)
    assert after[index - 1] == sport and after[index] == before[index - 1]
    caseworker.post(f"{plan_url}/items/{sport}/move/down", data={"csrf_token": token(caseworker, plan_url)})
    assert in_db(order) == before
    caseworker.post(f"{plan_url}/items/{sport}/done", data={"csrf_token": token(caseworker, plan_url)})
    assert in_db(lambda s: s.get(PlanItem, sport).status) is ItemStatus.done


def test_consent_only_from_the_entrusting_person_shared_after_publishing_and_withdrawn_at_once(
        app, client_for, in_db, sommer):
    case = sommer["case"]
    counselling = item_id(in_db, COUNSELLING)
    caseworker = client_for("demo.caseworker")
    edit_url = f"/staff/cases/{case}/plan/items/{counselling}"
    consent_url = f"{edit_url}/consents"
    refused = caseworker.post(consent_url, data={"csrf_token": token(caseworker, edit_url),
                                                 "given_by": str(sommer["demo.parent2"]),
                                                 "recipients": [str(sommer["demo.parent2"])]})
    assert refused.status_code == 400
    assert translated(app, "Only %(name)s entrusted this item, so only %(name)s can consent to sharing it.",
                      name="Anna") in page_text(refused)
    assert re.search(rf">\s*{COUNSELLING}</textarea>", refused.text)  # the item form still shows the item
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Consent))) == 0

    recorded = caseworker.post(consent_url, data={"csrf_token": token(caseworker, edit_url),
                                                  "given_by": str(sommer["demo.parent"]),
                                                  "recipients": [str(sommer["demo.parent2"])]})
    assert recorded.status_code == 302
    page = page_text(caseworker.get(edit_url))
    assert translated_until(app, "%(giver)s consented that %(recipient)s may see it – recorded %(time)s", "time",
                            giver="Anna", recipient="Daniel") in page

    review = page_text(caseworker.get(f"/staff/cases/{case}/publish"))
    assert translated(app, "Will newly see it: %(names)s", names="Daniel") in review
    caseworker.post(f"/staff/cases/{case}/publish", data={"csrf_token": token(caseworker, edit_url),
                                                          "based_on": "2", "note": "Mit Annas Einverständnis"})
    daniel = client_for("demo.parent2")
    assert COUNSELLING in daniel.get("/plan").text

    consent = in_db(lambda s: s.scalar(sa.select(Consent.id)))
    withdrawn = caseworker.post(f"{consent_url}/{consent}/withdraw", data={"csrf_token": token(caseworker, edit_url)})
    assert withdrawn.status_code == 302
    # Withdrawal does not wait for the next version: Daniel's very next request has it no more.
    for page in ("/plan", "/plan/print", "/path", "/account/export.json", "/account/export.html"):
        assert COUNSELLING not in daniel.get(page).text, page
    assert COUNSELLING in client_for("demo.parent").get("/plan").text  # Anna entrusted it


def test_consent_for_an_item_nobody_entrusted_is_refused(app, client_for, in_db, sommer):
    sport = item_id(in_db, SPORT)
    caseworker = client_for("demo.caseworker")
    edit_url = f"/staff/cases/{sommer['case']}/plan/items/{sport}"
    refused = caseworker.post(f"{edit_url}/consents", data={"csrf_token": token(caseworker, edit_url),
                                                            "given_by": str(sommer["demo.parent"]),
                                                            "recipients": [str(sommer["demo.parent2"])]})
    assert refused.status_code == 400
    assert translated(app, "Nobody entrusted this item, so no consent is needed.") in page_text(refused)


def test_translation_is_saved_per_language_and_a_stale_save_is_refused(app, client_for, in_db, sommer):
    sport = item_id(in_db, SPORT)
    url = f"/staff/cases/{sommer['case']}/plan/items/{sport}/translations"
    first, second = client_for("demo.caseworker"), client_for("demo.lead")
    blank = {"tr-text_revision": "0", "tr-simple_text_revision": "0"}
    first_token, second_token = token(first, url), token(second, url)
    saved = first.post(f"{url}/tr", data={"tr-csrf_token": first_token, **blank,
                                          "tr-text": "Jonas bir spor kulübü arıyor", "tr-checked": "y"})
    assert saved.status_code == 302
    row = in_db(lambda s: s.scalar(sa.select(ContentTranslation).where(
        ContentTranslation.object_id == sport, ContentTranslation.language == "tr")))
    assert row.text == "Jonas bir spor kulübü arıyor" and row.checked
    refused = second.post(f"{url}/tr", data={"tr-csrf_token": second_token, **blank, "tr-text": "Jonas spor arıyor"})
    assert refused.status_code == 409
    assert "Jonas spor arıyor" in refused.text and "Jonas bir spor kulübü arıyor" in refused.text
    changed = page_text(first.get(f"/staff/cases/{sommer['case']}/publish"))
    assert translated(app, "translations") in changed  # a changed field


def test_translation_for_an_unsupported_language_is_404(client_for, in_db, sommer):
    sport = item_id(in_db, SPORT)
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan/items/{sport}/translations"
    assert caseworker.post(f"{url}/de", data={"csrf_token": token(caseworker, url)}).status_code == 404


def test_consent_left_from_an_earlier_entrusting_person_is_recorded_anew_for_the_current_one(
        app, client_for, in_db, sommer):
    counselling = item_id(in_db, COUNSELLING)

    def arrange(session):
        item = session.get(PlanItem, counselling)
        item.consents.append(Consent(given_by_id=sommer["demo.parent"], recipient_id=sommer["demo.youth"]))
        item.entrusted_by_id = sommer["demo.parent2"]
        session.commit()

    in_db(arrange)
    caseworker = client_for("demo.caseworker")
    edit_url = f"/staff/cases/{sommer['case']}/plan/items/{counselling}"
    assert translated(app, "No consent recorded: only %(name)s sees this item.", name="Daniel") in page_text(
        caseworker.get(edit_url))
    recorded = caseworker.post(f"{edit_url}/consents", data={"csrf_token": token(caseworker, edit_url),
                                                             "given_by": str(sommer["demo.parent2"]),
                                                             "recipients": [str(sommer["demo.youth"])]})
    assert recorded.status_code == 302
    assert in_db(lambda s: [(c.given_by_id, c.recipient_id) for c in s.get(PlanItem, counselling).consents]) == [
        (sommer["demo.parent2"], sommer["demo.youth"])]
