"""Scrapy settings of the triage crawler, shared by ``triage crawl``, ``scrapy crawl`` and Scrapyd.

Our own settings are the ``TRIAGE_*`` ones below (each with its default and what it does); the
rest tunes Scrapy for crawling hostile pages: short timeouts, a body cap that also bounds
decompression, no private addresses, every failure kept as an item.
"""

from __future__ import annotations

BOT_NAME = "hotline_triage"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- ours -----------------------------------------------------------------------------------
# Where results go: a path or any SQLAlchemy URL (spider argument ``db``; ``triage crawl --db``).
TRIAGE_DB = "sqlite:///triage.db"
# Pages per database transaction in StorePipeline.
TRIAGE_BATCH_SIZE = 100
# Private targets the user allows anyway: "HOST[:PORT]" strings (spider argument
# ``allow_private``, comma-separated; ``--allow-private``, repeatable). Tests and the demo use it.
TRIAGE_ALLOW_PRIVATE: list[str] = []
# Where the analysis runs: "process" (a worker pool), "thread" or "inline" (on the reactor).
# Measured with bench/crawl.py; see the figures in pipelines/items/analyze.py.
TRIAGE_ANALYSIS_MODE = "process"
# Analysis workers for "process"/"thread" (0 = one per CPU, less the one the crawl runs on).
TRIAGE_ANALYSIS_WORKERS = 0
# Client profiles (crawler/profiles.py): who the crawl claims to be. Each profile has a
# ``user_agent`` and ``referers`` (search-results URL templates, ``{q}`` = the page's brand or
# search query, URL-quoted; one is chosen per URL, stably; empty = no Referer). ``visitor`` is
# what a victim sees (a phone arriving from a search result), ``direct`` a desktop browser typing
# the URL, ``spider`` Baidu's crawler; ``mobile`` (a phone, no Referer) is fetched only to tell
# referer cloaking from mobile cloaking. Override whole profiles with -s TRIAGE_PROFILES='{...}'.
TRIAGE_PROFILES: dict[str, dict[str, object]] = {
    "visitor": {
        "user_agent": ("Mozilla/5.0 (Linux; Android 13; V2238A) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) Chrome/116.0.0.0 Mobile Safari/537.36"),
        "referers": ["https://www.baidu.com/s?wd={q}", "https://www.sogou.com/web?query={q}",
                     "https://www.so.com/s?q={q}"],
    },
    "direct": {
        "user_agent": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                       "like Gecko) Chrome/126.0.0.0 Safari/537.36"),
        "referers": [],
    },
    "spider": {
        "user_agent": ("Mozilla/5.0 (compatible; Baiduspider/2.0; "
                       "+http://www.baidu.com/search/spider.html)"),
        "referers": [],
    },
    "mobile": {
        "user_agent": ("Mozilla/5.0 (Linux; Android 13; V2238A) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) Chrome/116.0.0.0 Mobile Safari/537.36"),
        "referers": [],
    },
}
# The profile of the crawl's own fetches (crawler/middlewares/profile.py); "" = Scrapy's
# USER_AGENT and no Referer rewriting.
TRIAGE_PROFILE = "visitor"
# Cloaking matrix (pipelines/items/cloaking.py): "sample" (default: the first
# TRIAGE_CLOAKING_SAMPLE pages of each site, the first page of each new template, suspicious
# pages on sites that redirect away, and every page of a site found cloaking), "all" analysed
# pages, "off". "suspicious" is accepted as an alias of "sample".
TRIAGE_CLOAKING = "sample"
TRIAGE_CLOAKING_SAMPLE = 3
# Score from which a page counts as suspicious (the archive keeps suspicious pages too).
TRIAGE_CLOAKING_MIN_SCORE = 0.3
# Most template checks per site (a site that never repeats a template costs at most this many).
TRIAGE_CLOAKING_TEMPLATES_PER_SITE = 3
# WARC archive (pipelines/items/archive.py): "spam" (spam, suspicious and cloaked versions),
# "all" fetched pages, "off". Files go to TRIAGE_ARCHIVE_DIR (``triage crawl --archive DIR``;
# default: triage-archive/ beside the SQLite file, else ./triage-archive/), gzip WARC files
# rotated at TRIAGE_ARCHIVE_MAX_BYTES.
TRIAGE_ARCHIVE = "spam"
TRIAGE_ARCHIVE_DIR = ""
TRIAGE_ARCHIVE_MAX_BYTES = 100 * 1024 * 1024
# Focused crawling (crawler/priority.py): follow links likely to lead to hotline spam first.
TRIAGE_FOCUSED = True
# Requests a focused crawl keeps in flight (crawler/frontier.py): narrower spends the budget better.
TRIAGE_FOCUSED_WINDOW = 8
# After each crawl: template clusters and number reputation (run by pipelines/items/store.py).
TRIAGE_INVESTIGATE = True
# Re-visits of known pages are conditional requests; unchanged bodies are not analysed again
# (pipelines/items/memory.py).
TRIAGE_CONDITIONAL = True
# A crash-safe crawl job's directory (crawler/jobdir/; spider argument ``job_dir``).
TRIAGE_JOB_DIR = ""
# The SearXNG instance `triage discover` and `triage pivot` search (its JSON format enabled),
# e.g. "http://127.0.0.1:8888"; --searxng and the environment variable of the same name win.
TRIAGE_SEARXNG_URL = ""
# Issue 14: one /favicon.ico request per site for its hashes (pipelines/items/siteids.py).
TRIAGE_SITE_IDENTIFIERS = True

# --- pipelines and middlewares --------------------------------------------------------------
ITEM_PIPELINES = {
    # Conditional re-visits: a re-fetched body identical to the stored one is not analysed.
    "pipelines.items.memory.SkipUnchangedPipeline": 250,
    "pipelines.items.analyze.AnalyzePipeline": 300,  # engine verdict, numbers, padding; drops body
    "pipelines.items.cloaking.CloakingPipeline": 400,  # the page as the other client profiles see it
    "pipelines.items.siteids.SiteIdentifiersPipeline": 450,  # each site's favicon hashes, once
    # WARC records of pages worth keeping (in a thread); drops the body AnalyzePipeline kept.
    "pipelines.items.archive.ArchivePipeline": 460,
    # The one writer: batched upserts into TRIAGE_DB, cloaking evidence, then the after-crawl
    # jobs (template clusters, number reputation) and the run's outcome.
    "pipelines.items.store.StorePipeline": 900,
}
# What focused crawling starts from: spam domains and brands of earlier crawls.
EXTENSIONS = {"pipelines.items.memory.SpamPriors": 500}
# Job directories (crawler/jobdir/), from the setting or the job_dir spider argument.
ADDONS = {"pipelines.items.addon.JobDirAddon": 0}
SPIDER_MIDDLEWARES = {
    # With TRIAGE_JOB_DIR: records requests as the spider yields them (last before the engine).
    "crawler.jobdir.middleware.FrontierMiddleware": 10,
}
DOWNLOADER_MIDDLEWARES = {
    # Refuses private targets at request time, for start URLs, links, redirects and meta
    # refresh alike (each new request passes here), and installs the connection-time check.
    "crawler.middlewares.netguard.PrivateAddressMiddleware": 10,
    # With TRIAGE_CONDITIONAL: known pages are asked for with their stored validators.
    "pipelines.items.memory.ConditionalMiddleware": 560,
    # Client profile headers (User-Agent, Referer) before Scrapy's UserAgentMiddleware (500).
    "crawler.middlewares.profile.ProfileMiddleware": 450,
    # A proxy would resolve names itself, out of reach of the connection-time check.
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
}
# Checks every address a host name resolves to, right before connecting.
TWISTED_DNS_RESOLVER = "crawler.middlewares.resolver.SafeHostnameResolver"
# Only HTTP(S), through the handler whose connections go through the resolver above.
DOWNLOAD_HANDLERS = {
    "http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
    "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
    "file": None, "s3": None, "ftp": None, "data": None,
}

# --- hostile web ----------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # also caps decompressed size (HttpCompressionMiddleware)
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = False  # keep what a truncated response gave us
REDIRECT_MAX_TIMES = 10
METAREFRESH_MAXDELAY = 30
RETRY_TIMES = 1
HTTPERROR_ALLOW_ALL = True  # 4xx/5xx reach the spider and are recorded with their status
URLLENGTH_LIMIT = 2083
# Spam farms write robots.txt for search engines they want to attract; an investigation reads
# what those engines read. Sitemap ``Sitemap:`` lines are still read by the sitemap spider.
ROBOTSTXT_OBEY = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens a control HTTP port by default

# --- politeness and order -------------------------------------------------------------------
USER_AGENT = "hotline-triage/0.1 (+https://github.com/hotline-triage; spam research crawler)"
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Spider outputs handled in parallel per response. Ours yields one item and a few requests per
# page; Scrapy starts this many asyncio tasks per response (its default, 100, is measurable
# overhead; 16 was still 6 % of the reactor thread in bench/crawl.py). Four let the requests
# of a page go on while its item waits for the analysis.
CONCURRENT_ITEMS = 4
# Response bytes the scraper holds (Scrapy's default is 5 MB; a response counts at least 1 KB).
# When the analysis is slower than the downloads, fetched pages wait for it with their
# response, item and decoded text (about 50 KB each for a 6 KB page): at 5 MB that backlog grew
# the crawl process by 35 MB in bench/crawl.py without a page/s more. Downloads pause instead.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
AUTOTHROTTLE_ENABLED = False
# Breadth-first, so that --max-pages keeps the pages closest to the start URLs.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
