"""Connection-time guard: a name resolver that never hands out a forbidden address.

The request-time check (:mod:`crawler.middlewares.netguard`) sees only the URL; a public-looking
name can still resolve to 127.0.0.1 or 10.x (a hostile DNS record, /etc/hosts). Every
connection Scrapy's HTTP handler opens goes through Twisted's ``HostnameEndpoint``, which asks
the reactor's name resolver for addresses (IP literals included), so filtering the addresses
here checks exactly what is about to be connected to. A name whose addresses are all forbidden
ends as a DNS failure, and the reason is kept so that the item says ``blocked: ...``.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer, provider

from crawler.netsafety import AllowList, check_address, normalize_host, parse_allow_setting

if TYPE_CHECKING:
    from twisted.internet.base import ReactorBase

log = logging.getLogger(__name__)
_MAX_REASONS = 10_000


@provider(IResolutionReceiver)
class _FilteringReceiver:
    """Passes on allowed addresses only; remembers why the others were refused."""

    def __init__(self, resolver: SafeHostnameResolver, receiver: IResolutionReceiver,
                 host: str, port: int) -> None:
        self.resolver, self.receiver, self.host, self.port = resolver, receiver, host, port
        self.passed = 0
        self.refused: list[str] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        ip_text = getattr(address, "host", None)
        try:
            ip = ipaddress.ip_address(str(ip_text).split("%", 1)[0])
        except ValueError:
            self.refused.append(f"unparsable address {ip_text!r}")
            return
        reason = check_address(ip, self.port, self.host, self.resolver.allow)
        if reason is None:
            self.passed += 1
            self.receiver.addressResolved(address)
        else:
            self.refused.append(reason)

    def resolutionComplete(self) -> None:
        if self.refused:
            self.resolver.note_refused(self.host, self.port, self.refused, all_refused=not self.passed)
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class SafeHostnameResolver(CachingHostnameResolver):
    """Scrapy's caching IPv4/IPv6 resolver, with every resolved address checked before use.

    Installed through ``TWISTED_DNS_RESOLVER``; :func:`ensure_installed` also installs it when
    a crawl runs on a reactor set up by someone else (``CrawlerRunner``, Scrapyd, tests). The
    allow list is the union of the process settings and what each crawl registers.
    """

    def __init__(self, reactor: ReactorBase, cache_size: int, allow: AllowList | None = None):
        super().__init__(reactor, cache_size)
        self.allow = allow if allow is not None else AllowList()
        self._reasons: OrderedDict[tuple[str, int], str] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> SafeHostnameResolver:
        settings = crawler.settings
        size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, size, AllowList(parse_allow_setting(settings.get("TRIAGE_ALLOW_PRIVATE"))))

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver = _FilteringReceiver(self, resolutionReceiver, hostName, portNumber)
        return super().resolveHostName(receiver, hostName, portNumber, addressTypes,
                                       transportSemantics)

    def note_refused(self, host: str, port: int, reasons: list[str], *, all_refused: bool) -> None:
        log.warning("refused address(es) of %s:%s: %s", host, port, "; ".join(reasons))
        if all_refused:
            self._reasons[(normalize_host(host), port)] = reasons[0]
            while len(self._reasons) > _MAX_REASONS:
                self._reasons.popitem(last=False)

    def refusal(self, host: str, port: int) -> str | None:
        """Why connecting to ``host:port`` was refused, if it was (for the failed item)."""
        return self._reasons.get((normalize_host(host), port))


def installed_resolver() -> SafeHostnameResolver | None:
    from twisted.internet import reactor

    resolver = getattr(reactor, "nameResolver", None)
    return resolver if isinstance(resolver, SafeHostnameResolver) else None


def ensure_installed(allow: AllowList, cache_size: int = 10_000) -> SafeHostnameResolver:
    """The reactor's safe resolver (installing one if another is there), allowing ``allow`` too."""
    from twisted.internet import reactor

    resolver = installed_resolver()
    if resolver is None:
        resolver = SafeHostnameResolver(reactor, cache_size)  # type: ignore[arg-type]
        resolver.install_on_reactor()
        log.info("installed the connection-time private-address check on the reactor")
    resolver.allow.extend(allow.entries)
    return resolver
