"""The pieces of `make bench` (tests/bench.py), checked quickly and without timing anything:
wrk's command and its result line, the server's process tree and CPU time from /proc, the check
that a measured response is the real signed-in page, and the table."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import bench


def test_wrk_runs_with_the_proxys_headers_and_our_script(tmp_path):
    script = tmp_path / "count.lua"
    command = bench.wrk_command("http://127.0.0.1:8471/plan", {"X-Forwarded-Proto": "https", "Cookie": "a=b"}, 5,
                                script, connections=4)
    assert command[:4] == ["wrk", "-t2", "-c4", "-d5s"]
    assert ["-H", "X-Forwarded-Proto: https"] == command[command.index("-H"):command.index("-H") + 2]
    assert ["-H", "Cookie: a=b"] == command[-3:-1] and command[-1] == "http://127.0.0.1:8471/plan"
    assert command[command.index("-s") + 1] == str(script)
    assert bench.wrk_command("http://x/", {}, 5, script, connections=1)[1] == "-t1"  # wrk wants threads <= connections


def test_the_result_line_of_wrk_is_read_and_a_missing_one_is_an_error():
    output = ('Running 5s test\nBENCH {"requests": 120, "duration_us": 5000000, "bad": 0, "busy": 1, "errors": 0, '
              '"p50_us": 12000, "p99_us": 40000}\n')
    assert bench.parse_wrk(output)["requests"] == 120
    with pytest.raises(RuntimeError):
        bench.parse_wrk("Running 5s test\n")


def test_the_lua_script_counts_every_answer_that_is_not_200():
    assert 'status == 503' in bench.WRK_SCRIPT and 'status ~= 200' in bench.WRK_SCRIPT
    assert "BENCH {" in bench.WRK_SCRIPT


def test_the_process_tree_and_its_cpu_time_come_from_proc():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = bench.process_tree(os.getpid())
        assert os.getpid() in tree and child.pid in tree
        assert bench.cpu_seconds([os.getpid()]) > 0
        assert bench.cpu_seconds([2 ** 22 + 7]) == 0  # a process that is gone counts nothing
    finally:
        child.kill()
        child.wait()


class _Answer:
    def __init__(self, status: int, body: str, location: str = ""):
        self.status, self.body, self.location = status, body, location


class _Browser:
    def __init__(self, *answers: _Answer):
        self.answers = list(answers)

    def request(self, _method, _path):
        answer = self.answers.pop(0)
        return answer.status, {"Location": answer.location}, answer.body.encode()


TARGET = bench.Target("family `/plan`", "demo.parent", "/plan", "Gerichtstermin")


def test_a_measured_page_must_be_the_real_signed_in_page(monkeypatch):
    monkeypatch.setattr(bench.time, "sleep", lambda _s: None)
    page = '<main id="content">Gerichtstermin</main><form action="/logout">'
    assert bench.check_page(_Browser(_Answer(200, page)), TARGET, "/plan") == page.encode()
    with pytest.raises(RuntimeError, match="302"):
        bench.check_page(_Browser(_Answer(302, "", "/login?next=/plan")), TARGET, "/plan")
    with pytest.raises(RuntimeError, match="not the signed-in page"):  # the sign-in form answered 200
        bench.check_page(_Browser(_Answer(200, '<input name="password"><form action="/logout">Gerichtstermin')),
                         TARGET, "/plan")
    with pytest.raises(RuntimeError, match="not the signed-in page"):  # another page
        bench.check_page(_Browser(_Answer(200, '<form action="/logout">Termine')), TARGET, "/plan")
    # SQLite's one writer busy for a moment: asked again
    assert bench.check_page(_Browser(_Answer(503, ""), _Answer(200, page)), TARGET, "/plan") == page.encode()


def test_staff_pages_go_one_at_a_time_on_sqlite():
    staff = bench.TARGETS[3]
    assert staff.staff and not TARGET.staff
    assert bench._connections(staff, 32, "sqlite:///x") == 1
    assert bench._connections(staff, 32, "postgresql+psycopg://x/y") == staff.connections
    assert bench._connections(TARGET, 32, "sqlite:///x") == 32


def test_the_table_shows_the_share_of_bare_flask_with_its_range():
    bare = bench.Result(bench.BARE, rates=[2000, 2200], ratios=[1, 1], cpu_ms=[0.4, 0.4], db_ms=[0, 0],
                        p50_ms=[10, 11], p99_ms=[30, 31])
    page = bench.Result(TARGET, rates=[100, 120, 110], ratios=[0.05, 0.06, 0.055], cpu_ms=[9, 10, 11],
                        db_ms=[1, 2, 3], p50_ms=[300, 310, 320], p99_ms=[500, 510, 520], statements=6, html=20480,
                        gzipped=3072)
    text = bench.table([bare, page], postgres=True)
    assert "| family `/plan` | 0.055 (0.050–0.060) | 110 | 10.00 ms + 2.00 ms | 310 / 510 ms | 6 | 20.0 KB (3.0 KB) |" \
        in text
    assert text.splitlines()[2].startswith("| bare Flask")
