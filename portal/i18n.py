"""Locale choice, text direction, and content translations with German fallback.

Locale order (DESIGN.md § 5): the member's saved setting (on the pages that work
without the database, as the signed cookie remembers it), else the choice made
on the page (`?lang=xx` on a GET, remembered in a cookie, or the cookie set by
the switcher), else the browser's Accept-Language, else German. An unknown
value anywhere is ignored, never an error.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import flask_babel
from babel import support
from flask import Response, current_app, g, has_request_context, request
from jinja2 import pass_context
from babel.dates import format_interval, get_datetime_format
from flask_babel import format_date, format_datetime, format_time, format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

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


def language_choices() -> list[tuple[str, str, dict]]:
    """Choices for a language select: each language named in itself, marked with its `lang`."""
    return [(code, LANGUAGE_NAMES[code], {"lang": code}) for code in supported()]


def user_content_choice(value: int | str, label: str) -> tuple[int | str, str, dict]:
    """A select option whose label someone typed (a name, a team, an item's text):
    `dir="auto"` keeps it from reordering the list around it."""
    return (value, label, {"dir": "auto"})


def bdi(value) -> Markup:
    """Someone's name or text as a placeholder inside a translated sentence, isolated,
    so its script or bidi controls cannot reorder the sentence around it."""
    return Markup("<bdi>{}</bdi>").format(value)


_BDI = re.compile(r"<bdi>(.*?)</bdi>", re.S)


def title_text(value) -> str:
    """A page's title block as plain text for `<title>`, which cannot hold markup: names
    isolated with <bdi> in the page keep their isolation as FSI … PDI characters."""
    return Markup(_BDI.sub("\u2068\\1\u2069", str(value))).striptags()


@pass_context
def voice(context, adult: str, child: str) -> str:
    """The child's wording on a page a child reads (`viewer.child`), else the adult's. Both are
    written out in the template (`voice(_("…"), pgettext("child", "…"))`) so both are extracted."""
    viewer = context.get("viewer")
    return child if viewer is not None and viewer.child else adult


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    if not has_request_context():  # flask commands: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    from portal import sessions

    user = current_user if current_user and current_user.is_authenticated else sessions.reader()
    saved = getattr(user, "language", None)  # pages without the database: the cookie's reader
    if saved in supported():
        return saved
    chosen = page_choice() or request.cookies.get(LOCALE_COOKIE)
    if chosen in supported():
        return chosen
    return request.accept_languages.best_match(supported()) or current_app.config["BABEL_DEFAULT_LOCALE"]


# --- registers: the same messages, worded for who reads them ------------------------

YOUTH = "youth"  # the youth register, and the gettext domain of its catalogs (youth.po)
_UNSET = object()


def select_register() -> str | None:
    """How this request's words address the reader: `YOUTH` for a youth (12–17), who is
    spoken to with "du" / "ты" / "ти" / "sen" / "تو", else None (the catalog as it is).

    Chosen like the locale: the signed-in member, else (pages without the database) the
    signed cookie's reader; a caseworker's preview speaks as the previewed member
    (`speaking_to`). A child's pages have their own words (message context `child`)."""
    if not has_request_context():
        return None
    kind = g.get("_speaking_to", _UNSET)
    if kind is not _UNSET:
        return YOUTH if getattr(kind, "value", None) == YOUTH else None
    # Asked for every message: decided once per request and signed-in person (a sign-in
    # during the request is a new person, Flask-Login's `g._login_user`).
    decided = g.get("_register")
    if decided is not None and decided[0] is g.get("_login_user", _UNSET):
        return decided[1]
    from portal import sessions

    user = current_user if current_user and current_user.is_authenticated else sessions.reader()
    register = YOUTH if getattr(getattr(user, "kind", None), "value", None) == YOUTH else None
    g._register = (g.get("_login_user", _UNSET), register)
    return register


@contextmanager
def speaking_to(kind):
    """Words for a member of this `kind` (a `MemberKind`) inside the block, whoever is signed in:
    the caseworker's preview of a member's page."""
    previous = g.get("_speaking_to", _UNSET)
    g._speaking_to = kind
    try:
        yield
    finally:
        if previous is _UNSET:
            g.pop("_speaking_to", None)
        else:
            g._speaking_to = previous


class RegisterDomain(flask_babel.Domain):
    """Flask-Babel's domain with the reader's register: for a youth, the `youth` catalog with
    the normal one as its gettext fallback, so youth.po holds only the messages whose
    wording differs.
    Kept per (locale, register) in the domain's cache, beside Flask-Babel's per locale."""

    def get_translations(self):
        translations = super().get_translations()
        register = select_register()
        locale = str(get_locale())
        if register is None or translations is not self.cache.get((locale, self.domain[0])):
            return translations  # no register, or not the catalog this domain loads (a test's instrument)
        try:
            return self.cache[locale, register]
        except KeyError:
            spoken = support.Translations()
            for directory in self.translation_directories:
                catalog = support.Translations.load(directory, [get_locale()], register)
                spoken.merge(catalog)
                if hasattr(catalog, "plural"):  # merge() keeps the messages only (as in Flask-Babel)
                    spoken.plural = catalog.plural
            spoken.add_fallback(translations)
            self.cache[locale, register] = spoken
            return spoken


def page_choice() -> str | None:
    """A supported language asked for with `?lang=xx` on a GET, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    asked = request.args.get(LOCALE_COOKIE)
    return asked if asked in supported() else None


def remember_page_choice(response: Response) -> Response:
    """After a GET with `?lang=xx`, keep that choice in the cookie the switcher sets too."""
    asked = page_choice()
    if asked and request.cookies.get(LOCALE_COOKIE) != asked:
        set_locale_cookie(response, asked)
    return response


def set_locale_cookie(response: Response, language: str) -> None:
    response.set_cookie(
        LOCALE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
    )


def current_language() -> str:
    return str(get_locale() or "de").split("_")[0]


def text_direction(language: str | None = None) -> str:
    return "rtl" if (language or current_language()) in RTL_LANGUAGES else "ltr"


def office_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["OFFICE_TIMEZONE"])


def time_element(value: date | datetime, text: str) -> Markup:
    """Formatted dates are marked up as <time>: machine-readable, and recognisable
    as data rather than interface text (the pseudo-locale test relies on that)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # stored as naive UTC
        stamp = aware.astimezone(office_tz()).isoformat(timespec="minutes")
    else:
        stamp = value.isoformat()
    return Markup('<time datetime="{}">{}</time>').format(stamp, text)


def local_datetime(value: datetime, fmt: str = "medium") -> Markup:
    """A UTC datetime in the office's time zone, formatted for the current locale.

    Times never show seconds: "medium" is the medium date with the short time,
    joined the way the locale joins them (CLDR's date-time pattern)."""
    if fmt != "medium":
        return time_element(value, format_datetime(value, fmt))
    pattern = get_datetime_format("medium", locale=get_locale()).replace("'", "")
    text = pattern.format(format_time(value, "short"), format_date(value, "medium"))
    return time_element(value, text)


def local_date(value: date | datetime, fmt: str = "medium") -> Markup:
    """A calendar date (or the office-time date of a datetime) for the current locale."""
    return time_element(value, format_date(value, fmt))


def appointment_time(value: datetime, end: datetime | None = None) -> Markup:
    """An appointment as people say it: weekday and date, then the time or "from – to" (office
    time zone), joined the way the locale joins date and time (CLDR: "{1}، {0}" in Arabic)."""
    pattern = get_datetime_format("full", locale=get_locale()).replace("'", "")

    def said(moment: datetime, times: str) -> str:
        return pattern.format(times, format_date(moment, "full"))

    if end is None or end <= value:
        return time_element(value, said(value, format_time(value, "short")))
    if office_day(end) == office_day(value):
        span = format_interval(value, end, "Hm", tzinfo=office_tz(), locale=get_locale())
        return time_element(value, said(value, span))
    return time_element(value, f"{said(value, format_time(value, 'short'))} – {said(end, format_time(end, 'short'))}")


def office_day(value: datetime) -> date:
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # stored as naive UTC
    return aware.astimezone(office_tz()).date()


def relative_day(value: datetime, now: datetime | None = None) -> Markup:
    """How far a moment is from today, as people say it: "today", "tomorrow", "in 3 days", "2 weeks ago".

    Counted in calendar days of the office's time zone, so an appointment at
    08:00 tomorrow is "tomorrow" also late in the evening and across a
    daylight-saving change. The wording beyond yesterday/tomorrow is Babel's
    (CLDR), so every locale gets its own plural forms.
    """
    days = (office_day(value) - office_day(now or datetime.now(timezone.utc))).days
    if days == 0:
        text = _("today")
    elif days == 1:
        text = _("tomorrow")
    elif days == -1:
        text = _("yesterday")
    else:
        text = format_timedelta(timedelta(days=days), granularity="day", threshold=1.5, add_direction=True)
    return time_element(value, text)


@dataclass(frozen=True)
class Localized:
    """A piece of caseworker-written content as a member should read it."""

    text: str
    original: str
    language: str  # the language `text` is in
    is_original: bool
    checked: bool


def content_translations(session, object_type: str, object_ids: list[int]) -> dict[int, dict[str, dict]]:
    """{object id: {language: {field: text, "checked": bool}}} from `ContentTranslation` rows,
    the shape `localize` reads. A language counts as checked only if all its fields are."""
    from portal.models import ContentTranslation  # models import the app's db, which imports nothing of this

    if not object_ids:
        return {}
    return translations_of(session.scalars(sa.select(ContentTranslation).where(
        ContentTranslation.object_type == object_type, ContentTranslation.object_id.in_(object_ids))))


def translations_of(rows) -> dict[int, dict[str, dict]]:
    """`ContentTranslation` rows in the shape `content_translations` gives."""
    found: dict[int, dict[str, dict]] = {}
    for row in rows:
        entry = found.setdefault(row.object_id, {}).setdefault(row.language, {"checked": True})
        entry[row.field] = row.text
        entry["checked"] = entry["checked"] and row.checked
    return found


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
