"""Measure the plan editor's server time per plan item (README "Performance", issue 14).

    .venv/bin/python -m tests.bench_plan_editor [runs] [--profile]

Builds a fresh portal in an SQLite file in a temporary folder (migrations, demo data), two
cases with plans of 10 and of 1,000 items made as `tests/staff/test_flat_in_size.py` makes
them (every kind and audience, chosen people, entrusted items with consent, Turkish
translations, published once and then changed), signs the demo lead in through the real
forms, freezes what was built out of the garbage collector's sight (as gunicorn's `pre_fork` does in
production), and times GET `/staff/cases/<id>/plan` in-process with the test client, the two plans
interleaved, `runs` times each (default 21) after one warm-up. Prints the median (and the
fastest) of each and the cost per item: (1,000 items − 10 items) / 990, of the medians, of
the fastest, and of the process's CPU time (less disturbed by other work on a shared
machine than the wall clock). `--profile` adds cProfile of 10 GETs of the 1,000-item page, sorted by own time.

Measured, not asserted: the machine is shared and noisy; no test times anything.
"""
from __future__ import annotations

import cProfile
import gc
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from portal.db import db
from tests.conftest import demo_portal, second_factor, sign_in
from tests.staff.test_flat_in_size import a_plan_of

SIZES = (10, 1000)


def portal_with_plans(url: str):
    """A migrated portal with the demo and one plan per size in `SIZES`; a test client signed in
    as the demo lead (the plans' cases are in the demo team) and the plan editor's path per size."""
    app = demo_portal(url)
    with app.app_context():
        case_ids = {size: a_plan_of(db.session, size).id for size in SIZES}
    client = app.test_client()
    sign_in(client, "demo.lead", staff=True)
    second_factor(client, "demo.lead")
    return app, client, {size: f"/staff/cases/{case_ids[size]}/plan" for size in SIZES}


def main(runs: int = 21, profile: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _app, client, paths = portal_with_plans(f"sqlite:///{Path(folder) / 'portal.sqlite3'}")
        gc.freeze()  # what was built before the requests, out of the collector's sight, as gunicorn's pre_fork does
        wall: dict[int, list[float]] = {size: [] for size in SIZES}
        cpu: dict[int, list[float]] = {size: [] for size in SIZES}
        weight = {}
        for run in range(runs + 1):
            for size in SIZES:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(paths[size])
                elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
                assert response.status_code == 200 and "Schritt" in response.text, response.status_code
                weight[size] = len(response.data)
                if run:  # the first is the warm-up (templates compiled, the day's audited read)
                    wall[size].append(elapsed)
                    cpu[size].append(elapsed_cpu)
        small, large = SIZES

        def per_item(times: dict[int, list[float]], pick) -> float:
            return (pick(times[large]) - pick(times[small])) / (large - small) * 1000

        for size in SIZES:
            print(f"  {size:>5} items: median {statistics.median(wall[size]) * 1000:7.1f} ms "
                  f"(CPU {statistics.median(cpu[size]) * 1000:7.1f} ms) of {runs}, "
                  f"fastest {min(wall[size]) * 1000:7.1f} ms, {weight[size] / 1024:.0f} KB")
        print(f"plan editor: {per_item(wall, statistics.median):.3f} ms per item "
              f"(median; fastest {per_item(wall, min):.3f} ms; CPU median {per_item(cpu, statistics.median):.3f} ms), "
              f"{(weight[large] - weight[small]) / (large - small) / 1024:.2f} KB of HTML per item "
              f"(SQLite, in-process, {small} vs {large} items)")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _run in range(10):
                client.get(paths[large])
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(35)
            print(out.getvalue())


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 21, profile="--profile" in sys.argv)
