"""Read-only access to evidence copies: ``report``, ``export``, ``review list`` and ``review
history`` open a database on a read-only file system (a tmpfs remounted read-only in a private
mount namespace, ``unshare -m``: as root a chmod would not stop anything), and a read-only engine
writes nothing, even where it could."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from db.engine import make_engine
from tests.conftest import ROOT, child_env
from tests.review_data import LANTO, review_db_fixture  # noqa: F401

COMMANDS = [["report"], ["export", "blocklist", "--format", "json"], ["export", "pages"],
            ["review", "list"], ["review", "history", LANTO[0]]]


def _unshare_works() -> str | None:
    if shutil.which("unshare") is None:
        return "no unshare"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt && "
                            "mount -o remount,ro /mnt"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"cannot mount here: {probe.stderr.strip()}"


def test_commands_that_only_read_open_a_database_on_a_read_only_mount(
        review_db: Path, tmp_path: Path) -> None:
    reason = _unshare_works()
    if reason:
        pytest.skip(reason)
    mnt = tmp_path / "ro"
    mnt.mkdir()
    runs = "\n".join(
        f"{sys.executable} -m triage.cli {' '.join(map(repr, cmd))} --db {mnt}/copy.db "
        f"> {tmp_path}/out{i}.txt 2> {tmp_path}/err{i}.txt; echo $? >> {tmp_path}/codes.txt"
        for i, cmd in enumerate(COMMANDS))
    script = (f"set -e; mount -t tmpfs tmpfs {mnt}; cp {review_db} {mnt}/copy.db; "
              f"mount -o remount,ro {mnt}; touch {mnt}/x 2>/dev/null && exit 9; set +e\n{runs}\n"
              f"ls {mnt} > {tmp_path}/files.txt")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    codes = (tmp_path / "codes.txt").read_text().split()
    errors = [(tmp_path / f"err{i}.txt").read_text() for i in range(len(COMMANDS))]
    assert codes == ["0"] * len(COMMANDS), errors
    assert "Verdicts" in (tmp_path / "out0.txt").read_text()
    assert LANTO[1] in (tmp_path / "out1.txt").read_text()
    assert (tmp_path / "files.txt").read_text().split() == ["copy.db"]


def test_a_read_only_engine_writes_nothing(review_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(review_db, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    engine = make_engine(str(copy), create=False, read_only=True)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pages")).scalar_one() > 0
            with pytest.raises(OperationalError, match="readonly"):
                conn.execute(text("DELETE FROM labels"))
    finally:
        engine.dispose()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
