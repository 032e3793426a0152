"""Errors a member caused and can fix: the message is plain Norwegian text that says what and how."""


class UserError(Exception):
    """Bad input: nothing was changed; the message says what was wrong and how to write it.

    `field` names the input it concerns, so a modal can show the message beside that input.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(UserError):
    """The member may not do this: nothing was changed; the message says who may."""


def one_line(text: str, limit: int, *, missing: str, name: str, field: str | None = None) -> str:
    """Typed text as one line: refused when empty (`missing` says how to write it) or over `limit`."""
    line = " ".join(text.split())
    if not line:
        raise UserError(missing, field=field)
    if len(line) > limit:
        raise UserError(f"{name} er for lang ({len(line)} tegn; høyst {limit}).", field=field)
    return line
