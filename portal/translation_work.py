"""Translations as a workflow: which content a family member reads untranslated.

The German text is the binding original; members who read another language see
a translation where one exists (`portal.i18n.localize`). This module says what
is missing, for whom — always asking the member's `sharing.Viewer` what they
see — so the caseload, the case's translations page and the publish review
agree.
"""
from __future__ import annotations

from flask import current_app

from portal.models import Member

ORIGINAL_LANGUAGE = "de"


def needs_translation(member: Member) -> bool:
    """A member whose chosen language is one the portal speaks, other than German."""
    return bool(member.language) and member.language != ORIGINAL_LANGUAGE and (
        member.language in current_app.config["LANGUAGES"])


def lacks_translation(translations: dict | None, language: str, simple_text: str | None, reads_simply: bool) -> bool:
    """A published item (its `translations`, as published) read in `language` falls back to German:
    no translated text, or — for a member who reads the simple text — no translated simple text."""
    entry = (translations or {}).get(language) or {}
    if not entry.get("text"):
        return True
    return bool(reads_simply and simple_text and not entry.get("simple_text"))
