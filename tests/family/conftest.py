"""Fixtures for the family's pages."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session


@pytest.fixture
def session(_transaction: sa.Connection) -> Iterator[Session]:
    """A session of its own in the test's transaction, without an app context.

    The root fixture keeps an app context pushed for the whole test, which the
    test client then reuses: `g` (and with it the CSRF token and the locale)
    would be shared across requests. Family tests post forms, so they arrange
    and assert through this separate session instead; call `expire_all()`
    before reading what a request wrote.
    """
    with Session(bind=_transaction, join_transaction_mode="create_savepoint") as own:
        yield own
