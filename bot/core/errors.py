"""Errors a member caused and can fix: the message is a whole sentence from the catalog that says what and how."""


class UserError(Exception):
    """Bad input: nothing was changed; the message says what was wrong and how to write it.

    `field` names the input it concerns, so a modal can show the message beside that input.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(UserError):
    """The member may not do this: nothing was changed; the message says who may."""


def clip(text: str, limit: int) -> str:
    """What a member typed, shortened with an ellipsis for an answer that quotes it back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(
    text: str,
    limit: int,
    *,
    missing: str,
    too_long: str,
    field: str | None = None,
) -> str:
    """Typed text as one line: refused when empty (`missing` says how to write it) or over `limit`
    (`too_long`, the whole refusal, a catalog message with `{length}` and `{limit}` to fill in)."""
    line = " ".join(text.split())
    if not line:
        raise UserError(missing, field=field)
    if len(line) > limit:
        raise UserError(too_long.format(length=len(line), limit=limit), field=field)
    return line
