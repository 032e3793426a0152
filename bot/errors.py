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
