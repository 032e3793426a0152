"""Which body a heading names: "Styringsgruppemøte for Akson" is a meeting of "Styringsgruppen for Akson",
"Møteplan Nasjonalt e-helsestyre" the plan of "Nasjonalt e-helsestyre".

A heading and a name are compared by their words: casefolded, each word cut to its Norwegian stem
(Snowball's: "styringsgruppen", "styringsgruppa" and "styringsgruppe" are one word, as are "rådet" and
"råd"), a compound's "-møte" taken off ("kommunestyremøte" is "kommunestyre"), and the words that say
nothing about which body left out: "for", "i", "møte", and any word every one of the bodies has.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache

import snowballstemmer

from bot.core.rules import Body

_WORD = re.compile(r"[^\W\d_]+")  # letters; a hyphen or a digit ends a word ("e-helsestyre": "e", "helsestyre")
_MEETING = "møt"  # the stem of "møte", "møtet", "møter", and the end of "styringsgruppemøt(e)"
# Words a heading or a name has whichever body it is about: function words, and the notice's own words.
_SAYS_NOTHING = (
    "for i og av til om på med ved fra den det de en et ei sin sitt sine "
    "møte møter møtet møteplan innkalling referat sak saker dagsorden ordinært ekstraordinært"
)
_stemmer = snowballstemmer.stemmer("norwegian")
_stemmer_lock = threading.Lock()  # a Snowball stemmer keeps its word in itself while it works


@cache
def _stem(word: str) -> str:
    with _stemmer_lock:
        stem: str = _stemmer.stemWord(word)
    if stem.endswith(_MEETING) and len(stem) > len(_MEETING):  # "eldrerådsmøte": "eldreråds", then "eldreråd"
        return _stem(stem.removesuffix(_MEETING))
    return stem


@cache
def _ignored() -> frozenset[str]:
    return frozenset(_stem(word) for word in _SAYS_NOTHING.split()) | {""}


def name_words(text: str | None) -> frozenset[str]:
    """The words of a heading or a name that may tell one body from another, as stems."""
    words = _WORD.findall((text or "").casefold())
    return frozenset(_stem(word) for word in words if len(word) > 1) - _ignored()


def _words_of(body: Body) -> frozenset[str]:
    return name_words(body.name) | name_words(body.short_name)


def body_named(heading: str | None, bodies: Sequence[Body]) -> Body | None:
    """The one of `bodies` whose name `heading` names, or None: no body shares a telling word with it, or
    two share as much.

    The most words shared wins; of as many, the name with the fewest words besides ("Styringsgruppemøte
    for Akson" is rather "Styringsgruppen for Akson" than "Styringsgruppen for Akson og Helsenett")."""
    words = name_words(heading)
    if not words or not bodies:
        return None
    names = {body.id: _words_of(body) for body in bodies}
    common = frozenset.intersection(*names.values()) if len(bodies) > 1 else frozenset()
    telling = words - common

    def score(body: Body) -> tuple[int, float]:
        name = names[body.id] - common
        shared = len(telling & name)
        return shared, shared / len(telling | name) if shared else 0.0

    ranked = sorted(bodies, key=score, reverse=True)
    best = score(ranked[0])
    if best[0] == 0 or (len(ranked) > 1 and score(ranked[1]) == best):
        return None
    return ranked[0]


_NORWEGIAN_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # after z, in that order


def by_name(bodies: Iterable[Body]) -> list[Body]:
    """Bodies in the order a member looks for a name: the Norwegian alphabet, æ, ø and å last."""
    return sorted(bodies, key=lambda body: (body.name.casefold().translate(_NORWEGIAN_ORDER), body.id))
