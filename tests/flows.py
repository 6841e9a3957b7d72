"""Steps through the real HTTP interface that several tests walk (staff and family)."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token, secret

CODE_PATTERN = re.compile(r'class="invitation-code"[^>]*>\s*([^<\s]+)\s*<')


def invitation_letter(staff_client: FlaskClient, case_id: int, member_id: int):
    """Press "Create invitation letter" on the case page; the answer is the printable letter."""
    page = staff_client.get(f"/staff/cases/{case_id}")
    return staff_client.post(
        f"/staff/cases/{case_id}/members/{member_id}/invitation", data={"csrf_token": csrf_token(page.text)}
    )


def code_from_letter(html: str) -> str:
    match = CODE_PATTERN.search(html)
    assert match, "the letter shows no code"
    return secret(match.group(1))  # no log line of the test may contain it


def redeem(client: FlaskClient, code: str, username: str, password: str, again: str | None = None):
    """Fill in /start as a family member would."""
    secret(code)
    secret(password)
    page = client.get("/start")
    return client.post("/start", data={
        "csrf_token": csrf_token(page.text), "code": code, "username": username,
        "password": password, "password_again": password if again is None else again,
    })
