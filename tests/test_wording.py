"""Issue 20's wording over the real app: the status answer names the work stream as a sentence does, and the
`motebot` command's own help is Norwegian throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.domain import WorkStream
from tests.processes import motebot
from tests.support import SEKRETARIAT, RunningBot

ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message", "optional arguments")


def test_an_updated_status_names_its_work_stream(bot: RunningBot) -> None:
    bot.store.work_streams.save(WorkStream(2, "Intensjonserklæringer"))
    answer = bot.slack.command("/status", "oppdater 2 Nå har 80 prosent signert", user_id=SEKRETARIAT).all_text()
    assert "Statusen for område 2, Intensjonserklæringer, er oppdatert." in answer
    history = bot.slack.command("/status", "historikk 2", user_id=SEKRETARIAT).all_text()
    assert "*Historikk for område 2, Intensjonserklæringer*" in history
    bot.slack.command("/motebot", "målform nn", user_id=SEKRETARIAT)
    answer = bot.slack.command("/status", "oppdater 2 No har 90 prosent signert", user_id=SEKRETARIAT).all_text()
    assert "Statusen for område 2, Intensjonserklæringer, er oppdatert." in answer


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--help",), ["bruk: motebot [-h] KOMMANDO ...", "argumenter:", "valg:", "-h, --hjelp  vis denne hjelpen"]),
        (("-h",), ["bruk: motebot [-h] KOMMANDO ..."]),
        (("console", "--help"), ["bruk: motebot console [-h] [--demo] [--now TID]", "valg:", "--now TID"]),
        (("protokoll", "--hjelp"), ["argumenter:", "MØTE", "--out FIL", "--organ KORTNAVN"]),
    ],
)
def test_the_command_line_help_is_norwegian(tmp_path: Path, args: tuple[str, ...], said: list[str]) -> None:
    done = motebot(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for words in said:
        assert words in done.stdout, done.stdout
    assert not any(english in done.stdout for english in ARGPARSE_ENGLISH), done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("kast",), "motebot: KOMMANDO: ukjent valg 'kast' (velg blant 'import', "),
        (("import",), "motebot import: mangler: FIL"),
        (("serve", "--port", "x"), "motebot serve: --port: ugyldig verdi 'x'"),
        (("console", "--fort"), "motebot: forstod ikke: --fort"),
        ((), "motebot: mangler: KOMMANDO"),
    ],
)
def test_a_mistyped_command_line_is_answered_in_norwegian(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    done = motebot(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert said in done.stderr and done.stderr.startswith("bruk: motebot"), done.stderr
    assert not any(english in done.stderr for english in (*ARGPARSE_ENGLISH, "error:", "invalid", "required"))
