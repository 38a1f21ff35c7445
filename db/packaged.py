"""The Alembic scripts as a directory, also when the package runs from a zipped egg.

Scrapyd runs a deployed project from its egg, a zip file on ``sys.path``: modules and package
data load from it (``importlib.resources``), but Alembic reads its ``script_location`` from
the file system. From an egg the scripts are copied out once per process to a temporary
directory, removed at exit.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def migrations_dir() -> Path:
    here = Path(__file__).with_name("migrations")
    if (here / "env.py").is_file():
        return here
    return _extracted()


@lru_cache(maxsize=1)
def _extracted() -> Path:
    target = Path(tempfile.mkdtemp(prefix="triage-migrations-"))
    atexit.register(shutil.rmtree, target, True)
    _copy(resources.files("db") / "migrations", target)
    return target


def _copy(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())
