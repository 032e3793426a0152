"""Every word a member reads is in the catalog (bot/locale), and the catalog is complete and current.

The code writes its messages in English inside `_()`, `ngettext()` or `N_()`; the nb catalog gives
each its bokmål. A Norwegian sentence written anywhere else in the code is a message that nynorsk
(issue 19, språklova § 14) could never reach, so the scan below fails on it.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.i18n import catalog_path

ROOT = Path(__file__).parents[1]
PACKAGES = ("bot", "handlers", "storage")
NORWEGIAN = re.compile(
    r"[æøåÆØÅ]|\b(ikke|og|er|til|av|på|som|det|skriv|slik|kan|har|fant|ingen|eller|bare|allerede|ble|"
    r"møte|sak|saken|frist|fristen|dagsorden|avstemning|avstemningen|kl|innkallingen|sekretariatet|lederen)\b",
    re.IGNORECASE,
)
CATALOG_CALLS = {"_", "N_", "ngettext"}
# Text for the operator, not for members (start-up, the CLI, the logs, a database that cannot be read):
# it is written in Norwegian for the secretariat's IT staff and stays beside the code that says it.
OPERATOR_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}
OPERATOR_MODULES = {
    "bot/run/cli.py",
    "bot/run/settings.py",
    "bot/run/console.py",
    "bot/run/catalogs.py",
    "storage/tinydb_engine/atomic_json.py",
    "storage/codec.py",
    "storage/tinydb_engine/migrations.py",
    "storage/tinydb_engine/process_lock.py",
    "storage/store.py",
    "storage/tinydb_engine/store.py",
    "storage/postgres/schema.py",
    "storage/postgres/transfer.py",
    "storage/__init__.py",
    "bot/run/app.py",
    "bot/run/oauth.py",
    "handlers/workspaces.py",
}
# The vocabulary of what the reader reads (a notice's headings, a command's keywords): input, not output.
GRAMMAR_MODULES = {"bot/core/notices/reader.py", "bot/core/notices/prose.py", "bot/core/dates.py", "bot/core/names.py"}


def _catalog_call(node: ast.AST) -> bool:
    """A message written out in a call to the catalog (a variable holds one already extracted)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in CATALOG_CALLS
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
    )


def _strings_outside_the_catalog(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))  # a docstring
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in CATALOG_CALLS or name in OPERATOR_CALLS or name in {"compile", "match", "search", "sub"}:
                exempt.update(id(sub) for arg in node.args for sub in ast.walk(arg))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # Babel's extractor does not look inside f-strings on 3.11
            found += [(sub.lineno, "_() inside an f-string") for sub in ast.walk(node) if _catalog_call(sub)]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt:
            text = node.value
            if " " in text.strip() and NORWEGIAN.search(text):
                found.append((node.lineno, text))
    return found


def test_no_member_facing_text_is_written_outside_the_catalog() -> None:
    problems = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in OPERATOR_MODULES | GRAMMAR_MODULES:
                continue
            problems += [f"{name}:{line}: {text[:70]!r}" for line, text in _strings_outside_the_catalog(path)]
    assert not problems, "Norsk tekst utenfor katalogen (skriv den i _() på engelsk):\n" + "\n".join(problems)


def test_the_catalogs_are_current_with_the_code() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.catalogs", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    """Bokmål and nynorsk alike: no entry untranslated or fuzzy (språklova § 14 asks for both målformer)."""
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(texts) or message.fuzzy:
            problems.append(f"uten {language}: {ids[0]!r}")
            continue
        wanted = set().union(*(_placeholders(i) for i in ids))
        problems += [f"{ids[0]!r}: {text!r} har andre felt" for text in texts if _placeholders(text) - wanted]
        problems += [f"{ids[0]!r}: mangler {sorted(wanted - _placeholders(texts[-1]))}"]
        problems = [p for p in problems if not p.endswith("mangler []")]
    assert not problems, "\n".join(problems)
