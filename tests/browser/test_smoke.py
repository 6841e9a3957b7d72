"""The sign-in page and /plan in real Chromium at phone width."""
from tests.browser.conftest import axe_violations, horizontal_overflow, sign_in, small_tap_targets


def test_sign_in_page_fits_a_phone_and_passes_axe(phone):
    phone.goto("/login")
    assert horizontal_overflow(phone) == 0
    assert axe_violations(phone) == []
    assert small_tap_targets(phone) == []


def test_parent_plan_fits_a_phone_and_passes_axe(phone):
    sign_in(phone, "demo.parent")
    phone.goto("/plan")
    assert "Mia übernachtet jedes zweite Wochenende zu Hause" in phone.content()
    assert horizontal_overflow(phone) == 0
    assert axe_violations(phone) == []
