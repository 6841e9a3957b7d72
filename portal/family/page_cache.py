"""Reuse a family page while nothing it shows has changed (issue 14).

A page is kept in the server process under everything it depends on:

- the sign-in session (the random token's hash) and the cookie's CSRF secret: a page is
  only ever shown again to the session and cookie it was rendered for, so its forms carry a
  token that cookie accepts, and no one else can be handed it, whoever they are;
- the case's family revision, which the request read with the session in its first
  statement, before any data (`portal.revisions` raises it in the same transaction as any
  change a family page could show: a plan published, an audience narrowed, consent
  withdrawn, an appointment moved, the member's own answer or "Got it");
- the address with its query, the language, and the office's calendar day (what says
  "today" and "tomorrow", and the check-in period, change at midnight);
- the clock: a page is kept no longer than the first moment at which the viewer's answers
  change by time alone (an appointment becoming past, `Viewer.changes_at`), and never
  longer than `MAX_AGE`.

Only full pages of a signed-in member are kept: never a preview, a redirect, an error, or a
page that shows a one-time message. Deactivation, sign-out and a closed case end the
session or change the revision, so they apply on the very next request as before.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachetools import LRUCache
from flask import current_app, g, request, session as cookie
from flask.globals import request_ctx

from portal import i18n
from portal.db import utcnow

# A bound for what the clock changes that the viewer does not know of; also how old the
# CSRF token in a kept page can be (far below Flask-WTF's hour).
MAX_AGE = timedelta(seconds=60)


@dataclass(frozen=True)
class Page:
    html: str
    until: datetime


class PageCache:
    """One process's kept pages (LRU, bounded in characters), shared by its threads."""

    def __init__(self, max_chars: int):
        self._pages: LRUCache = LRUCache(maxsize=max_chars, getsizeof=lambda page: len(page.html) + 200)
        self._lock = threading.Lock()

    def get(self, key: tuple, now: datetime) -> str | None:
        with self._lock:
            page = self._pages.get(key)
        return page.html if page is not None and now < page.until else None

    def put(self, key: tuple, page: Page) -> None:
        with self._lock:
            self._pages[key] = page


def init_app(app) -> None:
    size = app.config["FAMILY_PAGE_CACHE_BYTES"]
    app.extensions["family_page_cache"] = PageCache(size) if size > 0 else None


def kept(view):
    """For a family page (behind `family_required`): the kept page, or render and keep it."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        pages: PageCache | None = current_app.extensions.get("family_page_cache")
        if pages is None or cookie.get("_flashes"):
            return view(*args, **kwargs)
        from portal.family import current_viewer

        viewer = current_viewer()
        now = utcnow()

        def key() -> tuple:
            return (g.login_session.token_hash, cookie.get("csrf_token"), viewer.member.case.family_revision,
                    request.full_path, i18n.current_language(), i18n.office_day(now))

        html = pages.get(key(), now)
        if html is not None:
            return html
        rendered = view(*args, **kwargs)
        if isinstance(rendered, str) and not cookie.get("_flashes") and not request_ctx.flashes:
            # The key again: rendering the first page of a session gives its cookie the CSRF secret.
            pages.put(key(), Page(rendered, min(now + MAX_AGE, viewer.changes_at or now + MAX_AGE)))
        return rendered

    return wrapped
