"""The caseload with 200 cases: search, sort, filters, what needs attention first, and a
number of statements that does not grow with the number of cases."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.caseload import working_days_before
from portal.db import utcnow
from portal.models import (
    AppointmentAnswer,
    ItemKind,
    MemberKind,
    Phase,
    Role,
    SafetyAlert,
    VersionResponse,
)
from tests.factories import make_appointment, make_case, make_item, make_member, make_question, make_staff, publish_plan
from tests.messages import page_text, translated_plural

PHASES = [Phase.clarification, Phase.planning, Phase.preparation, Phase.return_, Phase.aftercare]
BERLIN = ZoneInfo("Europe/Berlin")


def signable_staff(session, **overrides):
    from portal.demo import PASSWORD
    from portal.passwords import hash_password

    return make_staff(session, password_hash=hash_password(PASSWORD), **overrides)


def rows(text: str) -> list[str]:
    """Case titles in table order (of a page's text, see `page_text`)."""
    return re.findall(r'<th scope="row"><a href="/staff/cases/\d+">([^<]+)</a>', text)


@pytest.fixture
def two_hundred(session) -> dict:
    """Kim carries 150 cases and deputises 50; a few of them need attention, each for one reason."""
    kim = signable_staff(session, display_name="Kim Fachkraft")
    colleague = make_staff(session, team=kim.team)
    now = utcnow()
    cases = {}
    for number in range(1, 201):
        deputy = number > 150
        case = make_case(session, team=kim.team, title=f"Familie Nr {number:03d}", reference=f"LOAD-{number:04d}",
                         phase=PHASES[number % 5], primary_caseworker=colleague if deputy else kim,
                         deputy_caseworker=kim if deputy else None)
        cases[number] = case
    parent = {n: make_member(session, cases[n], MemberKind.parent) for n in (7, 13, 21, 22, 34, 55, 56, 150)}
    session.add(SafetyAlert(case_id=cases[7].id, member_id=parent[7].id, raised_at=now - timedelta(days=1)))
    make_item(session, cases[13])
    version = publish_plan(session, cases[13], kim)
    session.add(VersionResponse(version_id=version.id, member_id=parent[13].id, agrees=False, comment="Zu schnell",
                                answered_at=now - timedelta(days=1)))
    make_question(session, parent[21], asked_at=now - timedelta(days=7))  # waiting longer than two working days
    make_question(session, parent[22], asked_at=now - timedelta(minutes=5))  # not yet
    appointment = make_appointment(session, cases[34], starts_at=now + timedelta(days=20))
    session.add(AppointmentAnswer(appointment_id=appointment.id, member_id=parent[34].id, coming=False,
                                  answered_at=now - timedelta(days=1)))
    for number, translated in ((55, False), (56, True)):
        parent[number].language = "tr"
        make_item(session, cases[number], kind=ItemKind.goal, text=f"Ziel {number}")
        if translated:
            from portal.models import ContentTranslation

            item_id = session.scalar(sa.text("SELECT max(id) FROM plan_item"))
            session.add(ContentTranslation(object_type="plan_item", object_id=item_id, field="text", language="tr",
                                           text="Hedef", checked=True))
            session.flush()
        publish_plan(session, cases[number], kim)
    make_appointment(session, cases[100], starts_at=now + timedelta(days=1))
    make_appointment(session, cases[101], starts_at=now + timedelta(days=2))
    make_question(session, parent[150], asked_at=now - timedelta(minutes=1))  # the latest sign of a family
    session.commit()
    return {"kim": kim, "cases": cases}


ATTENTION = ["Familie Nr 007", "Familie Nr 013", "Familie Nr 021", "Familie Nr 034", "Familie Nr 055"]


def test_search_sort_and_filters_with_200_cases(app, client_for, two_hundred):
    kim = client_for(two_hundred["kim"].username)

    def get(query: str = "") -> str:
        response = kim.get(f"/staff/{query}")
        assert response.status_code == 200, query
        return page_text(response)

    first = get()
    assert translated_plural(app, "%(num)d case", "%(num)d cases", 200) in first
    assert translated_plural(app, "%(num)d needs attention", "%(num)d need attention", 5) in first
    shown = rows(first)
    assert len(shown) == 50
    assert shown[0] == "Familie Nr 007"  # an alert comes first
    assert sorted(shown[:5]) == ATTENTION  # then whatever else needs attention, before everything else
    assert "Familie Nr 022" not in shown[:5] and "Familie Nr 056" not in shown[:5]

    assert sorted(rows(get("?attention=1"))) == ATTENTION
    assert rows(get("?q=nr+042")) == ["Familie Nr 042"]
    assert rows(get("?q=load-0123")) == ["Familie Nr 123"]
    assert rows(get("?q=nobody")) == []
    planning = get("?phase=planning")
    assert translated_plural(app, "%(num)d case", "%(num)d cases", 40) in planning
    assert all(int(title[-3:]) % 5 == 1 for title in rows(planning))
    assert translated_plural(app, "%(num)d case", "%(num)d cases", 50) in get("?carried=deputy")
    assert translated_plural(app, "%(num)d case", "%(num)d cases", 150) in get("?carried=mine")
    assert rows(get("?sort=appointment"))[:3] == ["Familie Nr 100", "Familie Nr 101", "Familie Nr 034"]
    assert rows(get("?sort=activity"))[0] == "Familie Nr 150"
    by_name = rows(get("?sort=name"))
    assert by_name[0] == "Familie Nr 001" and by_name[-1] == "Familie Nr 050"
    assert rows(get("?sort=name&page=4")) == [f"Familie Nr {n:03d}" for n in range(151, 201)]
    assert rows(get("?sort=phase"))[0] == "Familie Nr 005"  # clarification first
    assert len(rows(get("?sort=bogus&phase=bogus&carried=bogus&page=x"))) == 50  # ignored, never an error


def test_each_reason_for_attention_is_named_and_links_to_what_waits(app, client_for, two_hundred):
    page = page_text(client_for(two_hundred["kim"].username).get("/staff/?attention=1"))
    cases = two_hundred["cases"]
    for singular, plural, number, kind in (
            ("%(num)d alert not acknowledged", "%(num)d alerts not acknowledged", 7, "alert"),
            ("%(num)d disagreement with the plan", "%(num)d disagreements with the plan", 13, "response"),
            ("%(num)d question waiting more than two working days",
             "%(num)d questions waiting more than two working days", 21, "question"),
            ("%(num)d answer to an appointment not seen yet", "%(num)d answers to appointments not seen yet", 34,
             "answer")):
        assert translated_plural(app, singular, plural, 1) in page
        assert f"/staff/cases/{cases[number].id}/inbox?kind={kind}" in page
    from tests.messages import translated

    assert translated_plural(app, "%(name)s reads %(language_name)s: %(num)d item without a translation",
                             "%(name)s reads %(language_name)s: %(num)d items without a translation", 1,
                             name=cases[55].members[0].display_name, language_name="Türkçe") in page
    assert translated(app, "Only cases that need attention") in page


def _uniform_case(session, caseworker, number: int) -> None:
    """The same shape every time: two members (one reads Turkish), a published goal and step, an
    upcoming appointment answered, an old question, a disagreement and an alert."""
    case = make_case(session, team=caseworker.team, primary_caseworker=caseworker, title=f"Familie U{number:03d}")
    parent = make_member(session, case, MemberKind.parent, language="tr")
    make_member(session, case, MemberKind.youth)
    goal = make_item(session, case, kind=ItemKind.goal)
    make_item(session, case, kind=ItemKind.step, parent=goal)
    version = publish_plan(session, case, caseworker)
    appointment = make_appointment(session, case)
    session.add_all([
        AppointmentAnswer(appointment_id=appointment.id, member_id=parent.id, coming=False),
        VersionResponse(version_id=version.id, member_id=parent.id, agrees=False),
        SafetyAlert(case_id=case.id, member_id=parent.id),
    ])
    make_question(session, parent, asked_at=utcnow() - timedelta(days=9))


def test_the_caseload_and_the_inbox_take_as_many_statements_for_200_cases_as_for_one(app, client_for, session):
    one, many = signable_staff(session), signable_staff(session, role=Role.caseworker)
    _uniform_case(session, one, 0)
    for number in range(1, 201):
        _uniform_case(session, many, number)
    session.commit()
    engine = app.extensions["database"].engine

    def statements(client, url: str) -> int:
        count = {"n": 0}

        def counted(*_args):
            count["n"] += 1

        client.get(url)  # the first view records the day's case reads; count a later one
        sa.event.listen(engine, "before_cursor_execute", counted)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", counted)
        return count["n"]

    small, large = client_for(one.username), client_for(many.username)
    for url in ("/staff/", "/staff/?sort=activity&attention=1", "/staff/inbox"):
        assert statements(small, url) == statements(large, url), url


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 12, 2, 10, 0, tzinfo=BERLIN), datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)),  # Wed → Mon
    (datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN), datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN)),  # Mon → Thu
    (datetime(2026, 12, 5, 12, 0, tzinfo=BERLIN), datetime(2026, 12, 3, 0, 0, tzinfo=BERLIN)),  # Sat → Thu 0:00
    (datetime(2026, 12, 6, 23, 0, tzinfo=BERLIN), datetime(2026, 12, 3, 0, 0, tzinfo=BERLIN)),  # Sun → Thu 0:00
])
def test_two_working_days_skip_the_weekend(now, expected):
    assert working_days_before(now.astimezone(UTC), 2, BERLIN) == expected


def test_a_member_whose_notifications_are_refused_needs_attention(app, client_for, session):
    """Issue 12: "members whose notifications fail" on the caseload (issue 10's delivery state)."""
    from portal.models import Channel, Delivery, DeliveryState, Member, Message
    from tests.conftest import case_titled
    from tests.messages import translated

    anna = session.scalar(sa.select(Member).where(Member.username == "demo.parent"))
    message = Message(uuid="f" * 32, member_id=anna.id)
    session.add(message)
    session.flush()
    session.add(Delivery(message_id=message.id, channel=Channel.email, state=DeliveryState.failed,
                         error="refused", finished_at=utcnow()))
    session.commit()
    page = page_text(client_for("demo.caseworker").get("/staff/?attention=1"))
    assert translated(app, "%(name)s receives no notifications: the last one was refused", name="Anna") in page
    assert "Familie Sommer" in rows(page)
    assert case_titled(session, "Familie Sommer")
