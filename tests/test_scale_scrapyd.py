"""Scrapyd: a real Scrapyd started by the test, the project deployed with ``scrapyd-deploy`` from
``scrapy.cfg``, a ``hotlines`` job scheduled with ``schedule.json`` writing the rows the CLI
writes; and the egg itself: settings entry point, migrations and data usable from the zip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, free_port
from tests.farmsite import FarmServer
from tests.scaleutil import crawl_args, farm_site, stored, triage

__all__ = ["farm_site"]  # fixture
pytest.importorskip("scrapyd")
pytest.importorskip("scrapyd_client")
PROJECT = "hotline_triage"


def clean_env() -> dict[str, str]:
    """No PYTHONPATH to the checkout: deployed jobs import the project from the egg."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    return env


def copy_project(target: Path, scrapyd_url: str) -> Path:
    """The project as a user has it, with its scrapy.cfg pointing at the test's Scrapyd."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "*.db", "*.db-*")
    for name in ("crawler", "db", "investigate", "pipelines", "triage"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg"):
        shutil.copy(ROOT / name, target / name)
    cfg = (target / "scrapy.cfg").read_text()
    (target / "scrapy.cfg").write_text(cfg.replace("http://127.0.0.1:6800/", scrapyd_url))
    return target


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + endpoint, data=body, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\n"
        f"logs_dir = {home}/logs\nitems_dir =\ndbs_dir = {home}/dbs\njobs_to_keep = 5\n"
        "max_proc = 2\npoll_interval = 0.2\n")
    proc = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=clean_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Scrapyd did not start")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_finished(base: str, job: str, logs: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        finished = api(base, f"listjobs.json?project={PROJECT}")["finished"]
        if isinstance(finished, list) and any(j["id"] == job for j in finished):
            return
        time.sleep(0.3)
    log = next(iter(logs.rglob(f"{job}.log")), None)
    pytest.fail("job did not finish: " + (log.read_text()[-3000:] if log else "no log"))


def test_deploy_schedule_and_same_rows_as_the_cli(scrapyd: str, farm_site: FarmServer,
                                                  tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", scrapyd)
    deploy = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy"], cwd=project,
                            env=clean_env(), capture_output=True, text=True, timeout=120, check=False)
    assert deploy.returncode == 0, deploy.stderr[-2000:]
    spiders = api(scrapyd, f"listspiders.json?project={PROJECT}")["spiders"]
    assert isinstance(spiders, list) and "hotlines" in spiders

    job_db = tmp_path / "scrapyd.db"
    job = api(scrapyd, "schedule.json", [
        ("project", PROJECT), ("spider", "hotlines"), ("start_urls", farm_site.url()),
        ("db", f"sqlite:///{job_db}"), ("depth", str(farm_site.depth)), ("max_pages", "0"),
        ("follow_external", "false"), ("allow_private", f"127.0.0.1:{farm_site.port}"),
        ("job_dir", str(tmp_path / "job")),
        ("setting", "TRIAGE_ANALYSIS_MODE=inline"), ("setting", "TRIAGE_CLOAKING=off"),
    ])
    assert job["status"] == "ok", job
    wait_finished(scrapyd, str(job["jobid"]), tmp_path / "scrapyd" / "logs")
    log = next((tmp_path / "scrapyd" / "logs").rglob(f"{job['jobid']}.log")).read_text()
    assert "'finish_reason': 'finished'" in log
    assert (tmp_path / "job" / "frontier.sqlite").is_file()  # job_dir: a crash-safe job

    cli_db = tmp_path / "cli.db"
    assert triage(*crawl_args(farm_site, str(cli_db))).returncode == 0
    assert stored(str(job_db)) == stored(str(cli_db))
    assert len(stored(str(job_db))) == 60


def test_the_egg_runs_without_the_checkout(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "http://127.0.0.1:9/")
    egg = tmp_path / "project.egg"
    build = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "--build-egg",
                            str(egg)], cwd=project, env=clean_env(), capture_output=True,
                           text=True, timeout=120, check=False)
    assert build.returncode == 0, build.stderr[-2000:]
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import importlib.metadata as md, db.engine, crawler.settings\n"
        "from pipelines.analyze import analyze\n"
        "assert db.engine.__file__.startswith(sys.argv[1]), db.engine.__file__\n"
        "db.engine.make_engine('sqlite:///' + sys.argv[2]).dispose()\n"
        "page = '<p>澜拓净水器全国统一售后服务热线 400-601-5823 400-601-5823</p>'.encode()\n"
        "print(analyze(page, url='http://x.test/').numbers[0].e164)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe, str(egg), str(tmp_path / "e.db")],
                         cwd=tmp_path, env=clean_env(), capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "+864006015823"
    import zipfile

    with zipfile.ZipFile(egg) as zf:
        names = set(zf.namelist())
        entry_points = zf.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points and "settings = crawler.settings" in entry_points
    assert "db/migrations/versions/0001_initial.py" in names
    assert any(n.startswith("pipelines/data/") for n in names)
