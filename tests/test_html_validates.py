"""Every page validates (issue 11): the W3C Nu Html Checker (vnu.jar, offline, with a headless
Java) reads every HTML page the walk renders — every GET rule of the url map, for every demo
persona, anonymous and staff halfway through sign-in, as the inline-markup walk visits them
(`tests/test_inline_markup.py`) — and the test fails on any error it reports.

`make test` fetches vnu.jar from its npm package (`VNU_JAR`); Debian's `default-jre-headless`
runs it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.test_inline_markup import get_urls, walkers

VNU_JAR = os.environ.get("VNU_JAR") or str(next(Path(".venv").glob("vnu-*.jar"), ""))


def check(directory: Path) -> list[dict]:
    """The checker's errors for every .html file in `directory` (JSON output, errors only)."""
    assert VNU_JAR and Path(VNU_JAR).exists(), "vnu.jar is missing: run `make test` (it fetches the checker)"
    assert shutil.which("java"), "Java is missing: `make test` installs Debian's default-jre-headless"
    done = subprocess.run(["java", "-Xss2m", "-jar", VNU_JAR, "--errors-only", "--format", "json", "--skip-non-html",
                           str(directory)], capture_output=True, text=True, timeout=300)
    return [m for m in json.loads(done.stderr or "{}").get("messages", []) if m.get("type") == "error"]


def test_the_checker_finds_an_error(tmp_path):
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="de"><title>x</title><p id="a"></p><p id="a"></p>')
    assert any("Duplicate ID" in m["message"] for m in check(tmp_path))


def test_every_page_the_walk_renders_is_valid_html(app, client_for, session, tmp_path):
    urls = get_urls(app, session)
    written = 0
    for who, client in walkers(app, client_for, session):
        for address in urls:
            response = client.get(address)
            if response.mimetype == "text/html" and response.status_code < 500:
                name = f"{who}{address}".replace("/", "_").replace("?", "_").replace(" ", "_")[:180]
                (tmp_path / f"{name}.html").write_bytes(response.data)
                written += 1
    assert written > 100
    errors = check(tmp_path)
    report = sorted({f"{Path(m['url']).name}: {m['message']}" for m in errors})
    assert not report, f"{len(report)} checker errors:\n" + "\n".join(report[:60])
