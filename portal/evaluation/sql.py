"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQL functions.

`days_between(a, b)` is b − a in whole days (dates or timestamps, taken by their
day); `hours_between(a, b)` the hours between two timestamps; `greatest` and `least`
of two values. Each compiles to the dialect's own expression, so a figure stays one
SQL aggregate on both databases.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


class hours_between(FunctionElement):  # noqa: N801
    type = sa.Float()
    inherit_cache = True
    name = "hours_between"


class greatest(FunctionElement):  # noqa: N801
    inherit_cache = True
    name = "greatest"


class least(FunctionElement):  # noqa: N801
    inherit_cache = True
    name = "least"


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"(CAST({b} AS DATE) - CAST({a} AS DATE))"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"CAST(julianday(date({b})) - julianday(date({a})) AS INTEGER)"


@compiles(hours_between, "postgresql")
def _hours_pg(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"(EXTRACT(EPOCH FROM ({b} - {a})) / 3600.0)"


@compiles(hours_between)
def _hours_sqlite(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"((julianday({b}) - julianday({a})) * 24.0)"


@compiles(greatest, "postgresql")
def _greatest_pg(element, compiler, **kw):
    return f"GREATEST({', '.join(_args(element, compiler, **kw))})"


@compiles(greatest)
def _greatest_sqlite(element, compiler, **kw):
    return f"max({', '.join(_args(element, compiler, **kw))})"


@compiles(least, "postgresql")
def _least_pg(element, compiler, **kw):
    return f"LEAST({', '.join(_args(element, compiler, **kw))})"


@compiles(least)
def _least_sqlite(element, compiler, **kw):
    return f"min({', '.join(_args(element, compiler, **kw))})"
