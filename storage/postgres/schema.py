"""The PostgreSQL schema, upgraded by Alembic (storage/postgres/migrations) as a store opens: a new
deploy migrates its database itself, and a database newer than the code is refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from storage.errors import DatabaseUnavailable, DatabaseUnreadable

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_LOCK = 2_112_021  # an advisory lock's key: processes starting together migrate one at a time


def sqlalchemy_url(url: str) -> str:
    """The same database through SQLAlchemy's psycopg 3 dialect (one driver for the bot, Alembic and Slack's stores)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(
            "adressen er ikke en gyldig PostgreSQL-adresse (postgresql://bruker@vert/database)"
        ) from None
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def unavailable(error: BaseException) -> DatabaseUnavailable:
    """The server's own first line (connection refused, password authentication failed, …), for the operator."""
    return DatabaseUnavailable(
        f"kunne ikke åpne PostgreSQL-databasen ({_first_line(error)}); kjører serveren, og finnes databasen og "
        "brukeren i adressen?"
    )


def _first_line(error: BaseException) -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return reason[0] if reason else type(error).__name__


def _connected(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except DBAPIError as error:
        raise unavailable(error) from None


def upgrade(url: str) -> None:
    """To the newest revision, under an advisory lock; refuses a database at a revision this code does not know."""
    config = alembic_config(url)
    scripts = ScriptDirectory.from_config(config)
    heads = set(scripts.get_heads())
    known = {revision.revision for revision in scripts.walk_revisions()}
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)  # one connection, closed after
    try:
        connection = _connected(engine)
        with connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK})
            try:
                current = set(MigrationContext.configure(connection).get_current_heads())
                if unknown := current - known:
                    raise DatabaseUnreadable(
                        f"databasen er på versjon {', '.join(sorted(unknown))}, som denne Møtebot ikke kjenner: "
                        "den er nyere enn koden; ta i bruk den nyere Møtebot"
                    )
                if current != heads:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    connection.commit()
            except DBAPIError as error:  # the migration's own error, not "current transaction is aborted" below
                raise DatabaseUnreadable(f"kunne ikke oppgradere PostgreSQL-databasen: {_first_line(error)}") from None
            finally:
                connection.rollback()  # a failed migration's transaction; the session's lock outlives it
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK})
                connection.commit()
    finally:
        engine.dispose()
