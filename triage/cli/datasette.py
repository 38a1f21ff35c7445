"""``triage datasette [--db D]``: Datasette on a triage SQLite file, with the stored queries of
``db/datasette.yaml`` whatever the file is called.

Datasette names a database after its file (``triage-demo.db`` is ``/triage-demo``), and the
shipped configuration declares its queries for ``triage``; this command re-keys them to the
database given and opens the file immutable (read-only: an archived copy works too).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from triage.cli.common import DB_OPTION, fail, open_db

CONFIG = Path(__file__).resolve().parent.parent.parent / "db" / "datasette.yaml"


def datasette_config(path: str | Path) -> dict[str, Any]:
    """The shipped configuration with its queries under the database name of ``path``."""
    import yaml

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    databases = config.get("databases") or {}
    queries = databases.pop("triage", {})
    databases[Path(path).stem] = queries
    config["databases"] = databases
    return config


def sqlite_path(db: str) -> str:
    from db.engine import sqlite_file

    path = sqlite_file(db)
    if path is None:
        fail(f"Datasette reads SQLite files: --db {db} is not one (export from PostgreSQL "
             "with `triage export`, or pass a .db file)")
    return path


@click.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--print-config", is_flag=True, help="Print the configuration and exit.")
def datasette(db: str, host: str, port: int, print_config: bool) -> None:
    """Serve --db in Datasette (read-only) with the stored analyst queries."""
    path = sqlite_path(db)
    open_db(db, read_only=True).dispose()  # one line if it is missing or not a triage database
    try:
        import datasette as _  # noqa: F401
        import yaml
    except ImportError:
        fail('Datasette is not installed: pip install "datasette>=1.0a14"')
    config = datasette_config(path)
    if print_config:
        click.echo(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
        return
    handle, cfg = tempfile.mkstemp(prefix="triage-datasette-", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        yaml.safe_dump(config, out, allow_unicode=True, sort_keys=False)
    name = Path(path).stem
    click.echo(f"Datasette on {path} at http://{host}:{port}/{name} (Ctrl-C to stop)")
    os.execv(sys.executable, [sys.executable, "-m", "datasette", "serve", "-i", path,
                              "-c", cfg, "--host", host, "--port", str(port)])
