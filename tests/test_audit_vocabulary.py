"""The audit log speaks one vocabulary (`portal.audit.Action`), and every action has a label in words."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal import audit
from portal.audit import Action
from portal.labels import ACTION_LABELS, action_label
from portal.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent


def test_every_action_has_a_label_in_words(app):
    missing = [action for action in Action if action not in ACTION_LABELS]
    assert not missing, f"actions without a label in portal.labels.ACTION_LABELS: {missing}"
    assert set(ACTION_LABELS) == set(Action), "labels for actions that are not in the vocabulary"
    with app.test_request_context(), force_locale("de"):
        for action in Action:
            assert str(ACTION_LABELS[action]) not in ("", action.value), action


def test_recording_an_action_outside_the_vocabulary_fails(session):
    with pytest.raises(ValueError):
        audit.record(session, "case.peeked", case_id=1)
    with pytest.raises(ValueError):
        audit.record_now("case.peeked", case_id=1)
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "case.peeked")) == 0


def test_a_recorded_action_is_stored_as_its_code_and_shown_in_words(app, session):
    event = audit.record(session, Action.plan_item_remove, case_id=1, actor=None)
    session.flush()
    assert event.action == "plan_item.remove"
    with app.test_request_context():
        assert action_label(event.action) == str(ACTION_LABELS[Action.plan_item_remove])


def _recorded_literals(path: Path) -> list[str]:
    """Calls of audit.record / audit.record_now in `path` whose action is a string literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "record", "record_now"):
            action = node.args[0] if node.func.attr == "record_now" else (node.args[1] if len(node.args) > 1 else None)
            if isinstance(action, ast.Constant):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {action.value!r}")
    return found


def test_the_code_records_actions_of_the_vocabulary_not_strings():
    found = [hit for path in sorted((ROOT / "portal").rglob("*.py")) for hit in _recorded_literals(path)]
    assert not found, "use portal.audit.Action members:\n" + "\n".join(found)
