"""Transfer size of each family page: HTML + CSS + JS, gzipped, first load and repeat.

`python -m tests.family.page_weight` prints the table for the README (it builds
an in-memory demo portal); `test_page_weight.py` holds every page to the budget.
First load = the page's HTML plus the stylesheet and script it links; repeat =
the HTML alone (static files are cached by the browser and the service worker).
"""
from __future__ import annotations

import gzip
import re

from flask import Flask

from tests.conftest import sign_in

BUDGET = 25 * 1024
PAGES = ["/", "/plan", "/path", "/appointments", "/contacts", "/help-now", "/account"]
PERSONAS = ["demo.parent", "demo.youth", "demo.child"]
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def page_weights(app: Flask) -> list[tuple[str, str, int, int]]:
    """(persona, url, first load bytes, repeat bytes) for every family page."""
    rows = []
    for username in PERSONAS:
        client = app.test_client()
        assert sign_in(client, username).status_code == 302
        for url in PAGES:
            response = client.get(url, follow_redirects=True)
            html = gzipped(response.data)
            assets = sum(gzipped(client.get(path).data) for path in sorted(set(ASSET.findall(response.text))))
            rows.append((username, url, html + assets, html))
    return rows


def markdown(rows: list[tuple[str, str, int, int]]) -> str:
    lines = ["| persona | page | first load | repeat |", "| --- | --- | ---: | ---: |"]
    lines += [f"| {u} | `{p}` | {first / 1024:.1f} KB | {repeat / 1024:.1f} KB |" for u, p, first, repeat in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    from config import TestConfig
    from tests.demo_portal import build_demo_app

    print(markdown(page_weights(build_demo_app(TestConfig))))
