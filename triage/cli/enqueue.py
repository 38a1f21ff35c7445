"""``triage enqueue --queue redis://HOST:PORT/N URL...``: start URLs for ``triage worker``s.

URLs go on the queue's ``start_urls`` list and their sites into its set of start sites (the
sites workers follow links on without ``--follow-external``). Workers started before or after
take them from there; each URL is fetched once whichever worker takes it.
"""

from __future__ import annotations

import click

from triage.cli.common import fail


@click.command()
@click.argument("urls", nargs=-1)
@click.option("--queue", required=True, envvar="TRIAGE_QUEUE", metavar="redis://HOST:PORT/N",
              help="Redis queue; ?prefix=NAME keeps several crawls apart in one database.")
@click.option("--urls-file", "urls_file", type=click.Path(dir_okay=False),
              help="File with start URLs, one per line (# comments allowed).")
def enqueue(urls: tuple[str, ...], queue: str, urls_file: str | None) -> None:
    """Put start URLs on a shared Redis queue for `triage worker`."""
    from crawler.redisqueue import QueueError, parse_queue
    from crawler.spiders.base import with_scheme
    from crawler.spiders.hotlines_redis import enqueue_start_urls
    from triage.cli.crawl import gather_urls

    start = gather_urls(urls, urls_file, verb="enqueue")
    try:
        spec = parse_queue(queue)
        spec.check()
    except QueueError as exc:
        fail(str(exc))
    client = spec.client()
    n = enqueue_start_urls(client, spec, [with_scheme(u) for u in start])
    waiting = client.llen(spec.key("start_urls"))
    client.close()
    click.echo(f"Queued {n} start URLs on {queue} ({waiting} waiting). Next: "
               f"triage worker --queue {queue} --db DB")
