"""The base of every form in the portal."""
from __future__ import annotations

from flask_wtf import FlaskForm


class Form(FlaskForm):
    """A Flask-WTF form (CSRF on) whose hidden fields render without an `id`.

    Pages hold several forms (the case page, the account page); `hidden_tag()`
    would give each form's token the same `id="csrf_token"`, which is invalid
    HTML and confuses assistive technology. Nothing refers to hidden fields by id.
    """

    class Meta:
        def render_field(self, field, render_kw):
            if field.type in ("HiddenField", "CSRFTokenField"):
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)
