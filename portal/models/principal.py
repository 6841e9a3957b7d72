from __future__ import annotations


class Principal:
    """Someone who signs in (a staff user or a family member): Flask-Login's user protocol.

    The id Flask-Login keeps is "<prefix>:<row id>", because staff and members
    live in two tables whose ids overlap.
    """

    principal_prefix: str
    is_staff: bool
    is_authenticated = True
    is_anonymous = False

    @property
    def principal_id(self) -> str:
        return f"{self.principal_prefix}:{self.id}"

    def get_id(self) -> str:
        return self.principal_id
