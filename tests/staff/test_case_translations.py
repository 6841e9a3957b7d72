"""Translations as a workflow: what each member reads untranslated, one file out to the interpreter
service and back in (read here with the translate-toolkit, as an interpreter's tool would), nothing
half-imported, and the publish review's warning per member."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from translate.storage import po

from portal.models import ContentTranslation, Member, PlanItem
from tests.factories import make_case, make_item, make_member
from tests.messages import page_text, translated, translated_plural
from tests.staff.conftest import item_id, token

HOME = "Mia lebt ab Sommer 2027 wieder bei ihrer Familie"
COURT = "Gerichtstermin gemeinsam vorbereiten"
COUNSELLING = "Anna spricht mit der Suchtberatung"
STAFF_ONLY = "Rücksprache mit der Wohngruppe"
HOLIDAYS = "Ferien zu Hause planen"
COURT_PLACE = "Amtsgericht Musterstadt, Familiengericht, Gerichtsstraße 5, Saal 104"


@pytest.fixture
def readers(in_db, sommer):
    """Anna reads Turkish, Daniel Arabic; Jonas and Mia German."""

    def arrange(session):
        session.get(Member, sommer["demo.parent"]).language = "tr"
        session.get(Member, sommer["demo.parent2"]).language = "ar"
        session.commit()

    in_db(arrange)
    return sommer


def export(client, case_id: int, language: str) -> po.pofile:
    response = client.get(f"/staff/cases/{case_id}/translations/{language}.po")
    assert response.status_code == 200
    assert response.mimetype == "text/x-gettext-translation"
    assert "attachment" in response.headers["Content-Disposition"]
    return po.pofile(response.data)


def units(store: po.pofile) -> dict[str, object]:
    return {unit.source: unit for unit in store.units if not unit.isheader()}


def send_back(client, case_id: int, data: bytes, interpreter: str = "Ayşe Demir", checked_on: str = "2026-12-01"):
    url = f"/staff/cases/{case_id}/translations"
    return client.post(f"{url}/import", data={
        "csrf_token": token(client, url), "file": (io.BytesIO(data), "zurück.po"),
        "interpreter": interpreter, "checked_on": checked_on}, content_type="multipart/form-data")


def rows(in_db, language: str) -> dict[tuple[str, int, str], ContentTranslation]:
    return in_db(lambda s: {(r.object_type, r.object_id, r.field): r for r in s.scalars(
        sa.select(ContentTranslation).where(ContentTranslation.language == language))})


def test_the_page_lists_per_language_what_each_member_sees_untranslated(app, client_for, in_db, readers):
    page = page_text(client_for("demo.caseworker").get(f"/staff/cases/{readers['case']}/translations"))
    turkish, arabic = page.split('id="gaps-tr"')[1], page.split('id="gaps-ar"')[1].split('id="gaps-tr"')[0]
    assert HOME in turkish and HOME in arabic
    assert COUNSELLING in turkish  # Anna entrusted it: she sees it
    assert COUNSELLING not in arabic  # Daniel does not (no consent): the viewer says so
    assert HOLIDAYS in turkish  # a draft item, as the family will see it once published
    assert STAFF_ONLY not in page  # the office's own notes are never shown, so never translated
    assert COURT_PLACE in turkish  # appointments too
    assert translated(app, "Download the file for the interpreter service") in page


def test_export_and_import_round_trip_checks_each_entry_by_the_named_interpreter(app, client_for, in_db, readers):
    caseworker = client_for("demo.caseworker")
    store = export(caseworker, readers["case"], "tr")
    assert store.gettargetlanguage() == "tr"
    found = units(store)
    home = found[HOME]
    assert home.getcontext() == f"case/{readers['case']}/plan_item/{item_id(in_db, HOME)}/text"
    assert translated(app, "Goal") in home.getnotes()  # what it is, for the interpreter
    assert COURT_PLACE in found
    assert all(unit.target == "" for unit in found.values())
    for unit in found.values():
        unit.target = f"TR: {unit.source}"
    response = send_back(caseworker, readers["case"], bytes(store))
    assert response.status_code == 200
    assert translated_plural(app, "%(num)d translation is checked now.", "%(num)d translations are checked now.",
                             len(found)) in page_text(response)
    saved = rows(in_db, "tr")
    row = saved[("plan_item", item_id(in_db, HOME), "text")]
    assert (row.text, row.checked, row.checked_by, row.checked_on) == (
        f"TR: {HOME}", True, "Ayşe Demir", date(2026, 12, 1))
    assert any(key[0] == "appointment" and r.text == f"TR: {COURT_PLACE}" for key, r in saved.items())
    # Nothing is left to translate into Turkish; Arabic still waits.
    assert units(export(caseworker, readers["case"], "tr")) == {}
    assert HOME in units(export(caseworker, readers["case"], "ar"))
    # The family reads it at once (appointments) and after publishing (plan items).
    anna = client_for("demo.parent")
    assert f"TR: {COURT_PLACE}" in anna.get("/appointments").text


def test_an_entry_whose_german_text_changed_since_the_export_is_imported_unchecked(app, client_for, in_db, readers):
    caseworker = client_for("demo.caseworker")
    store = export(caseworker, readers["case"], "tr")
    for unit in units(store).values():
        unit.target = f"TR: {unit.source}"
    home = item_id(in_db, HOME)
    in_db(lambda s: (setattr(s.get(PlanItem, home), "text", "Mia lebt ab Herbst 2027 wieder zu Hause"), s.commit()))
    response = send_back(caseworker, readers["case"], bytes(store))
    assert response.status_code == 200
    assert translated(app, "the German text changed since the export. The translation is saved, but not checked: "
                           "please have it checked again.") in page_text(response)
    row = rows(in_db, "tr")[("plan_item", home, "text")]
    assert (row.checked, row.checked_by) == (False, None)
    assert rows(in_db, "tr")[("plan_item", item_id(in_db, COUNSELLING), "text")].checked
    # It stays on the list (as "not checked") and comes back in the next file, marked fuzzy.
    again = units(export(caseworker, readers["case"], "tr"))
    assert list(again) == ["Mia lebt ab Herbst 2027 wieder zu Hause"]
    assert again["Mia lebt ab Herbst 2027 wieder zu Hause"].isfuzzy()


def test_entries_of_items_that_no_longer_exist_or_without_translation_are_named_and_skipped(
        app, client_for, in_db, readers):
    caseworker = client_for("demo.caseworker")
    store = export(caseworker, readers["case"], "tr")
    found = units(store)
    for source, unit in found.items():
        unit.target = "" if source == COUNSELLING else f"TR: {source}"
    holidays = item_id(in_db, HOLIDAYS)
    in_db(lambda s: (s.delete(s.get(PlanItem, holidays)), s.commit()))
    response = send_back(caseworker, readers["case"], bytes(store))
    page = page_text(response)
    assert response.status_code == 200
    assert translated(app, "this text no longer exists in the case; not imported.") in page
    assert translated(app, "no translation in the file; not imported.") in page
    saved = rows(in_db, "tr")
    assert ("plan_item", holidays, "text") not in saved
    assert ("plan_item", item_id(in_db, COUNSELLING), "text") not in saved
    assert saved[("plan_item", item_id(in_db, HOME), "text")].checked


@pytest.mark.parametrize("data, message", [
    (b"This is a Word document, not a translation file.\n\x00\x01",
     "The file is not a readable translation file (a PO file); the problem is in line %(line)d. Nothing was imported."),
    (b"\xff\xfe\x00garbage", "The file is not a readable translation file (a PO file). Nothing was imported."),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "b"\n',
     "The file does not say which language it is in. Nothing was imported."),
])
def test_a_malformed_file_imports_nothing_and_says_why(app, client_for, in_db, readers, data, message):
    caseworker = client_for("demo.caseworker")
    before = rows(in_db, "tr")
    response = send_back(caseworker, readers["case"], data)
    assert response.status_code == 400
    expected = translated(app, message, line=1) if "%(line)d" in message else translated(app, message)
    assert expected in page_text(response)
    assert rows(in_db, "tr") == before


def test_a_file_with_an_entry_of_another_case_imports_nothing(app, client_for, in_db, session, readers):
    caseworker = client_for("demo.caseworker")
    store = export(caseworker, readers["case"], "tr")
    for unit in units(store).values():
        unit.target = f"TR: {unit.source}"
    other = make_case(session)
    make_member(session, other, language="tr")
    foreign = make_item(session, other, text="Fremder Text")
    session.commit()
    unit = store.addsourceunit("Fremder Text")
    unit.target = "Yabancı metin"
    unit.setcontext(f"case/{other.id}/plan_item/{foreign.id}/text")
    response = send_back(caseworker, readers["case"], bytes(store))
    assert response.status_code == 400
    assert translated(app, "This file was exported for another case. Nothing was imported.") in page_text(response)
    assert rows(in_db, "tr") == {}  # not even the entries of this case


def test_the_import_needs_the_interpreters_name_and_date(app, client_for, in_db, readers):
    caseworker = client_for("demo.caseworker")
    store = export(caseworker, readers["case"], "tr")
    response = send_back(caseworker, readers["case"], bytes(store), interpreter="", checked_on="")
    assert response.status_code == 400 and "error-summary" in response.text
    assert rows(in_db, "tr") == {}


def test_the_publish_review_warns_per_member_and_publishing_anyway_works(app, client_for, in_db, readers):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{readers['case']}/publish"
    review = page_text(caseworker.get(url))

    def seen_items(username):
        from portal import preview, sharing
        from portal.models import Plan, StaffUser

        def count(session):
            plan = session.scalar(sa.select(Plan).where(Plan.case_id == readers["case"]))
            author = session.scalar(sa.select(StaffUser).where(StaffUser.username == "demo.caseworker"))
            member = session.get(Member, readers[username])
            return preview.as_if_published(session, plan, author,
                                           lambda: len(sharing.Viewer(session, member).items()))

        return in_db(count)

    anna_sees = seen_items("demo.parent")
    english = translated_plural(app, "%(name)s reads %(language_name)s and will see %(num)d item only in German.",
                                "%(name)s reads %(language_name)s and will see %(num)d items only in German.",
                                anna_sees, name="Anna", language_name="Türkçe")
    assert english in review
    assert "Jonas reads" not in review and "Jonas liest" not in review
    published = caseworker.post(url, data={"csrf_token": token(caseworker, url), "based_on": "2",
                                            "note": "Neue Version"})
    assert published.status_code == 302


def test_a_family_that_reads_german_needs_nothing(app, client_for, sommer):
    page = page_text(client_for("demo.caseworker").get(f"/staff/cases/{sommer['case']}/translations"))
    assert translated(app, "Everyone in this family reads German.") in page
    assert client_for("demo.caseworker").get(f"/staff/cases/{sommer['case']}/translations/de.po").status_code == 404

