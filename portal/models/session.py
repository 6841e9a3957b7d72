from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class LoginSession(Base):
    """A signed-in session, kept on the server so that it can be ended there.

    The cookie carries a random token; only its hash is stored. Ending a session
    (sign-out, password change, deactivation) deletes the row, and the copied
    cookie stops working on the next request.
    """

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    principal: Mapped[str] = mapped_column(sa.String(40), index=True)  # "staff:3" / "member:7"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Staff sessions become full only after the second factor.
    second_factor_done: Mapped[bool] = mapped_column(default=False)
