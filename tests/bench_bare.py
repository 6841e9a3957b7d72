"""The yardstick of `make bench`: a bare Flask app that answers "ok", served by the same
gunicorn with the same settings as the portal (`gunicorn -c python:portal.gunicorn_config
tests.bench_bare:app`)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok() -> str:
    return "ok"
