"""SECURITY.md property 25: every form, fuzzed with Hypothesis, answers below 500, in the
user's language, and leaves the database consistent.

The POST routes come from the access matrix, each tried by every persona the matrix
lets use it; the field names (and the options of choice fields) are read from the
forms the persona's pages render, or the public pages anyone is shown (the sign-in
form). A route whose form the walk does not find fails the test: nothing is left
unfuzzed because its page was never reached (`NOT_SHOWN` names the only pairs whose
form the persona is never shown, each with its reason; those are tried with the
injected fields alone). Values are long, empty, Unicode, right-to-left override, NUL
and other control characters and HTML, always with a valid CSRF token; date, time and
number fields also get extreme values (year 0001 and 9999, 2^31, 2^63, 1e309) in a
sweep of their own. Runs are derandomized (the same examples on every run) and kept
small, so CI stays stable and fast.

Language: Anna's language is set to Turkish first. Every HTML answer must carry
`<html lang>` of the signed-in person's saved language, and every error message shown
must be that locale's translation (or, untranslated, its msgid) of a msgid of the
portal's catalog or of WTForms' — that is, it came through gettext in that locale.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
import wtforms
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.db import Base
from portal.models import Case, Consent, Member, Plan, PlanItem, StaffUser
from tests.access_matrix import EXPECTED, PERSONAS
from tests.matrix_walk import any_csrf_token, client_of, family_ids, routes, url

DENIED = (404, "login", "staff_login")
FUZZ_SETTINGS = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Fields no form of the portal offers in these places; sent anyway, they must change nothing.
INJECTED_FIELDS = ("case_id", "role", "entrusted_by", "member_id", "audience")
# Pages written for someone else than the reader: the invitation letter speaks the invited member's language.
FOR_THE_MEMBER = {"staff.invitation_create"}
HTML_ATTACK = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
# (persona, endpoint) whose form that persona's pages never show, and why; the POST is
# still allowed by the matrix, so it is fuzzed with the injected fields alone.
NOT_SHOWN = {
    ("child", "family.mark_seen"): "a child lands on /path and is never shown the news with “Got it”",
    ("parent_b", "family.checkin"): "check-ins are not switched on for Daniel: his page says so, with no form",
    ("other_parent", "family.checkin"): "nobody in the Winter family is asked check-ins: no form on the page",
}
# Pages that show a form only when a link on them asks for it: the plan editor writes a goal's
# step form for `?step=<goal>` (the walk's item is a goal).
OPENED_BY_A_LINK = {"staff.plan": ("?step={item_id}",)}
# POST routes that take no HTML form but JSON from a small script: fuzzed where they are tested
# (the push subscription: tests/notifications/test_recipients.py, bad and foreign bodies).
JSON_ENDPOINTS = {"family.push_subscribe"}
EXTREMES = {
    "date": ["0001-01-01", "9999-12-31", "2027-02-30", "1999-12-31", "2100-01-01", "+275760-09-13"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59", "2027-03-28T02:30", "2027-02-30T10:00",
                       "1999-12-31T23:59", "2100-01-01T00:00"],
    "number": ["-1", "0", "2147483648", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "1.5"],
}

fuzz_text = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.sampled_from(["a", "ü", "ب", "字", "🙂"]).map(lambda c: c * 5000),
    st.text(max_size=20).map(lambda s: "\u202e" + s + "\u202c"),
    st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=10).map(lambda s: "ok" + s + "\x00"),
    st.sampled_from(["\x00", "a\x00b", "\x1b[31mrot", "zeile\r\nzwei", "\x7f\x85\u2028"]),
    st.sampled_from([HTML_ATTACK, "{{ 7*7 }}", "%(name)s", "' OR 1=1 --", "-1", "2147483648", "1e309"]),
)


def field_strategy(options: list[str], kind: str) -> st.SearchStrategy[str]:
    strategy = st.one_of(st.sampled_from(EXTREMES[kind]), fuzz_text) if kind in EXTREMES else fuzz_text
    return st.one_of(st.sampled_from(options), strategy) if options else strategy


def forms_on(html: str, page: str) -> dict[str, dict[str, tuple[list[str], str]]]:
    """Action path → field name → (the values a choice field offers, empty for free text;
    the input's type: text, date, datetime-local, number, …)."""
    found: dict[str, dict[str, tuple[list[str], str]]] = {}
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        # A button with `formaction` posts the same form to its own URL (the plan editor's Up,
        # Down and Mark done share one form and its CSRF token).
        actions = {form.get("action") or page} | {b["formaction"] for b in form.find_all("button", formaction=True)}
        for action in actions:
            fields = found.setdefault(action.split("?")[0].split("#")[0], {})
            for control in form.find_all(["input", "select", "textarea", "button"]):
                name = control.get("name")
                if not name or name == "csrf_token":
                    continue  # forms with a prefix ("password-csrf_token") get the valid token too, below
                options, _kind = fields.setdefault(name, ([], control.get("type") or control.name))
                if control.name == "select":
                    options += [o.get("value", o.text) for o in control.find_all("option")]
                elif control.get("type") in ("radio", "checkbox", "hidden", "submit") or control.name == "button":
                    options.append(control.get("value", "y"))
    return found


def forms_shown(client, app, persona: str, ids: dict) -> dict[str, dict[str, tuple[list[str], str]]]:
    """Every form on every page the matrix lets `persona` open (200), also as a link on the page
    opens it (`OPENED_BY_A_LINK`)."""
    forms: dict[str, dict[str, tuple[list[str], str]]] = {}
    for route in routes(app):
        if route.method == "GET" and EXPECTED[route.endpoint]["GET"][persona] == 200:
            page = url(route, ids)
            for address in (page, *(page + query.format(**ids) for query in OPENED_BY_A_LINK.get(route.endpoint, ()))):
                response = client.get(address)
                if response.mimetype == "text/html":
                    for action, fields in forms_on(response.text, page).items():
                        forms.setdefault(action, {}).update(fields)
    return forms


def address_of(route, ids: dict, forms: dict) -> str:
    """The route's URL; for a route with a choice in its path (an item moves up or down),
    the choice whose form is shown."""
    if "direction" in route.rule.arguments:
        for direction in ("up", "down"):
            address = url(route, {**ids, "direction": direction})
            if address in forms:
                return address
    return url(route, ids)


def arrange_every_form(session, ids: dict) -> None:
    """The Sommer item of the walk is entrusted by the parent who gave its consent, and the
    members have a calendar address: so the consent, withdrawal and calendar forms show."""
    from portal import calendar

    item = session.get(PlanItem, ids["item_id"])
    item.entrusted_by_id = ids["member_id"]
    # ... with the consent of that parent for everyone else, so the family still sees the item
    # (an entrusted item is held back at once from whom no consent covers).
    covered = {c.recipient_id for c in item.consents}
    for member in session.get(Member, ids["member_id"]).case.members:
        if member.id != ids["member_id"] and member.id not in covered:
            session.add(Consent(item=item, given_by_id=ids["member_id"], recipient=member))
    for member in session.scalars(sa.select(Member)):
        calendar.renew_token(session, member)


@cache
def message_patterns(language: str) -> tuple[re.Pattern, ...]:
    """What gettext in `language` can produce: each translation (or untranslated msgid),
    placeholders as wildcards, from the portal's catalog (and its youth register) and WTForms'."""
    catalogs = [Path("translations") / language / "LC_MESSAGES" / "messages.po",
                Path("translations") / language / "LC_MESSAGES" / "youth.po",
                Path(wtforms.__file__).parent / "locale" / language / "LC_MESSAGES" / "wtforms.po"]
    texts = set()
    for path in catalogs:
        if path.exists():
            with path.open("rb") as file:
                for message in read_po(file, locale=language.replace("-", "_")):
                    ids = message.id if isinstance(message.id, tuple) else (message.id,)
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    if path.name == "youth.po":  # the youth register: only what it words otherwise
                        texts |= {s for i, s in zip(ids, strings) if i and s}
                        continue
                    texts |= {s or i for i, s in zip(ids, strings) if i} | {i for i in ids if i and not any(strings)}
    return tuple(re.compile(re.sub(r"%(?:\\\(\w+\\\))?[sd]", ".+", re.escape(" ".join(t.split()))) + r"\Z", re.S)
                 for t in texts)


def error_messages(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(e.get_text(" ").split()) for e in soup.select(".error-summary li")]  # one message each


def broken_references(session) -> list[str]:
    """Foreign keys that point nowhere, and cases without their plan (half-written objects)."""
    problems = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            column, parent = key.parent, key.column.table.alias()  # aliased: some keys point to their own table
            orphans = session.scalar(sa.select(sa.func.count()).select_from(table).where(
                column.is_not(None), ~sa.exists().where(parent.c[key.column.name] == column)))
            if orphans:
                problems.append(f"{table.name}.{column.name}: {orphans} rows point nowhere")
    without_plan = session.scalar(sa.select(sa.func.count()).select_from(Case).where(
        ~sa.exists().where(Plan.case_id == Case.id)))
    if without_plan:
        problems.append(f"{without_plan} cases without a plan")
    return problems


def saved_language(session, username: str) -> str | None:
    person = (session.scalar(sa.select(Member).where(Member.username == username))
              or session.scalar(sa.select(StaffUser).where(StaffUser.username == username)))
    return getattr(person, "language", None)


def allowed_posts(app, persona: str) -> list:
    return [r for r in routes(app) if r.method == "POST" and EXPECTED[r.endpoint]["POST"][persona] not in DENIED
            and r.endpoint not in JSON_ENDPOINTS]


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_form_fuzzed_answers_below_500_in_the_users_language_and_keeps_the_database_consistent(
        app, client_for, session, persona):
    def anna_reads_turkish() -> None:  # again before each form: the language switcher may change it
        session.execute(sa.update(Member).where(Member.username == "demo.parent").values(language="tr"))
        session.commit()

    anna_reads_turkish()
    ids = family_ids(session, "Familie Sommer")
    arrange_every_form(session, ids)
    session.commit()
    public = forms_shown(app.test_client(), app, "anonymous", ids)  # the sign-in forms anyone is shown
    client = client_of(app, client_for, session, persona)
    username = None if persona == "anonymous" else PERSONAS[persona]
    if persona == "other_lead":
        username = session.scalar(sa.select(StaffUser.username).order_by(StaffUser.id.desc()).limit(1))
    token = any_csrf_token(client)
    letter_reader = session.scalar(sa.select(Member.username).where(Member.id == ids["member_id"]))
    forms = {**public, **forms_shown(client, app, persona, ids)}
    posts = allowed_posts(app, persona)
    assert posts or persona == "anonymous"
    unfound = {(persona, r.endpoint) for r in posts if address_of(r, ids, forms) not in forms}
    expected_unfound = {pair for pair in NOT_SHOWN if pair[0] == persona}
    assert unfound == expected_unfound, f"forms not found: {sorted(unfound - expected_unfound)}; " \
                                        f"found after all (remove from NOT_SHOWN): {sorted(expected_unfound - unfound)}"
    problems: list[str] = []
    checked_in: set[str] = set()  # languages in which error messages were seen and checked
    for route in posts:
        anna_reads_turkish()
        address = address_of(route, ids, forms)
        fields = forms.get(address, {})
        tokens = {n: token for n in fields if n.endswith("csrf_token")}
        names = sorted(set(fields) - set(tokens)) + [n for n in INJECTED_FIELDS if n not in fields]
        strategies = {n: field_strategy(*fields.get(n, ([], "text"))) for n in names}

        def check(data: dict[str, str]) -> None:
            response = client.post(address, data={"csrf_token": token, **tokens, **data})
            assert response.status_code < 500, (route.endpoint, data)
            if 300 <= response.status_code < 400 or response.mimetype != "text/html":
                return
            found = re.search(r"<html lang=\"([^\"]+)\"", response.text)
            assert found, (route.endpoint, response.text[:200])
            language = found.group(1)
            reader = letter_reader if route.endpoint in FOR_THE_MEMBER else username
            own = saved_language(session, reader) if reader else None
            assert own in (None, language), (route.endpoint, own, language)
            assert HTML_ATTACK not in response.text, route.endpoint
            for message in error_messages(response.text):
                checked_in.add(language)
                assert any(p.match(message) for p in message_patterns(language)), (
                    f"{route.endpoint}: {message!r} is not from the {language} catalog")

        @FUZZ_SETTINGS
        @given(st.fixed_dictionaries({}, optional=strategies))
        def post(data: dict[str, str]) -> None:
            check(data)

        post()
        # Each extreme value in each date, time and number field, one field at a time.
        plain = {n: (fields[n][0] or [""])[0] for n in names if n in fields}
        for name in names:
            for value in EXTREMES.get(fields.get(name, ([], "text"))[1], ()):
                check({**plain, name: value})
        problems += [f"after {route.endpoint}: {p}" for p in broken_references(session)]
    assert not problems, "\n".join(problems)
    # What was saved still renders: every page the persona may open answers below 500.
    broken = [page for route in routes(app) if route.method == "GET" and EXPECTED[route.endpoint]["GET"][persona] == 200
              for page in [url(route, ids)] if client.get(page).status_code >= 500]
    assert not broken, f"pages broken by what the forms saved: {broken}"
    if persona == "parent_a":
        assert "tr" in checked_in, "Anna's errors were not checked in her language"
