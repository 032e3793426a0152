"""Alembic's environment: run on the connection storage.postgres.schema.upgrade hands it (under its lock),
or, from the alembic command line, on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        context.configure(connection=fresh, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
