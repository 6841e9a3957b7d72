"""Log hygiene, configured once in `create_app`.

- Every log record's message is rendered with control characters escaped
  (`\\n` → `\\\\n`), whoever logs it, so input such as a sign-in name with a
  line break cannot forge a log line. This is done in the record factory, so
  it holds for every handler, including ones added later (gunicorn's, pytest's).
- Werkzeug's request lines lose their query string (an invitation code from a
  QR link would otherwise reach the log); request bodies are never logged.
- A secret that stands in a path (the private calendar feed's token,
  `/calendar/<token>.ics`) is replaced by `[redacted]` in every message, and
  in gunicorn's access log (`portal.gunicorn_config`).
- Tracebacks end in the escaped exception message; for database errors the
  message is withheld (it can quote a row), and the engine hides statement
  parameters (`portal.db.make_engine`).
- The portal's own loggers (`portal.*`) write ids and outcomes only: no names,
  no content, no secrets. `tests/conftest.py` fails any test whose log records
  contain a demo password, plan text, code or token.
"""
from __future__ import annotations

import logging
import re
import traceback

import sqlalchemy as sa
from flask import Flask

# C0/C1 controls, line and paragraph separators, and the bidi controls that
# can make a line read differently from what it contains.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_QUERY_IN_REQUEST_LINE = re.compile(r'("[A-Z]+ [^ ?"]*)\?[^ "]*')
# Path segments that are secrets: the calendar feed's token (portal.family.routes.calendar_feed).
_SECRET_IN_PATH = re.compile(r"(/calendar/)[^/?#\s\"']+(\.ics)")
REDACTED = "[redacted]"


def redact_secrets(text: str) -> str:
    """`/calendar/<token>.ics` → `/calendar/[redacted].ics`, wherever it stands in `text`."""
    return _SECRET_IN_PATH.sub(rf"\1{REDACTED}\2", text)


def escape_controls(text: str) -> str:
    r"""`a\nb` → `a\\nb`: printable, one line, and still readable."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class SafeLogRecord(logging.LogRecord):
    """A log record whose message cannot span lines or carry a query string, and
    whose traceback ends in an escaped exception message."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.exc_info and self.exc_info[1] is not None:
            self.exc_text = _traceback(*self.exc_info)

    def getMessage(self) -> str:  # noqa: N802 - the logging API's name
        message = redact_secrets(escape_controls(super().getMessage()))
        if self.name == "werkzeug":
            message = _QUERY_IN_REQUEST_LINE.sub(r"\1", message)
        return message


def _traceback(kind: type[BaseException], error: BaseException, tb) -> str:
    """The frames as usual; the message escaped, and withheld for database errors,
    whose text can quote the row ("Failing row contains ...")."""
    if isinstance(error, sa.exc.StatementError):
        message = f"values withheld; statement: {error.statement}"
    else:
        message = str(error)
    frames = "".join(traceback.format_tb(tb))
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}: {escape_controls(message)}"


def init_app(app: Flask) -> None:
    logging.setLogRecordFactory(SafeLogRecord)
    logging.getLogger("portal").setLevel(logging.INFO)
    # Werkzeug's development server logs every request; production access logs
    # come from gunicorn with a path-only format (README).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
