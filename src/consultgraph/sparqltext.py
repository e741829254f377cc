"""What a query is, read lexically before it runs: its form, and whether it is allowed.

Comments, strings and IRIs are blanked out first so that a keyword inside a literal or an
IRI ("SERVICE" in a label) is not mistaken for the real thing.
"""

from __future__ import annotations

import re

_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.S,
)
_WORD = re.compile(r"(?<![\w:?$\-])([A-Za-z]+)\b")
FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def blank(query: str) -> str:
    """The query with comments, string literals and IRIs replaced by spaces."""
    return _LEXEMES.sub(lambda m: " " * len(m.group(0)), query)


def keywords(query: str) -> list[str]:
    return [m.group(1).upper() for m in _WORD.finditer(blank(query))]


def query_form(query: str) -> str | None:
    """SELECT / ASK / CONSTRUCT / DESCRIBE, an update keyword, or None when unreadable."""
    for word in keywords(query):
        if word in FORMS or word in UPDATES:
            return word
    return None


def uses(query: str, keyword: str) -> bool:
    return keyword.upper() in keywords(query)


def has_dataset_clause(query: str) -> bool:
    """FROM / FROM NAMED in the query (then the union default graph must not override it)."""
    return uses(query, "FROM")


def nesting_depth(query: str) -> int:
    """Deepest nesting of { ( [ outside strings, IRIs and comments.

    Oxigraph's parser recurses per level: a query nested thousands deep overflows the
    worker's stack, so such queries are refused before they run.
    """
    depth = deepest = 0
    for ch in blank(query):
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    return deepest
