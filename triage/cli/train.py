"""``triage train`` and ``triage reanalyze``: learn from analysts' labels (issue 10).

``triage train`` refits the verdict model on the bundled labelled data plus the database's
labels and makes it the database's active model: every later analysis writing that database
(crawls, Redis workers, Scrapyd jobs) uses it. ``triage reanalyze`` scores the stored pages
again with it. scikit-learn is needed to fit only (``hotline-triage[train]``).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import click

from pipelines.types import VERDICTS
from triage.cli.common import DB_OPTION, fail, open_db


def _need_sklearn() -> None:
    if importlib.util.find_spec("sklearn") is None:
        fail("fitting needs scikit-learn, which is not installed: "
             "pip install 'hotline-triage[train]'", code=1)


def _from_file(path: Path, out: Path | None, seeds: tuple[int, ...], evaluate: bool) -> None:
    """What scripts/train_verdict.py does: fit on a JSONL file, write the shipped artefact."""
    from investigate.train import TrainingError, fit_rows
    from pipelines.model_train import CHECKOUT, read_rows, write_artefact

    if not path.exists():
        fail(f"--from-file {path}: no such file")
    try:
        trained = fit_rows(read_rows(path), seeds, evaluate)
    except TrainingError as exc:
        fail(str(exc), code=1)
    trained.report["data"] = path.name
    written = write_artefact(out or CHECKOUT / "pipelines" / "data", trained.artefact,
                             trained.report)
    for line in trained.lines:
        click.echo(line)
    click.echo(f"wrote {written} and verdict_model_report.json")


@click.command()
@DB_OPTION
@click.option("--reset", is_flag=True, help="Go back to the shipped model for this database.")
@click.option("--data", "data_file", type=click.Path(path_type=Path), default=None,
              help="Bundled labelled data (JSONL: text or html, url, label, op); default "
              "../shared/data/dev.jsonl beside the checkout, skipped when absent.")
@click.option("--no-bundled", is_flag=True, help="Fit on the database's labels only.")
@click.option("--from-file", "from_file", type=click.Path(path_type=Path), default=None,
              help="Fit on this JSONL file only and write the shipped artefact "
              "(pipelines/data/verdict_model.json, or --out), as scripts/train_verdict.py.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="With --from-file: the directory to write the artefact to.")
@click.option("--seeds", default="0,1,2", show_default=True,
              help="Seeds of the repeated grouped cross-validation, comma-separated.")
@click.option("--no-cv", is_flag=True, help="Fit only, without the grouped report.")
def train(db: str, reset: bool, data_file: Path | None, no_bundled: bool,
          from_file: Path | None, out: Path | None, seeds: str, no_cv: bool) -> None:
    """Refit the verdict model on the bundled data plus this database's labels (page, cluster
    and domain labels) and make it the active model of the database."""
    try:
        seed_list = tuple(int(s) for s in seeds.split(",") if s.strip())
    except ValueError:
        raise click.BadParameter("comma-separated integers, e.g. 0,1,2",
                                 param_hint="--seeds") from None
    if reset:
        from db.verdict_models import reset as reset_model

        engine = open_db(db)
        was = reset_model(engine)
        click.echo(f"{db}: back to the shipped model"
                   + (f" (version {was} kept, inactive)" if was is not None else
                      " (it was already in use)")
                   + f"; run `triage reanalyze --db {db}` to re-score stored pages")
        return
    _need_sklearn()
    if from_file is not None:
        _from_file(from_file, out, seed_list, not no_cv)
        return
    from investigate.train import TrainingError
    from investigate.train import train as run
    from pipelines.model_train import default_data

    engine = open_db(db)
    try:
        trained = run(engine, None if no_bundled else data_file or default_data(), seed_list,
                      evaluate=not no_cv)
    except TrainingError as exc:
        fail(f"{db}: {exc}", code=1)
    for line in trained.lines:
        click.echo(line)
    click.echo(f"stored as model version {trained.version} in {db}, now active for every "
               f"analysis writing it; run `triage reanalyze --db {db}` to re-score stored pages")


@click.command()
@DB_OPTION
@click.option("--verdict", type=click.Choice(VERDICTS), default=None,
              help="Only pages with this verdict now.")
@click.option("--since", default=None, metavar="TIME|DURATION",
              help="Only pages fetched at or after this time (2026-11-30) or this long ago (7d).")
def reanalyze(db: str, verdict: str | None, since: str | None) -> None:
    """Score the stored pages again with the database's active model (verdict, score, reasons;
    numbers and padding unchanged), then redo clusters, operations and number reputation."""
    from investigate.reanalyze import reanalyze as run
    from triage.recrawl import parse_since

    try:
        when = parse_since(since) if since is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    engine = open_db(db)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= 2.0:
            last[0] = now
            click.echo(f"reanalysing: {done}/{total} pages", err=True)
            sys.stderr.flush()

    summary = run(engine, verdict=verdict, since=when, progress=progress)
    click.echo(summary.line())
    click.echo("clusters, operations and number reputation updated")
