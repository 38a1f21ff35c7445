"""The ``triage`` command line.

Subcommands live in their own modules and are imported only when invoked, so that
``triage analyze`` starts fast and never imports Scrapy.
"""

from __future__ import annotations

import importlib
import sys

import click

# name -> "module:attribute"; each module defines one click command.
SUBCOMMANDS: dict[str, str] = {
    "analyze": "triage.cli.analyze:analyze",
    "crawl": "triage.cli.crawl:crawl",
    "discover": "triage.cli.discover:discover",
    "pivot": "triage.cli.pivot:pivot",
    "export": "triage.cli.export:export",
    "report": "triage.cli.report:report",
    "demo": "triage.cli.demo:demo",
    "enqueue": "triage.cli.enqueue:enqueue",
    "worker": "triage.cli.worker:worker",
    "review": "triage.cli.review:review",
    "serve": "triage.cli.serve:serve",
    "cluster": "triage.cli.investigate:cluster",
    "reputation": "triage.cli.investigate:reputation",
    "import-official": "triage.cli.seeds:import_official",
    "import-fraud": "triage.cli.seeds:import_fraud",
    "evidence": "triage.cli.evidence:evidence",
    "datasette": "triage.cli.datasette:datasette",
    "train": "triage.cli.train:train",
    "reanalyze": "triage.cli.train:reanalyze",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a subcommand not built yet, or a missing extra
            raise click.ClickException(f"'{cmd_name}' is unavailable: {exc}") from None
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hotline-triage")
def main() -> None:
    """hotline-triage: find and triage fake customer-service hotline pages."""


def run() -> None:  # pragma: no cover - convenience for ``python -m triage.cli``
    sys.exit(main())
