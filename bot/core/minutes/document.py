"""A document as the minutes' writers see it: a title, a running header, and blocks in order. Text is plain
(no markup): each writer escapes and typesets it its own way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the document's title is separate; 2: a part ("Til stede", "Sak 17/20 …"); 3: within


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: bool = False  # the decision ("Vedtak: …"), set off from the rest


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Fields:
    """Label and value pairs: "Tid: onsdag 1. juli 2020 kl. 09.00–10.30"."""

    pairs: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Bullets | Fields


@dataclass(frozen=True)
class Document:
    title: str  # "Møteprotokoll – Styringsgruppemøte for Akson, møte 4/20, onsdag 1. juli 2020 kl. 09.00–10.30"
    header: str  # on every page: the body's name
    blocks: tuple[Block, ...]
    footer: str = ""  # on every page beside the page number: "Utkast" or "Godkjent … · SHA-256 …"
