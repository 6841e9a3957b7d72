"""Staff sign-in with the second factor in a real browser, under the real CSP."""
from tests.browser.conftest import _live, axe_violations, sign_in, unused_totp_code


def test_staff_second_factor_page_is_accessible_and_sign_in_completes_without_csp_violations(phone):
    refused = []
    phone.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    phone.goto("/staff/login")
    phone.fill("input[name=username]", "demo.caseworker")
    phone.fill("input[name=password]", "neustart-demo")
    phone.click("form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.url.split("?")[0].endswith("/staff/login/code")
    assert axe_violations(phone) == []
    phone.fill("input[name=code]", unused_totp_code(_live["app"], "demo.caseworker"))
    phone.click("form button[type=submit] >> nth=0")
    phone.wait_for_load_state()
    assert phone.url.endswith("/staff/")
    assert refused == []


def test_sign_in_helper_completes_the_second_factor(desktop):
    sign_in(desktop, "demo.lead", staff=True)
    assert desktop.url.endswith("/staff/")
