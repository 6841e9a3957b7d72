"""Publishing is all or nothing (SECURITY.md property 27)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.models import Plan, PlanVersion, PublishedItem, published_item_person
from tests.conftest import case_titled, csrf_token


class InjectedFailure(Exception):
    pass


def counts(session) -> tuple[int, int, int]:
    return (
        session.scalar(sa.select(sa.func.count(PlanVersion.id))),
        session.scalar(sa.select(sa.func.count(PublishedItem.id))),
        session.scalar(sa.select(sa.func.count()).select_from(published_item_person)),
    )


def latest_texts(session, case_id: int) -> tuple[int, list[str]]:
    version = session.scalar(
        sa.select(PlanVersion).join(Plan).where(Plan.case_id == case_id).order_by(PlanVersion.number.desc()).limit(1)
    )
    return version.number, [item.text for item in version.items]


def publish_form(client, case_id: int) -> dict:
    page = client.get(f"/staff/cases/{case_id}/publish")
    based_on = page.text.split('name="based_on"')[1].split('value="')[1].split('"')[0]
    return {"csrf_token": csrf_token(page.text), "based_on": based_on, "note": "Neue Version mit den Ferien."}


def test_failure_in_the_middle_of_publishing_leaves_the_previous_version_intact(app, client_for, session):
    """The copy is a few batched INSERTs (version, items, their people, their consents): the
    failure hits after the items are written and before their people are."""
    sommer = case_titled(session, "Familie Sommer")
    before, previous = counts(session), latest_texts(session, sommer.id)
    client = client_for("demo.caseworker")
    form = publish_form(client, sommer.id)
    engine = app.extensions["database"].engine
    inserted = []

    def fail_at_the_people(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO PUBLISHED_ITEM"):
            inserted.append(statement.split("(")[0].split()[-1])
            if inserted[-1] == "published_item_person":
                raise InjectedFailure("disk full")

    sa.event.listen(engine, "before_cursor_execute", fail_at_the_people)
    try:
        with pytest.raises(InjectedFailure):
            client.post(f"/staff/cases/{sommer.id}/publish", data=form)
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_at_the_people)

    assert inserted == ["published_item", "published_item_person"]  # the middle of the copy
    # The request's session is shared with the test here; a server closes it at
    # the end of the failed request, which rolls back its transaction.
    session.rollback()
    assert counts(session) == before
    assert latest_texts(session, sommer.id) == previous
    # And the family still sees the previous version.
    assert "Ferien zu Hause planen" not in client_for("demo.parent").get("/plan").text


def test_double_submit_publishes_once(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    versions_before = counts(session)[0]
    client = client_for("demo.caseworker")
    form = publish_form(client, sommer.id)
    first = client.post(f"/staff/cases/{sommer.id}/publish", data=form)
    second = client.post(f"/staff/cases/{sommer.id}/publish", data=form)
    assert first.status_code == second.status_code == 302
    session.expire_all()
    assert counts(session)[0] == versions_before + 1
    number, texts = latest_texts(session, sommer.id)
    assert number == 3 and "Ferien zu Hause planen" in texts
