"""Readers: bytes of a source file -> Consultation records (one reader per source format).

`read_path` is the single entry point: it detects the format from the file name, decodes
the bytes and yields `(record_name, Consultation | PageError)` so that a bad record never
hides the good ones next to it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from consultgraph.model import Consultation
from consultgraph.read.errors import PageError
from consultgraph.read.jsonl import record_to_text
from consultgraph.read.text_page import read_text

__all__ = ["PageError", "read_path", "read_bytes", "iter_sources", "decode", "page_id"]

PAGE_SUFFIXES = {".txt", ".jsonl", ".html", ".htm"}


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM, also UTF-16 with BOM), CRLF/CR -> LF.

    Pages that are not UTF-8 are read as cp1252 (the usual wrong encoding of scraped pages),
    never refused for their encoding alone.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NUL and other C0 controls (but tab and newline) are not text: a space keeps offsets.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)


def page_id(name: str) -> str:
    """A stable, IRI-safe id from a file or record name ("10136.txt" -> "10136")."""
    stem = Path(name).stem if "." in name else name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")
    return slug or hashlib.sha256(name.encode()).hexdigest()[:16]


def checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_bytes(
    data: bytes, name: str, source: str | None = None
) -> Iterator[tuple[str, Consultation | PageError]]:
    """Read one source file's bytes: a .txt page, or a .jsonl file of records."""
    source = source or name
    if name.endswith(".jsonl"):
        yield from _read_jsonl(data, name, source)
        return
    try:
        text = decode(data)
        if name.endswith((".html", ".htm")):
            from consultgraph.read.html_page import html_to_text

            text = html_to_text(text)
        yield name, read_text(text, id=page_id(name), source=source, checksum=checksum(data))
    except PageError as err:
        yield name, err


def _read_jsonl(data: bytes, name: str, source: str) -> Iterator[tuple[str, Consultation | PageError]]:
    for no, raw in enumerate(decode(data).split("\n"), start=1):
        if not raw.strip():
            continue
        label = f"{name}:{no}"
        try:
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise PageError(f"not valid JSON ({exc.msg} at column {exc.colno})", no) from exc
            if not isinstance(rec, dict):
                raise PageError("a record must be a JSON object", no)
            try:
                text, rid = record_to_text(rec)
            except PageError as err:
                raise PageError(err.reason, no, err.field) from err
            try:
                c = read_text(
                    text, id=page_id(rid), source=f"{source}#L{no}",
                    checksum=checksum(raw.encode("utf-8")),
                )
            except PageError as err:  # lines of the rendered page mean nothing to the user
                raise PageError(err.reason, no, err.field) from err
            c.source_format = "jsonl"
            yield label, c
        except PageError as err:
            if err.line is None:
                err.line = no
            yield label, err


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and directories into page files, sorted for a repeatable order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES:
                    yield f
        elif p.exists():
            yield p
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")


def read_path(path: str | Path) -> Iterator[tuple[str, Consultation | PageError]]:
    """Read one file from disk (see `read_bytes`)."""
    path = Path(path)
    yield from read_bytes(path.read_bytes(), path.name, source=str(path))
