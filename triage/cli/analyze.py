"""``triage analyze``: run the triage engine on files, directories or JSONL records, offline.

Imports only the engine (no Scrapy, no database) so it starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

HTML_SUFFIXES = (".html", ".htm")


def _iter_paths(paths: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], Path | None, str | None]]:
    """Yield (record, path, error) for each file; directories give their .html/.htm files sorted."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in HTML_SUFFIXES)
            for f in files:
                yield {"url": str(f)}, f, None
        elif p.is_file():
            yield {"url": str(p)}, p, None
        else:
            yield {"url": str(p)}, None, f"no such file or directory: {p}"


def _iter_jsonl(stream: TextIO, source: str) -> Iterator[tuple[dict[str, Any], str | None]]:
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"url": f"{source}:{lineno}"}, f"invalid JSON on line {lineno}: {exc.msg}"
            continue
        if not isinstance(rec, dict):
            yield {"url": f"{source}:{lineno}"}, f"line {lineno} is not a JSON object"
            continue
        if not isinstance(rec.get("html"), str) and not isinstance(rec.get("text"), str):
            rec.setdefault("url", f"{source}:{lineno}")
            yield rec, f"line {lineno} has neither 'html' nor 'text'"
            continue
        yield rec, None


def result_record(rec: dict[str, Any], analysis: Any) -> dict[str, Any]:
    """The output object: id (when given), url, then the analysis fields."""
    out: dict[str, Any] = {}
    if "id" in rec:
        out["id"] = rec["id"]
    out.update(analysis.to_dict())
    out["url"] = rec.get("url", "")
    return out


def error_record(rec: dict[str, Any], error: str) -> dict[str, Any]:
    return {"id": rec.get("id"), "url": rec.get("url", ""), "error": error}


_emitted = {"ok": 0, "failed": 0}


def _emit(obj: dict[str, Any]) -> None:
    _emitted["failed" if "error" in obj else "ok"] += 1
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--jsonl", "jsonl", type=click.Path(allow_dash=True),
              help="Read records {id?, url, html|text} from FILE ('-' for stdin).")
@click.option("--text", "with_text", is_flag=True, help="Include the analysed text in the output.")
def analyze(paths: tuple[str, ...], jsonl: str | None, with_text: bool) -> None:
    """Analyse HTML files, directories of .html/.htm files, or JSONL records.

    Prints one JSON object per input, in input order. An input that cannot be analysed gives
    {"id", "url", "error"} and the run goes on.
    """
    if not paths and not jsonl:
        raise click.UsageError("give HTML files or directories, or --jsonl FILE (use '-' for stdin)")
    from pipelines.analyze import analyze as run
    from pipelines.brand_names import check_dictionary

    try:
        check_dictionary()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None

    def one(rec: dict[str, Any], **kwargs: Any) -> None:
        try:
            a = run(url=rec.get("url", ""), **kwargs)
        except Exception as exc:  # noqa: BLE001 - one bad page never stops the run
            _emit(error_record(rec, f"{type(exc).__name__}: {exc}"))
            return
        out = result_record(rec, a)
        if with_text:
            out["text"] = a.text
        _emit(out)

    for rec, path, err in _iter_paths(paths):
        if err or path is None:
            _emit(error_record(rec, err or "unreadable"))
            continue
        try:
            body = path.read_bytes()
        except OSError as exc:
            _emit(error_record(rec, f"cannot read {path}: {exc.strerror}"))
            continue
        one(rec, html=body)

    if jsonl:
        try:
            stream = sys.stdin if jsonl == "-" else open(jsonl, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise click.ClickException(f"cannot read --jsonl {jsonl}: {exc.strerror}") from None
        with stream:
            for rec, err in _iter_jsonl(stream, "stdin" if jsonl == "-" else jsonl):
                if err:
                    _emit(error_record(rec, err))
                elif isinstance(rec.get("html"), str):
                    one(rec, html=rec["html"])
                else:
                    one(rec, text=rec["text"])
    if _emitted["failed"] and not _emitted["ok"]:  # every input failed: say so, exit 1
        sys.stdout.flush()
        click.echo(f"Error: none of the {_emitted['failed']} inputs could be analysed "
                   "(see their \"error\" fields)", err=True)
        sys.exit(1)
