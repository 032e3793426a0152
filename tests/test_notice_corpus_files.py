"""Every notice of the corpus, written as a real PDF, Word, PowerPoint, OpenDocument and web page, reads as the
same meeting as its text: every converter path runs on every layout, not only on the seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.domain import Meeting
from bot.core.notices.reader import parse_bytes, parse_notice
from tests import documents
from tests.support import FIXTURES

CORPUS = sorted((FIXTURES / "notices").glob("*.txt"))
WRITERS: dict[str, Callable[[str], bytes]] = {
    "pdf": documents.pdf_from_text,
    "docx": documents.docx_from_text,
    "pptx": documents.pptx_from_text,
    "odt": documents.odt_from_text,
    "html": documents.html_from_text,
}


def _facts(meeting: Meeting) -> tuple[object, ...]:
    cases = [(str(c.number), c.shown_number, c.title, c.start, c.case_type, c.proposal, c.presenter)
             for c in meeting.cases]  # fmt: skip
    return meeting.number, meeting.day, meeting.start, meeting.end, meeting.location, meeting.web, cases


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_each_notice_reads_the_same_in_each_format(path: Path, kind: str) -> None:
    text = path.read_text(encoding="utf-8")
    expected = parse_notice(text, path.name)
    read = parse_bytes(WRITERS[kind](text), f"{path.stem}.{kind}")
    assert _facts(read.meeting) == _facts(expected.meeting)
    assert (read.numbered, read.minutes) == (expected.numbered, expected.minutes)
