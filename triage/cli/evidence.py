"""``triage evidence``: a takedown packet for numbers, domains, operations or URLs
(:mod:`triage.evidence`)."""

from __future__ import annotations

import click

from triage.cli.common import DB_OPTION, fail, open_db


@click.command()
@click.option("--number", "numbers", multiple=True, metavar="N",
              help="Spam pages advertising this number (repeatable).")
@click.option("--domain", "domains", multiple=True, metavar="D",
              help="Spam or cloaked pages of this domain and its subdomains (repeatable).")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Pages of this operation (repeatable).")
@click.option("--url", "urls", multiple=True, metavar="U", help="This page (repeatable).")
@DB_OPTION
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Directory to write the packet into (created).")
@click.option("--screenshots/--no-screenshots", default=True, show_default=True,
              help="Render the archived pages with headless Chromium where it is installed.")
def evidence(numbers: tuple[str, ...], domains: tuple[str, ...], operations: tuple[str, ...],
             urls: tuple[str, ...], db: str, out: str, screenshots: bool) -> None:
    """Write an evidence packet: manifest.json, evidence.warc.gz, report.txt/html, SHA256SUMS."""
    from triage.evidence import Subject, build_packet

    subject = Subject(list(numbers), list(domains), list(operations), list(urls))
    if subject.empty():
        fail("nothing to gather: give --number, --domain, --operation or --url")
    engine = open_db(db)
    try:
        manifest = build_packet(engine, subject, out, screenshots=screenshots)
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the packet to {out}: {exc.strerror or exc}")
    finally:
        engine.dispose()
    records = sum(len(p["warc"]) for p in manifest["pages"])
    click.echo(f"{len(manifest['pages'])} pages, {records} WARC records written to {out} "
               f"(manifest.json, evidence.warc.gz, report.txt, report.html, SHA256SUMS)")
    for note in manifest["notes"]:
        click.echo(f"note: {note}")
