"""The workspaces installed through Slack's OAuth flow: slack_sdk's installation and state stores' tables, and
Møtebot's own record of each workspace (who installed it, when, and when it was uninstalled).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The names slack_sdk's stores use by default (storage.postgres.oauth builds them with these).
BOTS, INSTALLATIONS, STATES = "slack_bots", "slack_installations", "slack_oauth_states"


def upgrade() -> None:
    # slack_sdk's own table definitions, so the stores' queries find exactly the columns they expect; a later
    # slack_sdk that adds columns needs a revision of its own (pyproject pins slack-sdk below 4).
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS)
    SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES)
    metadata.create_all(op.get_bind())
    # One row per workspace (team key: the enterprise's ID for an org-wide install, else the team's): kept after
    # an uninstall, with its time, so the records stay until `motebot purge` and the ticker knows to skip it.
    op.execute("""
        CREATE TABLE workspaces (
            team text PRIMARY KEY,
            enterprise_id text,
            team_id text,
            installed_by text,
            installed_at timestamptz NOT NULL DEFAULT now(),
            uninstalled_at timestamptz
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE workspaces")
    for table in (STATES, INSTALLATIONS, BOTS):
        op.execute(f"DROP TABLE {table}")
