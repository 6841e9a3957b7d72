"""`make bench`: the portal under gunicorn against a bare Flask app, measured in the same run.

Not part of the test suite: speed is measured and reported (README, "Performance"), never
asserted (`tests/test_bench_harness.py` checks the pieces, without timing anything).

For each database (an SQLite file in a temporary folder; PostgreSQL too when
`BENCH_DATABASE_URL` names a database the bench may empty):

1. builds a fresh portal through the command line, as the README says: `alembic upgrade
   head`, the demo (`flask demo`, development configuration) and a large office
   (`flask bench-data BENCH_CASES`, default 400: one lead's team of 400 cases);
2. counts the SQL statements of each measured page in-process (a test client on the same
   database);
3. starts the portal under gunicorn exactly as "Running in production" does
   (`gunicorn -c python:portal.gunicorn_config --bind … wsgi:app`, `PORTAL_ENV=production`,
   rate-limit counters in Redis database 8 when Redis answers; on SQLite
   `ALLOW_SQLITE_IN_PRODUCTION=1`), plain HTTP on 127.0.0.1:`BENCH_PORT` with the headers the
   TLS proxy would add (`X-Forwarded-Proto: https`, `X-Forwarded-For`), and a bare Flask app
   (`tests/bench_bare.py`) under the same gunicorn settings on `BENCH_PORT + 1`;
4. signs in through the real forms (staff with the demo second factor) and checks that every
   measured URL answers 200 with the signed-in page (a sign-out form, no password field, a
   text only that page has) — before each run, and wrk counts every answer that is not 200;
5. runs wrk (`-t2 -c32`, `BENCH_SECONDS` each, default 5) `BENCH_REPS` times (default 5),
   the bare app and every page interleaved in each repetition, and reads the CPU time of the
   server's process tree (and of the PostgreSQL backends serving it) from /proc before and
   after each run.

It prints one Markdown table per database: requests/s as a share of the bare app's in the
same repetition (median, min–max), CPU per request, p50/p99 latency, statements per page, and
the page's weight (HTML, and gzipped as a compressing proxy sends it).

Settings: `BENCH_PORT` (8471), `BENCH_CASES`, `BENCH_REPS`, `BENCH_SECONDS`,
`BENCH_DATABASE_URL`, `BENCH_GUNICORN_ARGS` (added to both servers' command lines, e.g.
"--workers 2 --threads 1"), `BENCH_CONNECTIONS` (32), `BENCH_PAGES` (only the pages whose label
contains one of these, comma-separated), `BENCH_SQLITE=0` (PostgreSQL only).
"""
from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "neustart-demo"
DEMO_TOTP_SECRET = "NEUSTARTDEMOZWEITERFAKTORNURDEMO"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
STARTUP_SECONDS = 60  # a bound for gunicorn to start, never a measurement
SIGNED_IN = 'action="/logout"'


@dataclass(frozen=True)
class Target:
    label: str
    who: str  # sign-in name; "" for the bare app
    path: str
    marker: str  # a text only the real page has
    connections: int = 32  # wrk's open connections; staff pages are slow and few use them at once

    @property
    def staff(self) -> bool:
        return not self.who.startswith(("demo.parent", "bench.parent", "demo.youth", "demo.child"))


BARE = Target("bare Flask `'ok'`", "", "/", "ok")
TARGETS = (
    Target("family `/` (demo.parent)", "demo.parent", "/", "Petra Lange"),
    Target("family `/plan` (demo.parent)", "demo.parent", "/plan", "Gerichtstermin gemeinsam vorbereiten"),
    Target("family `/appointments` (demo.parent)", "demo.parent", "/appointments", 'href="/appointments/'),
    Target("caseload `/staff/` (demo.caseworker, 15 cases)", "demo.caseworker", "/staff/", "Familie Sommer", 4),
    Target("team view `/staff/` (bench.lead)", "bench.lead", "/staff/", "Familie ", 4),
    Target("publish review (demo.caseworker, Sommer)", "demo.caseworker", "/staff/cases/{sommer}/publish",
           'name="based_on"', 4),
)


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


# --- wrk ----------------------------------------------------------------------------

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; busy = 0 end
function response(status, headers, body)
  if status == 503 then busy = busy + 1 elseif status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b, u = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); u = u + t:get("busy") end
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "bad": %d, "busy": %d, "errors": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n', summary.requests, summary.duration, b, u,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_command(url: str, headers: dict[str, str], seconds: float, script: Path,
                connections: int = 32) -> list[str]:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s",
               str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return command + [url]


def parse_wrk(output: str) -> dict:
    """The line our script's `done` writes: requests, duration, non-200 answers, p50/p99."""
    found = re.search(r"^BENCH (\{.*\})$", output, re.M)
    if not found:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    return json.loads(found.group(1))


# --- CPU time from /proc ----------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "


def process_tree(root: int) -> list[int]:
    """`root` and every process below it (gunicorn's master and its workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of the processes (threads included; children that ended are not)."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


# --- HTTP through the "proxy" -----------------------------------------------------------

class Browser:
    """A signed-in person over plain HTTP with the proxy's headers; keeps the session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(PROXY_HEADERS)
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.cookie = value.split(";")[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def form_token(self, path: str) -> str:
        status, _headers, data = self.request("GET", path)
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', data)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path} ({status})")
        return found.group(1).decode()

    def sign_in(self, who: str, staff: bool) -> None:
        login = "/staff/login" if staff else "/login"
        status, headers, _ = self.request("POST", login, {"csrf_token": self.form_token(login), "username": who,
                                                          "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in of {who} failed ({status})")
        if staff:
            import pyotp

            token = self.form_token("/staff/login/code")
            step = int(time.time()) // 30 + 1  # the next step: still valid when a boundary passes
            code = pyotp.TOTP(DEMO_TOTP_SECRET).generate_otp(step)
            status, headers, _ = self.request("POST", "/staff/login/code", {"csrf_token": token, "code": code})
            if status != 302 or headers.get("Location", "").startswith("/staff/login"):
                raise RuntimeError(f"second factor of {who} failed ({status})")


def check_page(browser: Browser, target: Target, path: str) -> bytes:
    """The measured URL must be the real signed-in page, not a redirect to a sign-in.

    On SQLite a staff page may answer 503 while the previous run's last request still holds the
    write lock (its audited read): asked again after a pause."""
    for _attempt in range(5):
        status, headers, data = browser.request("GET", path)
        if status != 503:
            break
        time.sleep(2)
    text = data.decode("utf-8", "replace")
    if status != 200:
        raise RuntimeError(f"{target.label}: {path} answered {status} {headers.get('Location', '')}")
    if SIGNED_IN not in text or 'name="password"' in text or target.marker not in text:
        raise RuntimeError(f"{target.label}: {path} is not the signed-in page")
    return data


# --- building and serving ---------------------------------------------------------------

def environment(database_url: str, folder: Path) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "FAMILY_PAGE_CACHE_BYTES")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    return {**env, "DATABASE_URL": database_url, "HUEY_URL": str(folder / "huey.sqlite3"),
            "MAIL_DIR": str(folder / "mail"), "PYTHONDONTWRITEBYTECODE": "1"}


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def empty_database(url: str) -> None:
    """PostgreSQL: the bench database is emptied (it must be one of its own)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def build(database_url: str, folder: Path, cases: int) -> str:
    env = environment(database_url, folder)
    if database_url.startswith("postgresql"):
        empty_database(database_url)
    run(["alembic", "upgrade", "head"], {**env, "PORTAL_ENV": "development"})
    run(["flask", "--app", "wsgi", "demo"], {**env, "PORTAL_ENV": "development"})
    return run(["flask", "--app", "wsgi", "bench-data", str(cases)], {**env, "PORTAL_ENV": "development"}).strip()


def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/8", socket_timeout=1).ping()
        return "redis://127.0.0.1:6379/8"
    except Exception:  # noqa: BLE001 - no Redis here: each worker counts in its memory
        return "memory://"


def gunicorn_command(app: str, port: int, extra: list[str]) -> list[str]:
    """As README "Running in production": the settings file, then what the command line adds."""
    return [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_config",
            "--bind", f"127.0.0.1:{port}", *extra, app]


class Server:
    def __init__(self, app: str, port: int, env: dict[str, str], log: Path, extra: list[str]):
        self.port = port
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(gunicorn_command(app, port, extra), cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/", headers=PROXY_HEADERS)
                connection.getresponse().read()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start on {port}:\n{log.read_text()}")

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def postgres_backends(database_url: str) -> list[int]:
    import sqlalchemy as sa

    if not database_url.startswith("postgresql"):
        return []
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        pids = list(connection.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )).scalars())
    engine.dispose()
    return pids


# --- statements per page, in-process -----------------------------------------------------

def statements_per_page(database_url: str, targets: list[tuple[Target, str]], kept: bool) -> dict[str, int]:
    """SQL statements one GET of each page issues (a test client on the bench database; the
    second GET is counted, after the day's audited reads are written): as rendered, or with
    the family pages kept (`portal.family.page_cache`), as the second view then finds them."""
    import sqlalchemy as sa

    from config import TestConfig
    from portal import create_app
    from tests.conftest import second_factor, sign_in

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": database_url,
                                                 "RATELIMIT_ENABLED": False, "PASSWORD_HASHING": None,
                                                 **({} if kept else {"FAMILY_PAGE_CACHE_BYTES": 0})})
    app = create_app(config)
    engine = app.extensions["database"].engine
    counted = {"n": 0}

    def count(*_args):
        counted["n"] += 1

    clients: dict[str, object] = {}
    found = {}
    for target, path in targets:
        if target.who not in clients:
            client = app.test_client()
            sign_in(client, target.who, staff=target.staff)
            if target.staff:
                second_factor(client, target.who)
            clients[target.who] = client
        client = clients[target.who]
        client.get(path)
        sa.event.listen(engine, "before_cursor_execute", count)
        counted["n"] = 0
        try:
            status = client.get(path).status_code
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        found[target.label] = counted["n"] if status == 200 else -status
    engine.dispose()
    return found


# --- measuring ------------------------------------------------------------------------

@dataclass
class Result:
    target: Target
    rates: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    db_ms: list[float] = field(default_factory=list)
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    statements: int | None = None
    statements_kept: int | None = None  # a family page found kept
    errors: int = 0  # connections wrk gave up on (timeouts), over all repetitions
    connections: int = 32
    busy: int = 0  # 503 answers: the database was busy (SQLite's one writer)
    html: int = 0
    gzipped: int = 0


def measure_once(server: Server, url: str, headers: dict[str, str], seconds: float, script: Path,
                 backends: list[int], connections: int) -> tuple[dict, float, float]:
    pids = server.pids()
    before, before_db = cpu_seconds(pids), cpu_seconds(backends)
    done = subprocess.run(wrk_command(url, headers, seconds, script, connections), capture_output=True,
                          text=True, timeout=seconds + 120)
    after, after_db = cpu_seconds(pids), cpu_seconds(backends)
    result = parse_wrk(done.stdout)
    if result["bad"] or not result["requests"]:
        raise RuntimeError(f"{url}: {result['bad']} answers were not 200 of {result['requests']}")
    return result, after - before, after_db - before_db


def leg(name: str, database_url: str, folder: Path) -> tuple[str, list[Result]]:
    port = int(setting("BENCH_PORT", "8471"))
    cases = int(setting("BENCH_CASES", "400"))
    reps, seconds = int(setting("BENCH_REPS", "5")), int(setting("BENCH_SECONDS", "5"))
    connections = int(setting("BENCH_CONNECTIONS", "32"))
    extra = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
    print(f"== {name}: building ({cases} generated cases besides the demo office)", flush=True)
    print("   " + build(database_url, folder, cases), flush=True)
    sommer = _sommer_case(database_url)
    wanted = [w.strip() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    targets = [(t, t.path.format(sommer=sommer)) for t in TARGETS if not wanted or any(w in t.label for w in wanted)]
    statements = statements_per_page(database_url, targets, kept=False)
    statements_kept = statements_per_page(database_url, targets, kept=True)
    env = {**environment(database_url, folder), "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "RATELIMIT_STORAGE_URI": redis_url()}
    if database_url.startswith("sqlite"):
        env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"
    portal = Server("wsgi:app", port, env, folder / f"{name}-portal.log", extra)
    bare = Server("tests.bench_bare:app", port + 1, env, folder / f"{name}-bare.log", extra)
    script = folder / "count.lua"
    script.write_text(WRK_SCRIPT)
    try:
        _forget_used_codes(database_url)  # the in-process count signed the same staff in a moment ago
        browsers: dict[str, Browser] = {}
        results = {BARE.label: Result(BARE)}
        for target, path in targets:
            if target.who not in browsers:
                browsers[target.who] = Browser(port)
                browsers[target.who].sign_in(target.who, target.staff)
            data = check_page(browsers[target.who], target, path)
            results[target.label] = Result(target, statements=statements[target.label],
                                           statements_kept=statements_kept[target.label], html=len(data),
                                           gzipped=len(gzip.compress(data, 6)))
        backends = postgres_backends(database_url)
        for rep in range(reps):
            print(f"   repetition {rep + 1} of {reps}", flush=True)
            bare_result, bare_cpu, _ = measure_once(bare, f"http://127.0.0.1:{bare.port}/", PROXY_HEADERS, seconds,
                                                    script, [], connections)
            bare_rate = _record(results[BARE.label], bare_result, bare_cpu, 0.0, None)
            for target, path in targets:
                browser = browsers[target.who]
                check_page(browser, target, path)
                headers = {**PROXY_HEADERS, "Cookie": browser.cookie}
                result, cpu, db_cpu = measure_once(portal, f"http://127.0.0.1:{port}{path}", headers, seconds,
                                                   script, backends or postgres_backends(database_url),
                                                   _connections(target, connections, database_url))
                _record(results[target.label], result, cpu, db_cpu, bare_rate)
                results[target.label].connections = _connections(target, connections, database_url)
        return name, list(results.values())
    finally:
        portal.stop()
        bare.stop()


def _connections(target: Target, connections: int, database_url: str) -> int:
    """Staff pages write their audited read: on SQLite, whose writers wait for each other and whose
    production use is one server process (README), one request at a time; elsewhere a few."""
    if target.staff and database_url.startswith("sqlite"):
        return 1
    return min(connections, target.connections)


def _record(result: Result, wrk: dict, cpu: float, db_cpu: float, bare_rate: float | None) -> float:
    rate = wrk["requests"] / (wrk["duration_us"] / 1e6)
    result.rates.append(rate)
    result.ratios.append(rate / bare_rate if bare_rate else 1.0)
    result.cpu_ms.append(cpu * 1000 / wrk["requests"])
    result.db_ms.append(db_cpu * 1000 / wrk["requests"])
    result.p50_ms.append(wrk["p50_us"] / 1000)
    result.p99_ms.append(wrk["p99_us"] / 1000)
    result.errors += wrk["errors"]
    result.busy += wrk["busy"]
    return rate


def _forget_used_codes(database_url: str) -> None:
    """A second-factor code works once per 30-s step: let the bench's own staff sign in again."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE staff_user SET totp_last_step = NULL"))
    engine.dispose()


def _sommer_case(database_url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT id FROM \"case\" WHERE title = 'Familie Sommer'")).scalar_one()
    engine.dispose()
    return found


def spread(values: list[float], digits: int = 3) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _statements(r: Result) -> str:
    if r.statements is None:
        return "–"
    if r.statements_kept is not None and r.statements_kept != r.statements:
        return f"{r.statements} ({r.statements_kept} kept)"
    return str(r.statements)


def table(results: list[Result], postgres: bool) -> str:
    lines = ["| page | share of bare Flask req/s, median (min–max) | req/s | CPU per request"
             + (" (app + PostgreSQL)" if postgres else "") + " | p50 / p99 | statements | HTML (gzipped) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    notes = []
    for r in results:
        cpu = f"{statistics.median(r.cpu_ms):.2f} ms"
        if postgres and r.target is not BARE:
            cpu += f" + {statistics.median(r.db_ms):.2f} ms"
        weight = f"{r.html / 1024:.1f} KB ({r.gzipped / 1024:.1f} KB)" if r.html else "–"
        lines.append(f"| {r.target.label} | {spread(r.ratios) if r.target is not BARE else '1'} | "
                     f"{statistics.median(r.rates):.0f} | {cpu} | "
                     f"{statistics.median(r.p50_ms):.0f} / {statistics.median(r.p99_ms):.0f} ms | "
                     f"{_statements(r)} | {weight} |")
        if r.connections < 32:
            notes.append(f"{r.target.label}: {r.connections} connection{'s' if r.connections > 1 else ''}")
        if r.busy:
            notes.append(f"{r.target.label}: {r.busy} answers were 503 (database busy)")
        if r.errors:
            notes.append(f"{r.target.label}: {r.errors} requests timed out or failed in wrk")
    return "\n".join(lines + ([""] + [f"- {note}" for note in notes] if notes else []))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"{os.cpu_count()} cores ({cpu}), load average before the run {' '.join(load)}"


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk (Debian package wrk): apt-get install -y wrk")
    legs = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        print(f"Machine: {machine()}", flush=True)
        if os.environ.get("BENCH_SQLITE", "1") != "0":
            legs.append(leg("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", folder))
        if os.environ.get("BENCH_DATABASE_URL"):
            legs.append(leg("PostgreSQL", os.environ["BENCH_DATABASE_URL"], folder))
    extra = os.environ.get("BENCH_GUNICORN_ARGS", "")
    print(f"\ngunicorn -c python:portal.gunicorn_config {extra}; wrk -t2 -c{setting('BENCH_CONNECTIONS', '32')} "
          f"{setting('BENCH_SECONDS', '5')} s x {setting('BENCH_REPS', '5')} repetitions, interleaved")
    for name, results in legs:
        print(f"\n{name}\n")
        print(table(results, name == "PostgreSQL"))


if __name__ == "__main__":
    main()
