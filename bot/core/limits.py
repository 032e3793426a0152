"""How long a text a member may write: one limit per kind of text, the same in every command that takes it,
and said in each one's help."""

from __future__ import annotations

TITLE = 200  # a one-line text: a case's or a meeting's title, what a deadline asks for
TEXT = 2000  # a long text: a proposed decision, a decision or a note for the minutes, a status update
REASON = 500  # why: a forfall's reason, a declared conflict of interest
