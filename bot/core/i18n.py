"""Every word a member reads comes through here, from the gettext catalogs in bot/locale.

Messages are written in English in the code (`_("Meeting {number} not found.", number=...)`) and
translated by the catalog of the reader's written standard: `nb` now, `nn` next (språklova § 14
asks public bodies to use both). The catalogs are .po files kept with Babel's own tooling
(`python -m bot.run.catalogs`); they are compiled in memory at first use with Babel's compiler,
so a fresh clone needs no build step and no compiled file can go stale.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "motebot"
LANGUAGES = ("nb", "nn")  # bokmål, nynorsk: Språkrådet's names and ISO 639-1 codes
DEFAULT_LANGUAGE = "nb"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)
_reader: ContextVar[str | None] = ContextVar("reader", default=None)  # the own målform of the one who asked


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> Translations:
    """The language's catalog, compiled as `pybabel compile` would; an empty one if it has none yet."""
    path = catalog_path(language)
    if not path.exists():
        return Translations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_language() -> str:
    return _language.get()


@contextmanager
def language(code: str) -> Iterator[None]:
    """Answer in `code` inside the block (a request, a scheduled post): the reader's written standard."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def set_reader(code: str | None) -> None:
    """This request is read by someone whose own målform is `code` (chosen, or Slack's guess; None: no
    preference): what only they read is written in it. Set at the request's start (bot.run.app), not
    scoped: Bolt runs the listener after the middleware has returned, in the same thread."""
    own = code if code in LANGUAGES else None
    _reader.set(own)
    _language.set(own or DEFAULT_LANGUAGE)


def use_language(code: str) -> None:
    """From here on in this request (and the work it hands to other threads), answer in the body's målform
    `code`, unless the reader chose their own. What the channel reads is rendered in `language(body's)`."""
    _language.set(_reader.get() or (code if code in LANGUAGES else DEFAULT_LANGUAGE))


def _(message: str, /, **values: object) -> str:
    """The message in the current language, with `{name}` filled in from `values`."""
    text = _translations(current_language()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """'1 sak', '3 saker': the form the language uses for `count`; `{count}` is filled in too."""
    text = _translations(current_language()).ngettext(singular, plural, count)
    return text.format(count=count, **values)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined (a usage text); `_()` translates it where used."""
    return message
