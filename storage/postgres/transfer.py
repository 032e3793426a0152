"""Moving a TinyDB database into PostgreSQL (`motebot migrate`), and removing a workspace's records
(`motebot purge`): each one transaction, all or nothing."""

from __future__ import annotations

from collections import Counter

import psycopg
from psycopg.types.json import Jsonb

from storage.codec import DECODERS
from storage.errors import DatabaseUnreadable, WorkspaceInstalled
from storage.postgres.store import PgStore
from storage.tinydb_engine.store import TinyStore

MOVED = frozenset(DECODERS) | {"imported"}  # what the store reads; anything else in the file is left behind


def copy_into(source: TinyStore, target: PgStore) -> tuple[Counter[str], tuple[str, ...]]:
    """Every record of `source` into `target`'s workspace, id for id, committed only if PostgreSQL then
    holds exactly what the file does; refused if the workspace has records already. Returns the count per
    table and the tables left behind (not Møtebot's, or no longer read)."""
    state = source.state()
    moved = {table: docs for table, docs in state.items() if table in MOVED}
    db = target.documents
    with db.transaction():
        if db.fetch_one("SELECT 1 FROM documents WHERE team = %s LIMIT 1", (target.team,)):
            raise DatabaseUnreadable(
                f"arbeidsområdet «{target.team}» har allerede data i PostgreSQL; flytt til et tomt arbeidsområde "
                f"(--team), eller fjern dataene først med «motebot purge {target.team} --bekreft»"
                if target.team
                else "standardarbeidsområdet har allerede data i PostgreSQL; flytt til et tomt arbeidsområde "
                "(--team), eller fjern dataene først med «motebot purge '' --bekreft»"
            )
        for table, docs in moved.items():
            try:
                db.execute_many(
                    "INSERT INTO documents (team, tbl, id, doc) VALUES (%s, %s, %s, %s)",
                    [(target.team, table, doc_id, Jsonb(doc)) for doc_id, doc in docs.items()],
                )
            except psycopg.DataError as error:
                raise DatabaseUnreadable(
                    f"tabellen «{table}» har et dokument PostgreSQL ikke kan lagre "
                    f"({error.diag.message_primary}); ingenting ble flyttet"
                ) from None
        if target.state() != moved:
            raise DatabaseUnreadable("PostgreSQL leste ikke tilbake det som ble skrevet; ingenting ble flyttet")
    return Counter({table: len(docs) for table, docs in moved.items()}), tuple(sorted(set(state) - MOVED))


def purge(target: PgStore) -> Counter[str]:
    """Every record of the workspace, gone in one commit; the count per table that was removed. Refused while
    the workspace is installed (WorkspaceInstalled): its members would lose what they still use. Its row in
    `workspaces` goes too, locked first, so an install of it at the same moment waits and starts afresh."""
    db = target.documents
    with db.transaction():
        found = db.fetch_one("SELECT uninstalled_at FROM workspaces WHERE team = %s FOR UPDATE", (target.team,))
        bot = db.fetch_one(
            "SELECT 1 FROM slack_bots WHERE (team_id = %s AND NOT is_enterprise_install) "
            "OR (enterprise_id = %s AND is_enterprise_install) LIMIT 1",
            (target.team, target.team),
        )
        if (found is not None and found[0] is None) or bot is not None:
            raise WorkspaceInstalled(
                f"arbeidsområdet «{target.team}» har fortsatt Møtebot installert; avinstaller appen der først "
                "(purge sletter bare et arbeidsområde som er avinstallert)"
            )
        db.execute("DELETE FROM workspaces WHERE team = %s", (target.team,))
        removed = Counter(
            {str(table): int(n) for table, n in db.fetch_all(
                "SELECT tbl, count(*) FROM documents WHERE team = %s GROUP BY tbl", (target.team,)
            )}
        )  # fmt: skip
        db.execute("DELETE FROM documents WHERE team = %s", (target.team,))
    return removed
