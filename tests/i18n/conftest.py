from __future__ import annotations

import flask_babel
import pytest

from tests.i18n.pseudo import PseudoTranslations


@pytest.fixture
def pseudo_locale(monkeypatch):
    """Every catalog string of the test's requests comes out wrapped in ⟦…⟧."""
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: PseudoTranslations())
