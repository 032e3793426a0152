"""The child process that reads notice files for bot.core.notices.files: requests (kind, bytes, name, language)
come on stdin, answers (ok, text or message) go to stdout, each a pickle after its 8-byte length. It ends when
its parent closes stdin (or dies)."""

from __future__ import annotations

import pickle
import struct
import sys
from typing import BinaryIO

from bot.core.i18n import _, language
from bot.core.notices.files import convert
from bot.core.notices.reader import NoticeError

# A converter may use this much address space before it fails as a damaged file (a bomb of some other kind).
MEMORY_LIMIT_BYTES = 3 * 1024**3
_HEADER = struct.Struct(">Q")
_SHOWN = {"pdf": "PDF", "docx": "Word", "pptx": "PowerPoint", "odt": "OpenDocument", "html": "HTML"}


def _read(stream: BinaryIO, count: int) -> bytes | None:
    data = stream.read(count)
    return data if data is not None and len(data) == count else None


def answer(kind: str, data: bytes, name: str) -> tuple[bool, str]:
    try:
        return True, convert(kind, data, name)  # type: ignore[arg-type]
    except NoticeError as error:
        return False, str(error)
    except Exception:  # whatever a library raises on a file it cannot parse: damaged
        shown = _SHOWN.get(kind, kind)
        return False, _("{name}: the file is damaged and cannot be read as {kind}.", name=name, kind=shown)


def main() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass
    for module in ("pdf", "word", "slides", "opendocument", "web"):  # imported once, before the first file
        __import__(f"bot.core.notices.files.{module}")
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while (header := _read(requests, _HEADER.size)) is not None:
        request = _read(requests, _HEADER.unpack(header)[0])
        if request is None:
            break
        kind, data, name, code = pickle.loads(request)
        with language(code):
            result = pickle.dumps(answer(kind, data, name))
        answers.write(_HEADER.pack(len(result)) + result)
        answers.flush()


if __name__ == "__main__":
    main()
