"""Every action the audit log records has a label in the lead's audit view: an action
without one would stand there as a code ("plan.preview") in every language."""
from __future__ import annotations

import re
from pathlib import Path

from portal.labels import ACTION_LABELS

PORTAL = Path(__file__).resolve().parents[2] / "portal"
RECORDED = re.compile(r"audit\.record(?:_now)?\(\s*(?:[\w.]+,\s*)?\"([a-z_.]+)\"")


def recorded_actions() -> set[str]:
    return {action for path in PORTAL.rglob("*.py") for action in RECORDED.findall(path.read_text())}


def test_the_source_is_read_for_recorded_actions():
    assert {"case.read", "case.denied", "signin.failure", "plan.publish"} <= recorded_actions()


def test_every_recorded_action_has_a_label_in_the_audit_view():
    assert sorted(recorded_actions() - set(ACTION_LABELS)) == []
