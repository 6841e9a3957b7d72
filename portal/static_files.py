"""Static files under content-hashed URLs.

`url_for("static", filename=…)` gets `?v=<hash of the file>`: a deploy that changes
a file changes its URL, so browsers and the service worker never keep an old
stylesheet or script, and a URL with a hash may be cached for a year. The service
worker names its cache after the hashes of what it keeps (`worker_version`), so a
new deploy installs a new worker and the old cache is dropped on activate.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, request

# What the service worker keeps for offline use (besides the offline page).
OFFLINE_FILES = ("portal.css", "family.js", "icons/icon.svg", "icons/icon-192.png")
YEAR = 365 * 24 * 3600


@cache
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def version(static_folder: str, filename: str) -> str | None:
    path = Path(static_folder) / filename
    try:
        return _digest(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None  # a missing file: the URL stays as it is and answers 404


def worker_version(static_folder: str) -> str:
    return hashlib.sha256("".join(version(static_folder, f) or "" for f in OFFLINE_FILES).encode()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            found = version(app.static_folder, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def _cache_versioned(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200 and request.args.get("v") == version(
                app.static_folder, request.view_args.get("filename", "")):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
