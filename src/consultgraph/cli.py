"""The `consultgraph` command: a thin layer over the functions the tests call."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from consultgraph import __version__
from consultgraph.config import RemoteSettings, remote_settings, store_dir
from consultgraph.model import consultation_to_json
from consultgraph.store.remote import RemoteStoreError

err = Console(stderr=True)
out = Console()

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="CONSULTGRAPH_STORE",
    show_envvar=True,
    help="Store directory (default: ./var/store).",
)

_REMOTE = (
    ("--sparql-url", "CONSULTGRAPH_SPARQL_URL",
     "Remote SPARQL 1.1 query endpoint: keep the graphs there, not in the embedded store."),
    ("--sparql-update-url", "CONSULTGRAPH_SPARQL_UPDATE_URL",
     "Its SPARQL 1.1 Update endpoint (default: the query endpoint)."),
    ("--gsp-url", "CONSULTGRAPH_GSP_URL",
     "Its Graph Store Protocol endpoint (graphs are then replaced by PUT)."),
    ("--sparql-user", "CONSULTGRAPH_SPARQL_USER", "User name for the remote store."),
    ("--sparql-password", "CONSULTGRAPH_SPARQL_PASSWORD", "Password for the remote store."),
)


def remote_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--sparql-url & co on every command that takes --store; passed on as `remote`."""

    @functools.wraps(command)
    def wrapper(*args: Any, sparql_url: str | None, sparql_update_url: str | None,
                gsp_url: str | None, sparql_user: str | None, sparql_password: str | None,
                **kwargs: Any) -> Any:
        remote = remote_settings(sparql_url, sparql_update_url, gsp_url, sparql_user,
                                 sparql_password)
        return command(*args, remote=remote, **kwargs)

    for flag, env, text in reversed(_REMOTE):
        wrapper = click.option(flag, envvar=env, show_envvar=True, default=None, help=text)(wrapper)
    return wrapper


class _Main(click.Group):
    """Remote store failures end in one line naming the URL and status, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RemoteStoreError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            sys.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="consultgraph")
def main() -> None:
    """Medical Q&A consultations as validated, linked open data."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@click.option("--workers", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--no-dumps", is_flag=True, help="Do not rewrite the dumps after ingest.")
@click.option("--strict", is_flag=True, help="Exit 2 when any record is quarantined.")
@click.option("--validator", type=click.Choice(["compiled", "pyshacl"]), default="compiled",
              envvar="CONSULTGRAPH_VALIDATOR", show_envvar=True, show_default=True,
              help="compiled: the shapes as one Oxigraph query, pyshacl deciding any batch it "
                   "flags; pyshacl: pyshacl on every batch (slower).")
@remote_options
def ingest(paths: tuple[Path, ...], store_path: Path | None, workers: int | None,
           no_dumps: bool, strict: bool, validator: str, remote: RemoteSettings | None) -> None:
    """Read, extract, map, validate and store pages (files or directories)."""
    from consultgraph.pipeline import ingest as run_ingest
    from consultgraph.store import open_store

    store = open_store(store_path, remote=remote)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("ingest", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = run_ingest(paths, store, workers=workers, dumps=not no_dumps, on_progress=tick,
                            validator=validator)
    table = Table(title=f"ingest run {report.run.run_id}", show_header=False)
    table.add_row("files", str(report.files))
    table.add_row("records read", str(report.read))
    table.add_row("published", str(report.published))
    table.add_row("quarantined", str(len(report.quarantined)))
    table.add_row("findings", str(report.findings))
    table.add_row("store", repr(store) if remote else str(store.directory))
    err.print(table)
    if report.quarantined:
        # One plain line per record (grep-able, never wrapped): file:line: reason.
        for row in report.quarantined:
            where = f"{row.name}:{row.line}" if row.line else row.name
            sys.stderr.write(f"quarantined {where}: {row.reason}\n")
        sys.stderr.flush()
        err.print(f"quarantine report: {store.directory / 'quarantine' / 'quarantine-latest.tsv'}")
    assert report.read == report.published + len(report.quarantined)
    err.print(f"count in = published + quarantined: {report.read} = {report.published} + "
              f"{len(report.quarantined)}")
    if report.unexpected:
        err.print(f"[red]{report.unexpected} unexpected error(s): see the report[/red]")
        sys.exit(1)
    if strict and report.quarantined:
        sys.exit(2)


@main.command()
@click.argument("page", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, required=True, help="JSON output (the contract).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write one <id>.json per page into this directory.")
def extract(page: Path, as_json: bool, out_dir: Path | None) -> None:
    """Print the extraction of a page (or each page of a directory) as JSON.

    A page that cannot be published but has a question (cut off before its asker line) is
    still extracted, with "publishable": false and the reason. Exit status 3 when some
    record gave nothing at all (reasons on stderr).
    """
    from consultgraph.pipeline import annotate
    from consultgraph.read import PageError, iter_sources, read_path

    failed = 0
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    for f in iter_sources([page]):
        for _name, rec in read_path(f):
            reason = None
            if isinstance(rec, PageError):
                err.print(f"{f}: {rec}", markup=False, highlight=False)
                if rec.partial is None:
                    failed += 1
                    continue
                reason, rec = str(rec), rec.partial
            doc = consultation_to_json(annotate(rec))
            doc["publishable"] = reason is None
            if reason:
                doc["quarantine_reason"] = reason
            if out_dir:
                (out_dir / f"{rec.id}.json").write_text(
                    json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            else:
                sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    if failed:
        sys.exit(3)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@store_option
@remote_options
def validate(paths: tuple[Path, ...], store_path: Path | None, remote: RemoteSettings | None) -> None:
    """Validate pages (without storing them), or, with no PATHS, every graph in the store."""
    from consultgraph.validation_run import validate_pages, validate_store

    if paths:
        results = validate_pages(paths)
    else:
        results = validate_store(store_dir(store_path), remote)
    bad = [r for r in results if not r[1]]
    for name, ok, msgs in results:
        if not ok:
            err.print(f"[red]{name}[/red]: {'; '.join(msgs)}", highlight=False)
    err.print(f"{len(results) - len(bad)} conform, {len(bad)} do not")
    sys.exit(1 if bad else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig",
                                                    "jsonld"]), default="turtle")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file; gzip-compressed when it ends in .gz.")
@store_option
@remote_options
def export(fmt: str, out_file: Path, store_path: Path | None, remote: RemoteSettings | None) -> None:
    """Write a dump of the store with Oxigraph's own serializer."""
    from consultgraph.store import open_store

    store = open_store(store_path, read_only=True, remote=remote)
    path = store.dump(out_file, fmt)
    err.print(f"wrote {path} ({path.stat().st_size} bytes)")


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@remote_options
def stats(store_path: Path | None, as_json: bool, remote: RemoteSettings | None) -> None:
    """Counts in the store: consultations, triples, findings per kind, last run."""
    from consultgraph.stats import store_stats
    from consultgraph.store import open_store

    data = store_stats(open_store(store_path, read_only=True, remote=remote))
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    table = Table(show_header=False)
    for k, v in data.items():
        table.add_row(k, json.dumps(v) if isinstance(v, dict | list) else str(v))
    out.print(table)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--threads", type=int, default=8, show_default=True)
@remote_options
def serve(store_path: Path | None, host: str, port: int, threads: int, remote: RemoteSettings | None) -> None:
    """Serve the store over HTTP (SPARQL endpoint, resource pages, dumps) with waitress."""
    from waitress import serve as waitress_serve

    from consultgraph.web import create_app

    app = create_app(store_dir(store_path), remote=remote)
    where = f"{remote.redacted()} (state in {store_dir(store_path)})" if remote else store_dir(store_path)
    err.print(f"serving {where} on http://{host}:{port}/")
    waitress_serve(app, host=host, port=port, threads=threads, ident="consultgraph")


if __name__ == "__main__":
    main()
