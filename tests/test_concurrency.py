"""No lost updates (SECURITY.md property 26): two editors save the same version."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from portal import concurrency
from portal.models import PlanItem
from tests.conftest import case_titled, csrf_token

ITEM = "Feste Abendroutine mit Mia einüben: Abendessen um 18 Uhr, Zähne putzen, Vorlesen"
REVISION = re.compile(r'name="revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="revision"')


def edit_form(client, url: str, text: str) -> dict:
    """What a browser would send after loading the edit page and changing the text."""
    page = client.get(url)
    assert page.status_code == 200
    match = REVISION.search(page.text)
    return {
        "csrf_token": csrf_token(page.text), "revision": match.group(1) or match.group(2),
        "kind": "step", "parent_id": "", "text": text, "simple_text": "", "owner": "parents",
        "due_on": "", "status": "open", "audience": "family",
    }


def test_second_save_from_the_same_version_is_a_conflict_that_keeps_the_input(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    item = session.scalar(sa.select(PlanItem).where(PlanItem.text == ITEM))
    url = f"/staff/cases/{sommer.id}/plan/items/{item.id}"
    petra, sabine = client_for("demo.caseworker"), client_for("demo.lead")
    first = edit_form(petra, url, "Abendroutine: Essen um 18 Uhr, dann Vorlesen")
    second = edit_form(sabine, url, "Abendroutine mit Vorlesen und Zähneputzen um 19 Uhr")
    assert first["revision"] == second["revision"]

    assert petra.post(url, data=first).status_code == 302
    conflict = sabine.post(url, data=second)

    assert conflict.status_code == 409
    text = html.unescape(conflict.text)
    assert second["text"] in text  # her input is kept in the form
    assert first["text"] in text  # and the saved version is shown next to it
    session.expire_all()
    assert session.get(PlanItem, item.id).text == first["text"]

    # Saving again from the conflict page is a deliberate overwrite and works.
    again = {**second, "csrf_token": csrf_token(conflict.text), "revision": REVISION.search(conflict.text).group(1)
             or REVISION.search(conflict.text).group(2)}
    assert sabine.post(url, data=again).status_code == 302
    session.expire_all()
    assert session.get(PlanItem, item.id).text == second["text"]


def test_a_save_racing_past_the_revision_check_is_refused_by_the_version_column(app, session):
    """Two sessions load revision n; one commits; the other's commit must not overwrite."""
    item_id = session.scalar(sa.select(PlanItem.id).where(PlanItem.text == ITEM))
    sessionmaker = app.extensions["database"].sessionmaker
    with sessionmaker() as mine, sessionmaker() as theirs:
        my_item = mine.get(PlanItem, item_id)
        seen = str(my_item.revision)
        mine.commit()  # (ends the test's savepoint; the loaded object keeps its values)
        their_item = theirs.get(PlanItem, item_id)
        their_item.text = "Ihre Änderung"
        theirs.commit()

        with pytest.raises(concurrency.Stale) as refused:
            with concurrency.saving(mine, (my_item, seen)):
                my_item.text = "Meine Änderung"
        assert refused.value.obj is my_item and not refused.value.gone
        assert my_item.text == "Ihre Änderung"  # refreshed to what is saved now
        mine.commit()  # nothing of the refused save is left to write
    session.expire_all()
    assert session.get(PlanItem, item_id).text == "Ihre Änderung"


def test_a_stale_revision_changes_nothing_and_keeps_the_rest_of_the_request(session):
    """The check comes before the change; what the request did before (its audited read) stays."""
    from portal import audit

    item = session.scalar(sa.select(PlanItem).where(PlanItem.text == ITEM))
    audit.record(session, audit.Action.case_read, case_id=item.plan.case_id)
    with pytest.raises(concurrency.Stale):
        with concurrency.saving(session, (item, str(item.revision - 1))):
            item.text = "nie gespeichert"
    session.commit()
    session.expire_all()
    assert session.get(PlanItem, item.id).text == ITEM


def test_accept_current_puts_the_saved_revision_into_the_form(session):
    item = session.scalar(sa.select(PlanItem).where(PlanItem.text == ITEM))

    class Field:
        data = "0"

    field = Field()
    concurrency.accept_current(field, item)
    assert field.data == str(item.revision)
    concurrency.accept_current(field, None)
    assert field.data == concurrency.NO_ROW
