"""``triage serve``: the review UI in a browser.

Loopback by default. On any other address anyone on the network could reach the database, so a
token is then required on every request: ``--token`` or a generated one, printed in the address
to open.
"""

from __future__ import annotations

import getpass
import socket

import click

from db.engine import describe, to_url
from triage.cli.common import DB_OPTION, open_db
from triage.web.security import is_loopback, new_token


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; pass another --port "
                "or --host") from None


@click.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback requires a token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="TRIAGE_TOKEN", default=None,
              help="Access token (required off loopback; generated and printed when omitted).")
@click.option("--reviewer", default=None,
              help="Reviewer name pre-filled in label forms (default: your login name).")
@click.option("--read-only", "read_only", is_flag=True,
              help="Open the database read-only (an archived copy); labelling is refused.")
def serve(db: str, host: str, port: int, token: str | None, reviewer: str | None,
          read_only: bool) -> None:
    """Serve the review queue, page, number and cluster views, with label buttons."""
    from triage.web.app import create_app  # starlette and jinja2 only when serving

    engine = open_db(db, read_only=read_only)
    loopback = is_loopback(host)
    if not loopback and not token:
        token = new_token()
    _check_port(host, port)
    try:
        reviewer = reviewer or getpass.getuser()
    except (KeyError, OSError):
        reviewer = ""
    app = create_app(engine, token=token, reviewer=reviewer, read_only=read_only,
                     allowed_hosts=(None if not loopback else
                                    ("localhost", "127.0.0.1", "::1", host)))
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"Reviewing {describe(to_url(db))} at {address} (Ctrl-C to stop)")
    import uvicorn

    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    server_header=False)
    finally:
        engine.dispose()
