"""Bring the catalogs up to date with the code: `python -m bot.run.catalogs` after changing any message.

Babel's own tooling does the work (pybabel extract, then update for each language, reading
pyproject.toml's [tool.babel.*] tables); new messages then wait in the .po files for their
Norwegian text. `--check` changes nothing and fails if the catalogs are behind the code or a message has no
text yet (the tests run it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.core.i18n import LANGUAGES, LOCALE_DIR, catalog_path

ROOT = LOCALE_DIR.parents[1]
TEMPLATE = LOCALE_DIR / "motebot.pot"


def _pybabel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])  # type: ignore[no-untyped-call]  # Babel's CLI is untyped


def extract(template: Path = TEMPLATE) -> None:
    _pybabel("extract", "-o", str(template))


def update() -> None:
    extract()
    for language in LANGUAGES:  # a language gets its catalog with `pybabel init -l nn -i … -o …`
        path = catalog_path(language)
        if path.exists():
            _pybabel("update", "-l", language, "-i", str(TEMPLATE), "-o", str(path))


def behind() -> list[str]:
    """What the code says that the catalogs do not have, or have and the code no longer says."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "motebot.pot"
        extract(fresh)
        with fresh.open("rb") as file:
            wanted = {message.id for message in read_po(file) if message.id}
    problems = []
    for language in LANGUAGES:
        path = catalog_path(language)
        if not path.exists():
            continue
        with path.open("rb") as file:
            catalog = [message for message in read_po(file) if message.id]
        have = {message.id for message in catalog}
        problems += [f"{language}: mangler {_key(m)}" for m in sorted(wanted - have, key=_key)]
        problems += [f"{language}: uten tekst {_key(m.id)}" for m in catalog if not _translated(m.string)]
        problems += [f"{language}: brukes ikke lenger {_key(m)}" for m in sorted(have - wanted, key=_key)]
    return problems


def _translated(text: str | tuple[str, ...] | list[str] | None) -> bool:
    return bool(text) if isinstance(text, str) or text is None else all(text)


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def main() -> int:
    import os

    os.chdir(ROOT)
    if "--check" in sys.argv[1:]:
        problems = behind()
        print("\n".join(problems) or "Katalogene er oppdaterte.")
        return 1 if problems else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
