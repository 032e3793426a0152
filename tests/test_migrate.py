"""`motebot migrate` and `motebot purge` (issue 21): a TinyDB database moved into PostgreSQL, all or nothing,
and a workspace's records removed; run as an operator runs them, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.core.domain import Serial
from bot.core.rules import Body
from bot.run.cli import main
from storage import TinyStore, open_postgres
from storage.postgres.transfer import MOVED

FIXTURES = Path(__file__).parent / "fixtures"


def _old_database(tmp_path: Path) -> Path:
    """The kept database of a Møtebot from before there were bodies (tests/fixtures/db_before_bodies.txt)."""
    path = tmp_path / "motebot.json"
    shutil.copy(FIXTURES / "db_before_bodies.json", path)
    return path


def test_migrate_moves_the_kept_old_database_with_nothing_lost(
    tmp_path: Path, postgres_url: str, workspace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _old_database(tmp_path)
    assert main(["migrate", "--from", str(path), "--to", postgres_url, "--team", workspace]) == 0
    said = capsys.readouterr().out
    with TinyStore(path) as upgraded:  # what the file holds, upgraded as it opens (before the move, too)
        expected = {table: docs for table, docs in upgraded.state().items() if table in MOVED}
        meetings = upgraded.body(1).meetings.all()
    moved = open_postgres(postgres_url, workspace)
    assert moved.state() == expected
    assert moved.body(1).meetings.all() == meetings and meetings  # read back through the store, decoded alike
    assert f"arbeidsområdet «{workspace}»" in said and f"meetings: {len(expected['meetings'])}" in said, said


def test_migrate_into_a_workspace_with_records_is_refused_and_changes_nothing(
    tmp_path: Path, postgres_url: str, workspace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _old_database(tmp_path)
    assert main(["migrate", "--from", str(path), "--to", postgres_url, "--team", workspace]) == 0
    before = open_postgres(postgres_url, workspace).state()
    assert main(["migrate", "--from", str(path), "--to", postgres_url, "--team", workspace]) == 2
    assert "har allerede data i PostgreSQL" in capsys.readouterr().err
    assert open_postgres(postgres_url, workspace).state() == before


def test_migrate_is_all_or_nothing(
    tmp_path: Path, postgres_url: str, workspace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record PostgreSQL cannot keep (a NUL in a text: jsonb refuses it) fails the whole move, late in it."""
    path = tmp_path / "motebot.json"
    with TinyStore(path) as store:
        store.body(1).meetings.save([])
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    state.setdefault("preferences", {})["1"] = {"user": "U0NUL", "language": "nb\u0000"}
    state.setdefault("bodies", {})["1"] = {"name": "Styret", "short_name": "styret"}
    path.write_text(json.dumps(state), encoding="utf-8")
    path.with_name("motebot.json.journal").unlink(missing_ok=True)
    code = main(["migrate", "--from", str(path), "--to", postgres_url, "--team", workspace])
    assert code == 2, capsys.readouterr()
    assert open_postgres(postgres_url, workspace).state() == {}


def test_purge_removes_one_workspace_and_asks_first(
    tmp_path: Path,
    postgres_url: str,
    workspace: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = workspace + "B"
    for each in (workspace, other):
        assert main(["migrate", "--from", str(_old_database(tmp_path)), "--to", postgres_url, "--team", each]) == 0
    kept = open_postgres(postgres_url, other).state()
    monkeypatch.setenv("MOTEBOT_DATABASE_URL", postgres_url)
    assert main(["purge", workspace]) == 2 and "--bekreft" in capsys.readouterr().err
    assert open_postgres(postgres_url, workspace).state() != {}
    assert main(["purge", workspace, "--bekreft"]) == 0
    assert "Slettet" in capsys.readouterr().out
    assert open_postgres(postgres_url, workspace).state() == {}
    assert open_postgres(postgres_url, other).state() == kept
    assert open_postgres(postgres_url, other).body(1).meetings.get(Serial(2020, 4)) is not None


def test_a_database_that_does_not_answer_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOTEBOT_DATABASE_URL", "postgresql://motebot@127.0.0.1:1/motebot")
    assert main(["ical", "--out", str(tmp_path / "plan.ics")]) == 2
    said = capsys.readouterr().err
    assert said.startswith("motebot: kunne ikke åpne PostgreSQL-databasen (") and said.count("\n") == 1, said
    assert "kjører serveren" in said
    assert not (tmp_path / "plan.ics").exists()


def test_migrate_reads_a_database_that_is_all_journal_and_refuses_what_is_not_postgresql(
    tmp_path: Path, postgres_url: str, workspace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A small database is only its journal until the first snapshot: `motebot import` leaves no motebot.json."""
    path = tmp_path / "motebot.json"
    with TinyStore(path) as store:
        store.body(1).meetings.save([])
        store.bodies.create(Body(0, "Styret", "styret"))
    assert not path.exists() and path.with_name("motebot.json.journal").exists()
    assert main(["migrate", "--from", str(path), "--to", "mysql://x@localhost/db", "--team", workspace]) == 2
    assert "er ikke en PostgreSQL-adresse" in capsys.readouterr().err
    assert main(["migrate", "--from", str(path), "--to", postgres_url, "--team", workspace]) == 0
    assert "bodies: 1" in capsys.readouterr().out


def test_a_workspace_without_postgresql_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOTEBOT_WORKSPACE", "T0ANNET")
    assert main(["ical", "--out", str(tmp_path / "plan.ics")]) == 2
    said = capsys.readouterr().err
    assert "MOTEBOT_WORKSPACE gjelder bare med MOTEBOT_DATABASE_URL" in said and said.count("\n") == 1, said
