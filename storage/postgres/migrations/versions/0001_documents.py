"""Møtebot's documents, per team, as TinyDB keeps them; each team's version; the requests accepted lately.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One table for every kind of document: the repositories are the engines' shared code (storage.documents),
    # and a new kind of record needs no migration. The indexes are on the fields the repositories look up by.
    op.execute("""
        CREATE TABLE documents (
            team text NOT NULL,
            tbl text NOT NULL,
            id bigint NOT NULL,
            doc jsonb NOT NULL,
            PRIMARY KEY (team, tbl, id)
        )""")
    for field in ("organ", "vote", "user", "key", "meeting", "origin"):
        op.execute(f"CREATE INDEX documents_by_{field} ON documents (team, tbl, (doc -> '{field}'))")
    op.execute("CREATE TABLE team_versions (team text PRIMARY KEY, version bigint NOT NULL)")
    op.execute("CREATE TABLE recent_requests (signature text PRIMARY KEY, signed_at bigint NOT NULL)")
    op.execute("CREATE INDEX recent_requests_by_time ON recent_requests (signed_at)")


def downgrade() -> None:
    op.execute("DROP TABLE recent_requests")
    op.execute("DROP TABLE team_versions")
    op.execute("DROP TABLE documents")
