"""Locale choice, text direction, and content translations with German fallback.

Locale order (DESIGN.md § 5): the member's saved setting, else the choice made
on the page (a cookie), else the browser's Accept-Language, else German.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from flask_babel import format_datetime, get_locale
from flask_login import current_user

RTL_LANGUAGES = frozenset({"ar", "fa"})
LOCALE_COOKIE = "lang"

# Each language named in itself, for the switcher.
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    "tr": "Türkçe",
    "fa": "فارسی",
}


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    if not has_request_context():  # flask commands: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user if current_user and current_user.is_authenticated else None
    saved = getattr(user, "language", None)
    if saved in supported():
        return saved
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in supported():
        return chosen
    return request.accept_languages.best_match(supported()) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "de").split("_")[0]


def text_direction(language: str | None = None) -> str:
    return "rtl" if (language or current_language()) in RTL_LANGUAGES else "ltr"


def office_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["OFFICE_TIMEZONE"])


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    """A UTC datetime in the office's time zone, formatted for the current locale."""
    return format_datetime(value, fmt)


@dataclass(frozen=True)
class Localized:
    """A piece of caseworker-written content as a member should read it."""

    text: str
    original: str
    language: str  # the language `text` is in
    is_original: bool
    checked: bool


def localize(original: str, translations: dict | None, field: str = "text") -> Localized:
    """Pick the member's language where a translation exists, else the German original.

    `translations` is {language: {field: text, "checked": bool}} as stored on a
    published item or built from `ContentTranslation` rows.
    """
    language = current_language()
    entry = (translations or {}).get(language) if language != "de" else None
    if entry and entry.get(field):
        return Localized(entry[field], original, language, False, bool(entry.get("checked")))
    return Localized(original, original, "de", True, True)
