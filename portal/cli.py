"""Flask commands: `flask demo`, `flask create-staff`, `flask sign-ins`, `flask demo-code`,
`flask purge-expired`, `flask backup`, `flask worker`, `flask vapid-keys`, `flask mail-info`,
`flask bench-data`, `flask evaluation-bench-data`.

They are plain click commands added to `app.cli`, so each is wrapped in
`with_appcontext`: `flask` itself would push an app context, but
`app.test_cli_runner()` and other callers do not.
"""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.db import db


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(sign_ins_command)
    app.cli.add_command(demo_code_command)
    app.cli.add_command(purge_expired_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(vapid_keys_command)
    app.cli.add_command(mail_info_command)
    app.cli.add_command(bench_data_command)
    app.cli.add_command(evaluation_bench_data_command)


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Load only into a database without any office.")
def demo_command(if_empty: bool) -> None:
    """Load the fictional demo family (refused under production configuration)."""
    from portal import demo
    from portal.models import Office

    if not current_app.config["DEMO_ALLOWED"]:
        raise click.ClickException("demo data is refused under production configuration")
    if if_empty and db.session.scalar(sa.select(sa.func.count(Office.id))):
        click.echo("Database already has data; demo not loaded.")
        return
    demo.load(db.session)
    db.session.commit()
    click.echo("Demo data loaded.")


@click.command("create-staff")
@with_appcontext
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(["caseworker", "lead", "admin", "head"]), required=True)
@click.option("--team", "team_name", help="Team name; created if missing.")
@click.password_option()
def create_staff_command(username: str, display_name: str, role: str, team_name: str | None, password: str) -> None:
    """Create a staff account (the first admin on a new installation)."""
    from portal.models import Office, Role, StaffUser, Team
    from portal.passwords import STAFF_MINIMUM, hash_password, password_problem

    problem = password_problem(password, username, STAFF_MINIMUM)
    if problem:
        raise click.ClickException(str(problem))
    session = db.session
    office = session.scalar(sa.select(Office)) or Office(name=current_app.config["OFFICE_NAME"])
    team = None
    if team_name:
        team = session.scalar(sa.select(Team).where(Team.name == team_name)) or Team(office=office, name=team_name)
    session.add(StaffUser(username=username.lower(), display_name=display_name, role=Role(role), team=team,
                          password_hash=hash_password(password)))
    session.commit()
    click.echo(f"Staff account {username.lower()} created.")


@click.command("sign-ins")
@with_appcontext
def sign_ins_command() -> None:
    """Print the demo sign-ins (all with the password `neustart-demo`)."""
    from portal.demo import PASSWORD, SIGN_INS

    click.echo(f"Demo sign-ins (password for all: {PASSWORD}):")
    for url, username, who in SIGN_INS:
        click.echo(f"  {url:<14} {username:<20} {who}")
    click.echo("Staff need a second-factor code after the password: `make demo-code STAFF=demo.caseworker`")
    click.echo("(or `PORTAL_ENV=development .venv/bin/flask --app wsgi demo-code demo.caseworker`; "
               "each code works once, a new one every 30 s).")


@click.command("demo-code")
@click.argument("username")
@with_appcontext
def demo_code_command(username: str) -> None:
    """Print the current second-factor code of a demo staff account."""
    import pyotp

    from portal.demo import DEMO_TOTP_SECRET
    from portal.models import StaffUser

    if not current_app.config["DEMO_ALLOWED"]:
        raise click.ClickException("demo codes are refused under production configuration")
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username.lower()))
    if staff is None or staff.totp_secret != DEMO_TOTP_SECRET:
        raise click.ClickException(f"{username} is not a demo staff account with the demo second factor")
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Delete closed cases whose retention period is over, and dead sign-in sessions (run it daily)."""
    from portal.db import utcnow
    from portal.retention import purge_expired, purge_expired_sessions

    now = utcnow()
    records = purge_expired(db.session, now)
    ended = purge_expired_sessions(db.session, now)
    db.session.commit()
    click.echo(f"Deleted {len(records)} case(s) and {ended} expired sign-in session(s).")
    for record in records:
        click.echo(f"  {record.reference}")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Write a consistent copy of the database to DESTINATION while the portal runs."""
    from portal.backup import backup

    if destination.exists():
        raise click.ClickException(f"{destination} exists; choose a new file name")
    backup(db.engine, destination)
    click.echo(f"Backup written to {destination}.")


@click.command("worker")
@click.option("--workers", type=int, help="Threads taking tasks (default HUEY_WORKERS).")
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Run the notification worker (a Huey consumer) until Ctrl-C or SIGTERM; run as many as you like."""
    config = current_app.config
    huey = current_app.extensions["huey"]
    consumer = huey.create_consumer(
        workers=workers or config["HUEY_WORKERS"], worker_type="thread", periodic=True,
        initial_delay=0.1, max_delay=config["HUEY_POLL_SECONDS"], check_worker_health=True,
    )
    current_app.extensions["huey.sweep"]()  # first sweep at once: what waited while no worker ran
    consumer.run()


@click.command("vapid-keys")
def vapid_keys_command() -> None:
    """Print a new VAPID key pair for Web Push, as environment lines (keep the private one secret)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid

    vapid = Vapid()
    vapid.generate_keys()
    raw_private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    raw_public = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    encode = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    click.echo(f"VAPID_PRIVATE_KEY={encode(raw_private)}")
    click.echo(f"VAPID_PUBLIC_KEY={encode(raw_public)}")


@click.command("mail-info")
@with_appcontext
def mail_info_command() -> None:
    """Say where notification mail goes (SMTP server, or the folder of .eml files)."""
    config = current_app.config
    if config["SMTP_HOST"]:
        click.echo(f"Notification mail goes to the SMTP server {config['SMTP_HOST']}:{config['SMTP_PORT']}.")
    else:
        click.echo(f"Notification mail is written as files to {config['MAIL_DIR']}/*.eml (SMTP_HOST is not set).")


def _measuring_data(**kwargs) -> dict[str, int]:
    """`portal.bench_data.generate` into the app's database, with the demo password and second factor
    for the measuring sign-ins (refused under production configuration)."""
    from portal.bench_data import generate
    from portal.demo import DEMO_TOTP_SECRET, PASSWORD
    from portal.passwords import hash_password

    if not current_app.config["DEMO_ALLOWED"]:
        raise click.ClickException("measuring data is refused under production configuration")
    counts = generate(db.session, sign_in_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET, **kwargs)
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return counts


@click.command("bench-data")
@click.argument("cases", type=click.IntRange(1, 100_000), default=10_000)
@with_appcontext
def bench_data_command(cases: int) -> None:
    """Fill a database of its own with a large fictional office of CASES cases, for measuring.

    Teams of 400 cases, each with 12 caseworkers and a lead; sign in as bench.lead (team 1),
    bench.caseworker or bench.parent with the demo password (staff: the demo second factor)."""
    import time

    started = time.perf_counter()
    counts = _measuring_data(cases=cases)
    db.session.commit()
    click.echo(f"Generated in {time.perf_counter() - started:.1f} s: "
               + ", ".join(f"{number} {name}" for name, number in counts.items()))


@click.command("evaluation-bench-data")
@click.option("--children", default=10_000, show_default=True, help="How many children the office's cases hold.")
@click.option("--head", "head_name", default="bench.head", show_default=True,
              help="Sign-in name of a department head to create for reading the evaluation.")
@with_appcontext
def evaluation_bench_data_command(children: int, head_name: str) -> None:
    """Fill an empty database of its own with a large fictional office, to measure the evaluation."""
    import time

    from portal.demo import DEMO_TOTP_SECRET, PASSWORD
    from portal.models import Role, StaffUser
    from portal.passwords import hash_password

    started = time.perf_counter()
    counts = _measuring_data(children=children)
    db.session.add(StaffUser(username=head_name, display_name="Leitung (Messung)", role=Role.head,
                             password_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET))
    db.session.commit()
    click.echo(f"Generated in {time.perf_counter() - started:.1f} s: "
               + ", ".join(f"{number} {name}" for name, number in counts.items()))
