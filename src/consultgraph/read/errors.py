"""Why a page cannot be published, in words an operator understands, with where it happened."""

from __future__ import annotations


class PageError(Exception):
    """A page that is read but cannot be published: quarantined with this reason."""

    def __init__(self, reason: str, line: int | None = None, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.reason}"
