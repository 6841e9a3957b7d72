"""Staff sign-in with the second factor in a real browser, under the real CSP."""
from tests.browser.conftest import _live, axe_violations, horizontal_overflow, sign_in, unused_totp_code


def test_staff_second_factor_page_is_accessible_and_sign_in_completes_without_csp_violations(phone):
    refused = []
    phone.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    phone.goto("/staff/login")
    phone.fill("input[name=username]", "demo.caseworker")
    phone.fill("input[name=password]", "neustart-demo")
    phone.click("main form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.url.split("?")[0].endswith("/staff/login/code")
    assert axe_violations(phone) == []
    phone.fill("input[name=code]", unused_totp_code(_live["app"], "demo.caseworker"))
    phone.click("main form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.url.endswith("/staff/")
    assert refused == []


def test_sign_in_helper_completes_the_second_factor(desktop):
    sign_in(desktop, "demo.lead", staff=True)
    assert desktop.url.endswith("/staff/")


def test_first_staff_sign_in_enrols_on_an_accessible_page_with_a_qr_code(phone):
    import pyotp

    from portal.db import db
    from portal.demo import PASSWORD
    from portal.models import Role, StaffUser
    from portal.passwords import hash_password

    with _live["app"].app_context():
        db.session.add(StaffUser(username="browser.newcomer", display_name="Neu im Team", role=Role.admin,
                                 password_hash=hash_password(PASSWORD)))
        db.session.commit()
    phone.goto("/staff/login")
    phone.fill("input[name=username]", "browser.newcomer")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("main form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.url.split("?")[0].endswith("/staff/login/enrol")
    assert phone.locator("svg.qr").is_visible()
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) == 0
    secret = phone.locator("code.code-text").inner_text()
    phone.fill("input[name=code]", pyotp.TOTP(secret).now())
    phone.click("main form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.locator("ul.recovery-codes li").count() == 10
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) == 0
