"""What every store backend shares: the payload it is given and the dump formats."""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox


@dataclass(slots=True, frozen=True)
class GraphPayload:
    """One consultation's named graph, serialised as N-Triples by the worker that made it.

    `ntriples` replaces the graph; `shared` maps shared graphs (vocabulary, physicians, runs)
    to N-Triples that are added to them (see rdf/partition.py).
    """

    graph: str
    ntriples: str
    triples: int
    shared: dict[str, str] = field(default_factory=dict)


def merged_shared(payloads: list[GraphPayload], written: dict[str, set[str]] | None = None
                  ) -> dict[str, str]:
    """The shared statements of a batch, each line once per shared graph.

    `written`: {shared graph: lines this store object already wrote to it}, left out here
    and added to as lines are returned. Every batch repeats the labels of the concepts,
    specialties and physicians its consultations mention: at 100k pages most shared lines
    would otherwise be written again and again.
    """
    lines: dict[str, dict[str, None]] = {}
    for p in payloads:
        for graph, nt in p.shared.items():
            bucket = lines.setdefault(graph, {})
            for line in nt.splitlines():
                if line.strip():
                    bucket[line] = None
    out = {}
    for g, ls in lines.items():
        done = written.setdefault(g, set()) if written is not None else set()
        new = [line for line in ls if line not in done]
        done.update(new)
        if new:
            out[g] = "\n".join(new) + "\n"
    return out


@dataclass(slots=True, frozen=True)
class DumpFormat:
    name: str
    suffix: str
    media_type: str
    oxigraph: ox.RdfFormat
    quads: bool


DUMP_FORMATS: dict[str, DumpFormat] = {
    "turtle": DumpFormat("turtle", ".ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    "ntriples": DumpFormat("ntriples", ".nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    "nquads": DumpFormat("nquads", ".nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
    "trig": DumpFormat("trig", ".trig", "application/trig", ox.RdfFormat.TRIG, True),
    "jsonld": DumpFormat("jsonld", ".jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, False),
}


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A file to write `path` through: written beside it, renamed over it only when complete.

    A reader (or the web server) sees the old file or the new one, never a part; gzip when
    the name ends in .gz, with no file name and mtime 0 in the header (same data, same bytes).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            if path.suffix == ".gz":
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                   compresslevel=6) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield raw
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
