"""No family page reads a whole table (issue 14): every SELECT the family pages run (the session
lookup included) is EXPLAINed on PostgreSQL, and the test fails on a scan of a whole table.

The data: a large fictional office (`portal.bench_data`, `QUERY_PLAN_CASES`, default 1,000
cases) besides the demo office, generated once per test session into a PostgreSQL database
of its own (created on the server of `TEST_DATABASE_URL`, dropped afterwards), then ANALYZEd.

The check does not depend on how many rows there are: EXPLAIN runs with `enable_seqscan = off`,
so the planner scans a whole table only where no index can serve the query — a `Seq Scan`,
or an index scan without an index condition (a whole index read in order), is a missing
index, whatever the size (tables under 100 rows in the data set excepted: there every plan
costs the same and the planner's pick says nothing; the generator fills every table a page
reads). At 10,000 cases with the planner's ordinary settings the plans use
the same indexes (README "Performance"; `QUERY_PLAN_CASES=10000 QUERY_PLAN_NATURAL=1` runs
that, failing on any whole-table scan of a table over 1,000 rows).

Skipped on SQLite: its planner is not the production one.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from config import TestConfig
from portal import create_app
from portal.db import db
from portal.extensions import limiter
from tests.conftest import migrate, second_factor, sign_in

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="EXPLAIN asks PostgreSQL's planner: runs on the PostgreSQL leg (TEST_DATABASE_URL)",
)

CASES = int(os.environ.get("QUERY_PLAN_CASES", "1000"))
NATURAL = os.environ.get("QUERY_PLAN_NATURAL") == "1"
LARGE_TABLE = 1000  # rows; with NATURAL, a whole scan of a smaller table is the planner's good choice
TINY_TABLE = 100  # rows: read whole in a page or two, where every plan costs the same (the planner picks any)
FAMILY = ("bench.parent", "demo.parent", "demo.youth", "demo.child")
FAMILY_PAGES = ("/", "/plan", "/path", "/appointments", "/contacts", "/account")


@pytest.fixture(scope="module")
def large_office() -> Iterator[Flask]:
    """An app on a database of its own holding the demo office and `CASES` generated cases.

    Flask-Limiter is one object shared by every app: what a second app's `init_app` changes on
    it is put back afterwards, as `tests.conftest.production_app` does."""
    saved = {name: getattr(limiter, name) for name in (
        "_storage", "_limiter", "_key_prefix", "_in_memory_fallback_enabled", "_fallback_storage",
        "_fallback_limiter", "_storage_dead", "enabled")}
    server = sa.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{server.database}_plans_{secrets.token_hex(4)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        # Pages rendered every time: a kept page runs no query of its own to explain.
        office = create_app(type("PlansConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url,
                                                                "FAMILY_PAGE_CACHE_BYTES": 0}))
        engine = office.extensions["database"].engine
        with engine.begin() as connection:
            migrate(connection)
        with office.app_context():
            from portal import demo
            from portal.bench_data import generate
            from portal.demo import DEMO_TOTP_SECRET, PASSWORD
            from portal.passwords import hash_password

            demo.load(db.session)
            generate(db.session, cases=CASES, sign_in_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET)
            db.session.commit()
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        yield office
        engine.dispose()
    finally:
        for attribute, value in saved.items():
            setattr(limiter, attribute, value)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def statements_of(office: Flask, username: str, paths, staff: bool = False) -> list[tuple[str, str, object]]:
    """(path, SQL, parameters) of every SELECT the pages run for `username` (the second view of each)."""
    client = office.test_client()
    sign_in(client, username, staff=staff)
    if staff:
        second_factor(client, username)
    engine = office.extensions["database"].engine
    found = []
    for path in paths:
        first = client.get(path)
        if first.status_code == 302 and not staff:  # a child's start page is the path home
            continue
        assert first.status_code == 200, (username, path)

        def record(_conn, _cursor, statement, parameters, _context, _many, path=path):
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                found.append((path, statement, parameters))

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200, (username, path)
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    return found


def whole_table_scans(plan: dict, sizes: dict[str, float]) -> list[str]:
    """The relations a plan reads whole: Seq Scans, and index scans without an index condition."""
    found = []
    node_type = plan.get("Node Type", "")
    relation = plan.get("Relation Name")
    whole = node_type == "Seq Scan" or (
        node_type in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan)
    if whole and relation and sizes.get(relation, 0) >= (LARGE_TABLE if NATURAL else TINY_TABLE):
        found.append(f"{node_type} on {relation}" + (f" ({plan.get('Filter')})" if plan.get("Filter") else ""))
    for child in plan.get("Plans", []):
        found += whole_table_scans(child, sizes)
    return found


def explain(office: Flask, statements) -> list[str]:
    engine = office.extensions["database"].engine
    problems = []
    with engine.connect() as connection:
        sizes = dict(connection.exec_driver_sql(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        ).all())
        if not NATURAL:
            connection.exec_driver_sql("SET enable_seqscan = off")
        for path, statement, parameters in statements:
            plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
            for scan in whole_table_scans(plan[0]["Plan"], sizes):
                problems.append(f"{path}: {scan}\n    {' '.join(statement.split())[:300]}")
    return problems


@pytest.mark.parametrize("username", FAMILY)
def test_no_family_page_reads_a_whole_table(large_office, username):
    statements = statements_of(large_office, username, FAMILY_PAGES)
    assert statements
    problems = explain(large_office, statements)
    assert not problems, "whole-table scans:\n" + "\n".join(sorted(set(problems)))


