"""Benchmarks: queries per page, page weight, requests per second (`make bench`).

Not part of the test suite: speed is measured and reported (README,
"Performance"), never asserted. Runs against a fresh SQLite file with the demo
data, so numbers are comparable between runs on the same machine.

- queries per page: SQL statements one GET issues, per persona and page;
- page weight: `tests.family.page_weight` (HTML + CSS + JS, gzipped, first and
  repeat load);
- requests per second: gunicorn (2 workers, the machine has 2 cores) serving
  /plan to a signed-in parent, driven for a fixed number of requests by 8 client
  threads over keep-alive connections on 127.0.0.1.
"""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from config import TestConfig
from tests.conftest import FAMILY_USERNAMES, csrf_token, second_factor, sign_in
from tests.demo_portal import build_demo_app
from tests.family.page_weight import markdown, page_weights

FAMILY_PAGES = ["/", "/plan", "/path", "/appointments", "/contacts", "/account", "/help-now"]
STAFF_PAGES = ["/staff/", "/staff/inbox", "/staff/cases/1", "/staff/cases/1/plan", "/staff/cases/1/publish",
               "/staff/cases/1/translations"]


def _app(database: Path):
    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URL = f"sqlite:///{database}"
        RATELIMIT_ENABLED = False

    return build_demo_app(BenchConfig)


def queries_per_page(app) -> list[tuple[str, str, int]]:
    rows = []
    engine = app.extensions["database"].engine
    counter = {"n": 0}

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        counter["n"] += 1

    for username, pages in [("demo.parent", FAMILY_PAGES), ("demo.child", FAMILY_PAGES),
                            ("demo.caseworker", STAFF_PAGES)]:
        client = app.test_client()
        is_staff = username not in FAMILY_USERNAMES
        sign_in(client, username, staff=is_staff)
        if is_staff:
            second_factor(client, username)
        for page in pages:
            counter["n"] = 0
            if client.get(page).status_code == 200:
                rows.append((username, page, counter["n"]))
    return rows


def caseload_of(app, total: int) -> int:
    """Queries for /staff/ when demo.caseworker carries `total` cases (40 is the ASD's usual load),
    each with members (one reads Turkish), a published plan with items, an appointment and a question."""
    from portal.db import db
    from portal.models import Case, ItemKind, MemberKind, StaffUser
    from tests import factories

    with app.app_context():
        session = db.session
        caseworker = session.scalar(sa.select(StaffUser).where(StaffUser.username == "demo.caseworker"))
        carried = session.scalar(sa.select(sa.func.count(Case.id)).where(Case.primary_caseworker_id == caseworker.id))
        for _ in range(total - carried):
            case = factories.make_case(session, team=caseworker.team, primary_caseworker=caseworker)
            parent = factories.make_member(session, case, MemberKind.parent, language="tr")
            factories.make_member(session, case, MemberKind.youth)
            for kind in (ItemKind.goal, ItemKind.step, ItemKind.milestone):
                factories.make_item(session, case, kind=kind)
            factories.publish_plan(session, case, caseworker)
            factories.make_appointment(session, case)
            factories.make_question(session, parent)
        session.commit()
    engine = app.extensions["database"].engine
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    client = app.test_client()
    sign_in(client, "demo.caseworker", staff=True)
    second_factor(client, "demo.caseworker")
    sa.event.listen(engine, "before_cursor_execute", count)
    assert client.get("/staff/").status_code == 200
    sa.event.remove(engine, "before_cursor_execute", count)
    return counter["n"]


def requests_per_second(database: Path, total: int = 2000, threads: int = 8) -> float:
    port = 5400 + os.getpid() % 500
    env = {**os.environ, "PORTAL_ENV": "development", "DATABASE_URL": f"sqlite:///{database}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/help-now")
                break
            except OSError:
                time.sleep(0.1)
        cookie = _signed_in_cookie(port)
        done = {"n": 0}
        lock = threading.Lock()

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            while True:
                with lock:
                    if done["n"] >= total:
                        return
                    done["n"] += 1
                conn.request("GET", "/plan", headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                assert response.status == 200, response.status

        start = time.perf_counter()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return total / (time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait()


def _signed_in_cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    body = f"csrf_token={csrf_token(html)}&username=demo.parent&password=neustart-demo"
    conn.request("POST", "/login", body=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return response.getheader("Set-Cookie").split(";")[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        app = _app(database)
        print("Queries per page")
        for username, page, queries in queries_per_page(app):
            print(f"  {username:<16} {page:<26} {queries:>4}")
        for total in (40, 200):
            print(f"  demo.caseworker  /staff/ with {total:>3} cases     {caseload_of(app, total):>4}")
        print("\nPage weight, gzipped (first load = HTML + CSS + JS; repeat = HTML)")
        print(markdown(page_weights(app)))
        print(f"\n/plan as demo.parent, gunicorn 2 workers, 8 client threads: {requests_per_second(database):.0f} requests/s")


if __name__ == "__main__":
    main()
