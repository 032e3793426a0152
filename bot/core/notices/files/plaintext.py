"""Text and Markdown as secretariats save them: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252,
the encoding Notepad and older Word wrote in Norway."""

from __future__ import annotations

import codecs


def decode(data: bytes) -> str:
    """The text in the first encoding that fits: a BOM decides; else UTF-8, else Windows-1252 (and Latin-1 for
    the five bytes Windows-1252 leaves undefined, so no byte is ever refused or replaced)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def text(data: bytes) -> str:
    return decode(data).replace("\r\n", "\n").replace("\r", "\n")
