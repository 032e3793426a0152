"""The engine for a host that outgrows one process: PostgreSQL (psycopg 3, a connection pool), the same
documents as TinyDB's under the same ids, each row owned by one workspace (team). Selected by
MOTEBOT_DATABASE_URL; the schema is Alembic's (migrations/)."""
