"""A notice file's bytes → the reader's text (see layout.py for the dialect), whatever the secretariat saved it as.

Text and Markdown are decoded here, in the caller's process: that is only a decode. Everything else (PDF, DOCX,
PPTX, ODT, HTML) is parsed by a library on bytes from outside, where one bad file could spin or swell for
minutes; so each such file is read in a CHILD process (`python -m bot.core.notices.files.worker`) with a time
limit, killed when it runs over, while the request (and every other request) goes on. A child that answered
in time is kept for the next file, so the libraries are imported once (pdfplumber alone takes a third of a
second), not once a file; it is a fresh interpreter, not a fork, so none of the bot's threads is copied.
multiprocessing's spawn and forkserver were the other candidates; they re-run the caller's main module in each
child, which a command (`motebot import`) or a test runner does not expect.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time

from bot.core.i18n import _, current_language
from bot.core.notices.files import plaintext
from bot.core.notices.files.kinds import Kind, detect
from bot.core.notices.reader import NoticeError

__all__ = ["convert", "detect", "document_text"]

_HEADER = struct.Struct(">Q")
_IDLE_WORKERS = 2  # kept for the next file; more run at once when more files are read at once
_WORKER_FILES = 100  # a worker is replaced after this many files, so no file's leftovers pile up


def convert(kind: Kind, data: bytes, name: str) -> str:
    """The text of a file of `kind`, in this process (the child calls this)."""
    if kind == "pdf":
        from bot.core.notices.files import pdf

        return pdf.text(data, name)
    if kind == "docx":
        from bot.core.notices.files import word

        return word.text(data, name)
    if kind == "pptx":
        from bot.core.notices.files import slides

        return slides.text(data, name)
    if kind == "odt":
        from bot.core.notices.files import opendocument

        return opendocument.text(data, name)
    if kind == "html":
        from bot.core.notices.files import web

        return web.text(plaintext.decode(data))
    return plaintext.text(data)


def document_text(data: bytes, name: str, *, seconds: float = 30) -> str:
    """The reader's text of a notice file, or NoticeError: an unknown kind (naming what can be read), a
    damaged, encrypted, scanned or too large file, or one that took more than `seconds` to read."""
    kind = detect(data, name)
    text = plaintext.text(data) if kind == "text" else _in_child(kind, data, name, seconds)
    if kind != "text" and not any(character.isalnum() for character in text):
        # A Word file or slide deck of scanned pictures says no more than a scanned PDF.
        raise NoticeError(_("{name}: contains no text (a scanned page?) – send it as Word or text.", name=name))
    return text


class _Worker:
    """One child process that reads files, one at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.core.notices.files.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.files = 0

    def ask(self, request: bytes, seconds: float) -> tuple[bool, str] | None:
        """The answer, or None when it did not come within `seconds` (or the child died)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        deadline = time.monotonic() + seconds
        try:
            self.process.stdin.write(_HEADER.pack(len(request)) + request)
            self.process.stdin.flush()
        except OSError:
            return None
        self.files += 1
        size = self._read(_HEADER.size, deadline)
        if size is None:
            return None
        answer = self._read(_HEADER.unpack(size)[0], deadline)
        if answer is None:
            return None
        ok, payload = pickle.loads(answer)
        return bool(ok), str(payload)

    def _read(self, count: int, deadline: float) -> bytes | None:
        assert self.process.stdout is not None
        descriptor = self.process.stdout.fileno()
        chunks: list[bytes] = []
        while count > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                return None
            chunk = os.read(descriptor, min(count, 1 << 20))
            if not chunk:
                return None  # the child is gone
            chunks.append(chunk)
            count -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take() -> _Worker:
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.process.poll() is None:
                return worker
    return _Worker()


def _give_back(worker: _Worker) -> None:
    with _idle_lock:
        if len(_idle) < _IDLE_WORKERS and worker.files < _WORKER_FILES:
            _idle.append(worker)
            return
    worker.stop()


@atexit.register
def _stop_idle() -> None:
    with _idle_lock:
        while _idle:
            _idle.pop().stop()


def _in_child(kind: Kind, data: bytes, name: str, seconds: float) -> str:
    worker = _take()
    answer = worker.ask(pickle.dumps((kind, data, name, current_language())), seconds)
    if answer is None:
        timed_out = worker.process.poll() is None
        worker.stop()  # killed: whatever it was doing on this file ends here
        if timed_out:
            limit = format(seconds, "g")
            raise NoticeError(_("{name}: took too long to read (more than {seconds} s).", name=name, seconds=limit))
        raise NoticeError(_("{name}: could not be read (the reader stopped).", name=name))
    _give_back(worker)
    ok, payload = answer
    if not ok:
        raise NoticeError(payload)
    return payload
