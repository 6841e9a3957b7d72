"""Names and texts with bidi controls or another script stay isolated inside sentences."""
from __future__ import annotations

from tests.conftest import member

RLO_NAME = "Anna\u202e عربي"


def test_a_name_with_a_right_to_left_override_is_isolated_inside_the_greeting(client_for, session):
    anna = member(session, "demo.parent")
    anna.display_name = RLO_NAME
    session.commit()
    home = client_for("demo.parent").get("/").text
    assert f"<bdi>{RLO_NAME}</bdi>" in home
    assert RLO_NAME not in home.replace(f"<bdi>{RLO_NAME}</bdi>", "")  # nowhere unisolated


def test_names_in_staff_sentences_are_isolated(client_for, session):
    anna = member(session, "demo.parent")
    anna.display_name = RLO_NAME
    session.commit()
    case_page = client_for("demo.caseworker").get(f"/staff/cases/{anna.case_id}").text
    assert f"<bdi>{RLO_NAME}</bdi>" in case_page
