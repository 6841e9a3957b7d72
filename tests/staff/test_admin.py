"""The administrator: staff accounts (create, role, team, deactivate) and no case content."""
import re

import sqlalchemy as sa

from portal.models import Role, StaffUser
from portal.passwords import STAFF_MINIMUM
from tests.messages import page_text, translated
from tests.staff.conftest import token

URL = "/staff/admin/staff"


def account(in_db, username: str) -> StaffUser:
    return in_db(lambda s: s.scalar(sa.select(StaffUser).where(StaffUser.username == username)))


def test_admin_creates_an_account_with_a_strong_password_only(app, client_for, in_db):
    admin = client_for("demo.admin")
    data = {"username": "k.neumann", "display_name": "Katrin Neumann", "role": "caseworker", "team": ""}
    weak = admin.post(URL, data={"csrf_token": token(admin, URL), **data, "password": "kurz"})
    too_short = translated(app, "Please use at least %(n)d characters.", n=STAFF_MINIMUM)
    assert weak.status_code == 400 and too_short in page_text(weak) and "Katrin Neumann" in weak.text
    assert account(in_db, "k.neumann") is None
    created = admin.post(URL, data={"csrf_token": token(admin, URL), **data,
                                    "password": "Ein langer Satz als Passwort 2026"})
    assert created.status_code == 302
    assert account(in_db, "k.neumann").role is Role.caseworker
    taken = admin.post(URL, data={"csrf_token": token(admin, URL), **data,
                                  "password": "Ein langer Satz als Passwort 2026"})
    assert taken.status_code == 400 and translated(app, "This sign-in name is already taken.") in page_text(taken)


def test_admin_changes_role_and_team(client_for, in_db):
    other = account(in_db, "demo.other")
    admin = client_for("demo.admin")
    url = f"{URL}/{other.id}"
    response = admin.post(url, data={"csrf_token": token(admin, url), "revision": str(other.revision),
                                     "display_name": "Tobias Berg", "role": "lead", "team": str(other.team_id)})
    assert response.status_code == 302
    assert account(in_db, "demo.other").role is Role.lead
    stale = admin.post(url, data={"csrf_token": token(admin, url), "revision": str(other.revision),
                                  "display_name": "Tobias B.", "role": "caseworker", "team": ""})
    assert stale.status_code == 409 and "Tobias B." in stale.text


def test_deactivating_an_account_ends_its_sessions_at_once(client_for, in_db):
    other = client_for("demo.other")
    assert other.get("/staff/").status_code == 200
    admin = client_for("demo.admin")
    target = account(in_db, "demo.other")
    url = f"{URL}/{target.id}"
    assert admin.post(f"{url}/deactivate", data={"csrf_token": token(admin, url)}).status_code == 302
    response = other.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert not account(in_db, "demo.other").active


def test_reset_second_factor_button_only_when_the_endpoint_exists(app, client_for, in_db):
    admin = client_for("demo.admin")
    page = page_text(admin.get(f"{URL}/{account(in_db, 'demo.caseworker').id}"))
    has_endpoint = "auth.reset_two_factor" in admin.application.view_functions
    assert (translated(app, "Reset second factor") in page) is has_endpoint


def test_reset_second_factor_from_the_account_page_returns_to_it(client_for, in_db):
    admin = client_for("demo.admin")
    target = account(in_db, "demo.other")
    url = f"{URL}/{target.id}"
    page = admin.get(url).text
    action = re.search(r'action="([^"]*reset-two-factor)"', page).group(1)
    response = admin.post(action, data={"csrf_token": token(admin, url), "next": url})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert account(in_db, "demo.other").totp_secret is None


def test_admin_cannot_deactivate_themselves(client_for, in_db):
    admin = client_for("demo.admin")
    me = account(in_db, "demo.admin")
    url = f"{URL}/{me.id}"
    admin.post(f"{url}/deactivate", data={"csrf_token": token(admin, url)})
    assert account(in_db, "demo.admin").active


def test_admin_cannot_take_away_their_own_admin_role(app, client_for, in_db):
    admin = client_for("demo.admin")
    me = account(in_db, "demo.admin")
    url = f"{URL}/{me.id}"
    response = admin.post(url, data={"csrf_token": token(admin, url), "revision": str(me.revision),
                                     "display_name": "Jan Admin", "role": "caseworker", "team": ""})
    assert response.status_code == 400 and translated(
        app, "You cannot take away your own administrator role.") in page_text(response)
    assert account(in_db, "demo.admin").role is Role.admin
