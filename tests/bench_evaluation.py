"""Measure the whole-office evaluation on a large fictional office (README "Performance").

    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/evaluation_bench \\
        .venv/bin/python -m tests.bench_evaluation [children]

Migrates the (empty, own) database, generates the office with `portal.evaluation.bench`,
signs a department head in through the real forms, and times GET /staff/evaluation (the
whole office, the last twelve months against the twelve before) and the CSV export;
prints the median and the fastest of ten runs (the machine is shared: the fastest is the
least disturbed) and the number of SQL statements. Measured, not asserted.
"""
from __future__ import annotations

import statistics
import sys
import time

import sqlalchemy as sa

from config import TestConfig
from portal import create_app
from portal.db import db
from tests.conftest import migrate, reset_schema, second_factor, sign_in


def main(children: int = 10_000) -> None:
    app = create_app(TestConfig)
    engine = app.extensions["database"].engine
    with engine.begin() as connection:
        reset_schema(connection)
        migrate(connection)
    from portal.demo import DEMO_TOTP_SECRET, PASSWORD
    from portal.bench_data import generate
    from portal.models import Role, StaffUser
    from portal.passwords import hash_password

    with app.app_context():
        started = time.perf_counter()
        counts = generate(db.session, children)
        db.session.add(StaffUser(username="bench.head", display_name="Leitung", role=Role.head,
                                 password_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET))
        db.session.commit()
        generated = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    print(f"{engine.dialect.name}: generated in {generated:.1f} s: {counts}")
    client = app.test_client()
    sign_in(client, "bench.head", staff=True)
    second_factor(client, "bench.head")
    for path in ("/staff/evaluation", "/staff/evaluation/export.csv"):
        statements: list[str] = []
        listener = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
        times = []
        for run in range(11):
            statements.clear()
            sa.event.listen(engine, "before_cursor_execute", listener)
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            sa.event.remove(engine, "before_cursor_execute", listener)
            assert response.status_code == 200, response.status_code
        evaluation_statements = [s for s in statements if "care_record" in s or "plan_version" in s
                                 or "appointment" in s or "question" in s or "caseworker_change" in s]
        print(f"  {path}: median {statistics.median(times[1:]) * 1000:.0f} ms of 10, fastest {min(times[1:]) * 1000:.0f} ms "
              f"(first {times[0] * 1000:.0f} ms), "
              f"{len(statements)} statements ({len(evaluation_statements)} for the figures), "
              f"{len(response.data) // 1024} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
