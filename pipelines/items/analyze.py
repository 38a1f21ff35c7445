"""``AnalyzePipeline``: the Scrapy adapter over :func:`pipelines.analyze.analyze`.

For each item with an HTML or text body it runs the engine, sets ``item["analysis"]`` (a
:class:`~pipelines.types.PageAnalysis`) and drops ``body`` (unless the WARC archive, a later
pipeline, asked for it: ``CrawlContext.keep_bodies``); an engine failure on one page becomes
``error = "analysis failed: ..."`` and never stops the crawl. Counts go to the crawl stats:
``triage/pages``, ``triage/analysed``, ``triage/spam``, ``triage/verdict/<v>``,
``triage/numbers`` (distinct numbers this crawl), ``triage/errors``.

Where the CPU work runs (``TRIAGE_ANALYSIS_MODE``): the engine is pure Python and holds the GIL,
so "inline" (on the reactor thread) stalls downloads while a page is analysed, "thread" only
interleaves with the reactor under the GIL, and "process" runs it in a worker pool on the other
core. Measured with ``bench/crawl.py`` (2,101 seed-like pages on 127.0.0.1, analysis + SQLite
storage, 2 cores that other jobs kept busy (load average 4-7), medians of alternated rounds;
CPU ms/page counts the crawl process and its workers):

====================  ===========  ============  ==========================
mode                  pages/s      CPU ms/page   of which crawl process
====================  ===========  ============  ==========================
bare Scrapy (fetch)   455-498      2.2-2.3       all
inline                142-154      6.7-6.9       all
thread, 1 worker      142          7.2           all
process, 1 worker     140-142      7.6-7.7       3.5-3.6
process, 2 workers    123          8.6           3.5
====================  ===========  ============  ==========================

On the busy machine inline and one worker process tie on pages/s (there was no idle core for
the worker). The default is "process" with one worker per CPU but one, because it is the only
mode whose critical path fits the target: the crawl process spends 3.5 ms/page (bare Scrapy
2.2) while the engine's ~4 ms/page runs on the other core, against 6.7 ms/page on one core for
inline; it also keeps a slow page's analysis from stalling the reactor. Two workers on two
cores lose (three CPU-bound processes). Tests and tiny crawls use "inline" (no ~1.5 s worker
start-up). Sending pages to the pool in batches of 8 (below) took the crawl process from
3.1-3.4 to 3.0 ms/page on an idle machine (full crawl 211-229 pages/s against bare 551).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import resource_tracker
from typing import TYPE_CHECKING, Any

from crawler.context import crawl_context
from pipelines.types import SPAM_VERDICTS, PageAnalysis

if TYPE_CHECKING:
    from pipelines.model import Model

log = logging.getLogger(__name__)

MODES = ("process", "thread", "inline")
BATCH_SIZE = 8  # pages per task sent to an analysis worker
BATCH_WAIT = 0.005  # seconds the first page of a batch waits for company
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
# Signals the crawl process handles (crawler/interrupts.py); its analysis workers ignore them.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NOT_ANALYSED = "not analysed: the crawl was stopped twice"  # a page the force stop left


# The verdict model of this process's analyses: the crawl database's active trained model
# (issue 10), set in the crawl process for inline/thread mode and by the pool initializer in
# each worker; None = the shipped model.
_MODEL: Model | None = None


def use_model(artefact: dict[str, Any] | None) -> None:
    """Analyses in this process use the model of ``artefact`` (None: the shipped model)."""
    global _MODEL
    from pipelines.model import load

    _MODEL = load(artefact) if artefact is not None else None


def run_analysis(body: bytes, url: str, content_type: str | None) -> PageAnalysis | str:
    """The engine on one page; a one-line error string instead of raising (picklable either way)."""
    try:
        from pipelines.analyze import analyze
        from pipelines.templates import sign_page

        # The template signature and place spans are made here, in the worker, so that the
        # after-crawl clustering never reads the page's text again (issue 12).
        return sign_page(analyze(body, url=url, content_type=content_type, model=_MODEL))
    except Exception as exc:  # noqa: BLE001 - any engine bug must stay on its page
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def run_batch(jobs: list[tuple[bytes, str, str | None]]) -> bytes:
    """Several pages per task: one pickle and one pipe wake-up instead of one per page; the
    results go back in :mod:`pipelines.items.wire`'s quicker form (read with ``wire.loads``)."""
    from pipelines.items import wire

    return wire.dumps([run_analysis(*job) for job in jobs])


def _warm_up(artefact: dict[str, Any] | None = None, parent: int | None = None) -> None:
    """Worker initializer: ignore the stop signals, load the crawl's verdict model, import the
    engine once per worker.

    Ctrl-C and a hang-up reach the whole process group: the crawl process decides what they
    mean (crawler/interrupts.py), so a worker keeps analysing until the pool is shut down. The
    workers were started with these signals blocked (:func:`spawn_pool`), so none can arrive
    before they are ignored.
    """
    from pipelines.items.parentwatch import exit_with_parent

    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    exit_with_parent(parent)  # a killed crawl must not leave engine-sized workers behind
    use_model(artefact)
    run_analysis(b"<html><body><p>400-000-0000</p></body></html>", "", "text/html")


def spawn_pool(workers: int, artefact: dict[str, Any] | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers are already running, started with the stop signals blocked.

    A spawned worker inherits the signal mask of the thread that starts it, and Python does
    not unblock it, so a Ctrl-C that arrives while a worker is still importing the engine
    cannot kill it; the initializer then ignores the signals and unblocks them. The parent's
    own mask is restored at once (a signal sent meanwhile is delivered then).

    multiprocessing's resource tracker is started first, inside the same mask (a hang-up must
    not kill it either): the pool's queues start it on first use, and its start-up unblocks
    SIGINT and SIGTERM in the calling thread whatever the mask was, which let a Ctrl-C kill
    the first pool's worker while it imported the engine. So they are blocked again after.
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        # spawn: forking a process that runs a reactor and threads is unsafe.
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm_up, initargs=(artefact, os.getpid()))
        pool.submit(os.getpid)  # a non-fork pool starts all its workers on the first submit
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return pool


# A pool started before the crawl (prestart): its workers import the engine while the crawl
# process imports Scrapy and opens the database, instead of after, when pages already wait.
_PRESTARTED: list[tuple[int, dict[str, Any] | None, ProcessPoolExecutor]] = []


def default_workers() -> int:
    """One analysis worker per CPU but one, which stays with the crawl's own process."""
    return max(1, (os.cpu_count() or 1) - 1)


def prestart(workers: int, artefact: dict[str, Any] | None) -> None:
    """Start the analysis workers of the crawl about to run in this process (``triage crawl``
    calls it before importing Scrapy). The crawl's pipeline takes the pool when its worker
    count and model match, else shuts it down and starts its own."""
    _PRESTARTED.append((workers, artefact, spawn_pool(workers, artefact)))


def take_prestarted(workers: int, artefact: dict[str, Any] | None) -> ProcessPoolExecutor | None:
    """The pool :func:`prestart` started for these workers and this model, or None; any other
    prestarted pool is shut down."""
    found = None
    while _PRESTARTED:
        n, model, pool = _PRESTARTED.pop()
        if found is None and n == workers and model == artefact:
            found = pool
        else:
            pool.shutdown(wait=False, cancel_futures=True)
    return found


def drop_prestarted() -> None:
    """Shut down the pools :func:`prestart` started (a crawl that analyses in threads or inline)."""
    take_prestarted(-1, None)


def wants_analysis(item: dict[str, Any]) -> bool:
    content_type = (item.get("headers") or {}).get("content-type", "")
    return bool(item.get("body")) and content_type.split(";")[0].strip().lower() in TEXT_TYPES


class AnalyzePipeline:
    """Runs the triage engine on each fetched page, off the reactor when that pays."""

    def __init__(self, crawler: Any, mode: str = "process", workers: int = 0) -> None:
        if mode not in MODES:
            raise ValueError(f"bad TRIAGE_ANALYSIS_MODE {mode!r}: expected one of {', '.join(MODES)}")
        self.crawler = crawler
        self.stats = crawler.stats
        self.mode = mode
        self.workers = workers or default_workers()
        self.executor: Executor | None = None
        self.numbers: set[str] = set()
        # Pages waiting to go to the pool together (process mode): (job, future of its result).
        self.pending: list[tuple[tuple[bytes, str, str | None], asyncio.Future[Any]]] = []
        self.flush_handle: asyncio.TimerHandle | None = None
        # Futures of pages handed to the pool and not yet answered; a forced stop answers them.
        self.waiting: set[asyncio.Future[Any]] = set()
        self.abandoned = False
        self.artefact: dict[str, Any] | None = None  # the crawl database's active model

    @classmethod
    def from_crawler(cls, crawler: Any) -> AnalyzePipeline:
        s = crawler.settings
        pipe = cls(crawler, s.get("TRIAGE_ANALYSIS_MODE", "process"),
                   s.getint("TRIAGE_ANALYSIS_WORKERS", 0))
        # Other components (the cloaking check) analyse through the same workers, so that the
        # crawl process never loads the engine itself (about 70 MB).
        context = crawl_context(crawler)
        context.analyse = pipe.analyse
        context.force_hooks.append(pipe.abandon)
        return pipe

    def abandon(self) -> None:
        """A second stop signal: every page still waiting for analysis (and every later one)
        goes on at once as fetched, not analysed; the store keeps it as such."""
        self.abandoned = True
        for fut in [*self.waiting, *(f for _, f in self.pending)]:
            if not fut.done():
                fut.set_result(NOT_ANALYSED)
        self.pending = []
        self.waiting.clear()

    async def analyse(self, body: bytes, url: str, content_type: str | None) -> PageAnalysis | str:
        """The engine on one page, where this pipeline runs it (a worker pool by default)."""
        return await self._analyse(body, url, content_type)

    def _new_executor(self) -> Executor | None:
        if self.mode != "process":
            drop_prestarted()
        if self.mode == "thread":
            return ThreadPoolExecutor(self.workers, thread_name_prefix="analysis")
        if self.mode == "process":
            pool = take_prestarted(self.workers, self.artefact)
            if pool is not None:
                self.stats.set_value("triage/workers_prestarted", self.workers)
                return pool
            return spawn_pool(self.workers, self.artefact)
        return None

    async def open_spider(self) -> None:
        # Imported here: the workers import this module, and must not load the database layer.
        from pipelines.items.database import active_artefact

        self.artefact = await active_artefact(self.crawler)
        if self.mode != "process":
            use_model(self.artefact)
        self.executor = self._new_executor()

    def close_spider(self) -> None:
        self._flush()
        if self.executor is not None:
            self.executor.shutdown(wait=not self.abandoned, cancel_futures=True)
            self.executor = None
        # CPU of the crawl process itself (analysis workers excluded), for bench/crawl.py.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.stats.set_value("triage/cpu_seconds", round(usage.ru_utime + usage.ru_stime, 3))

    async def _analyse(self, body: bytes, url: str, content_type: str | None) -> PageAnalysis | str:
        if self.abandoned:
            return NOT_ANALYSED
        if self.executor is None:
            return run_analysis(body, url, content_type)
        if self.mode == "thread":
            return await self._wait(
                asyncio.wrap_future(self.executor.submit(run_analysis, body, url, content_type)))
        # Process mode: submitting costs the crawl process a pickle and a pipe wake-up per task,
        # a large share of its CPU at hundreds of pages/s, so pages go in small batches: a batch
        # leaves when it is full or BATCH_WAIT seconds after its first page arrived.
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.pending.append(((body, url, content_type), future))
        if len(self.pending) >= BATCH_SIZE:
            self._flush()
        elif self.flush_handle is None:
            self.flush_handle = loop.call_later(BATCH_WAIT, self._flush)
        return await self._wait(future)

    async def _wait(self, future: asyncio.Future[Any]) -> Any:
        """The result of ``future``, or NOT_ANALYSED if a forced stop answers first."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting.add(answer)

        def relay(done: asyncio.Future[Any]) -> None:
            if not answer.done():
                if done.cancelled():
                    answer.set_result("analysis cancelled")
                elif done.exception() is not None:
                    answer.set_exception(done.exception())  # type: ignore[arg-type]
                else:
                    answer.set_result(done.result())

        future.add_done_callback(relay)
        try:
            return await answer
        finally:
            self.waiting.discard(answer)

    def _flush(self) -> None:
        if self.flush_handle is not None:
            self.flush_handle.cancel()
            self.flush_handle = None
        batch, self.pending = self.pending, []
        if not batch or self.executor is None:
            return
        futures = [f for _, f in batch]
        try:
            done = asyncio.wrap_future(self.executor.submit(run_batch, [job for job, _ in batch]))
        except BrokenProcessPool:
            self._restart(futures)
            return
        done.add_done_callback(lambda d: self._deliver(d, futures))

    def _deliver(self, done: asyncio.Future[Any], futures: list[asyncio.Future[Any]]) -> None:
        if done.cancelled():  # a forced stop shut the pool down: those pages are answered
            results: list[Any] = [NOT_ANALYSED] * len(futures)
        elif done.exception() is not None:
            if isinstance(done.exception(), BrokenProcessPool):
                self._restart(futures)
                return
            results = [f"batch failed: {done.exception()!r}"[:200]] * len(futures)
        else:
            from pipelines.items import wire

            results = wire.loads(done.result())
        for fut, res in zip(futures, results, strict=True):
            if not fut.done():
                fut.set_result(res)

    def _restart(self, futures: list[asyncio.Future[Any]]) -> None:
        """A worker died (killed, out of memory): its pages get an error, a fresh pool starts."""
        log.error("analysis worker died; restarting the pool")
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new_executor()
        for fut in futures:
            if not fut.done():
                fut.set_result("analysis worker died")

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        # The archive pipeline, when on, writes the body after the verdict and drops it then.
        keep = crawl_context(self.crawler).keep_bodies
        body = (item.get("body") if keep else item.pop("body", b"")) or b""
        item.setdefault("analysis", None)
        if body and wants_analysis({**item, "body": body}):
            url = item.get("final_url") or item.get("url", "")
            content_type = (item.get("headers") or {}).get("content-type") or None
            result = await self._analyse(body, url, content_type)
            if isinstance(result, PageAnalysis):
                item["analysis"] = result
                self._count(result)
                if result.encoding_problem:  # the engine decodes the body, once
                    problem = result.encoding_problem
                    item["error"] = f"{item['error']}; {problem}" if item.get("error") else problem
            elif result == NOT_ANALYSED:
                self._not_analysed(item)
            else:
                note = f"analysis failed: {result}"
                item["error"] = f"{item['error']}; {note}" if item.get("error") else note
                log.warning("%s on %s", note, url)
        self.stats.inc_value("triage/pages")  # counted once done, so progress shows finished pages
        if item.get("error"):
            self.stats.inc_value("triage/errors")
        return item

    def _not_analysed(self, item: dict[str, Any]) -> None:
        """Stored as a fetch only: no content hash or validators, so the next crawl of the URL
        neither skips it as unchanged nor gets a 304; a job directory fetches it again."""
        item["not_analysed"] = True
        item["content_hash"] = ""
        item["headers"] = {k: v for k, v in dict(item.get("headers") or {}).items()
                           if str(k).lower() not in ("etag", "last-modified")}
        item["error"] = f"{item['error']}; {NOT_ANALYSED}" if item.get("error") else NOT_ANALYSED
        self.stats.inc_value("triage/not_analysed")

    def _count(self, analysis: PageAnalysis) -> None:
        self.stats.inc_value("triage/analysed")
        self.stats.inc_value(f"triage/verdict/{analysis.verdict}")
        if analysis.verdict in SPAM_VERDICTS:
            self.stats.inc_value("triage/spam")
        for phone in analysis.numbers:
            self.numbers.add(phone.e164)
        self.stats.set_value("triage/numbers", len(self.numbers))
