"""Document ids computed from what they are of, the same in every engine: reading one meeting is a direct
key, however many meetings and bodies there are, and a database moves between engines id for id."""

from __future__ import annotations

from bot.core.domain import Serial

BODY_SPAN = 10_000_000  # a body's meetings (and their sessions, minutes, imports) are the ids from body * BODY_SPAN on
COUNTER_SPAN = 10_000  # a body's yearly counters of meeting and case numbers
STREAM_SPAN = 10_000  # a body's work streams, by number


def meeting_id(body: int, number: Serial) -> int:
    """Meeting 4/20 of body 3 is document 32020004."""
    return body * BODY_SPAN + number.year * 1000 + number.seq


def body_meetings(body: int) -> range:
    """The ids of one body's meeting documents."""
    return range(body * BODY_SPAN, (body + 1) * BODY_SPAN)


def counter_id(body: int, year: int) -> int:
    return body * COUNTER_SPAN + year


def stream_id(body: int, number: int) -> int:
    return body * STREAM_SPAN + number


def body_streams(body: int) -> range:
    return range(stream_id(body, 0), stream_id(body + 1, 0))
