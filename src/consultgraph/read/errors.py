"""Why a page cannot be published, in words an operator understands, with where it happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consultgraph.model import Consultation


class PageError(Exception):
    """A page that is read but cannot be published: quarantined with this reason."""

    def __init__(self, reason: str, line: int | None = None, field: str | None = None,
                 partial: Consultation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field
        #: What could be read of a page that cannot be published (a page cut off inside
        #: the question still has a question to extract findings from); never stored.
        self.partial = partial

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.reason}"
