"""Which network targets the crawler may fetch: pure checks, no I/O.

Crawled pages are hostile: a link, a redirect or a meta refresh can point the crawler at the
machine it runs on or at the network behind it (server-side request forgery). The crawler
refuses every address that is not globally routable (loopback, private, link-local, shared,
multicast, reserved, unspecified), IPv4 and IPv6, in every spelling a resolver accepts
(``127.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``[::ffff:127.0.0.1]``, full-width
digits), and host names that only make sense locally (``localhost``, single-label names,
``.local``...), unless the user allowed the target with ``--allow-private HOST[:PORT]``.

Two layers use these checks: a downloader middleware on each request's URL
(:mod:`crawler.middlewares.netguard`) and a name resolver on every address a host name resolves
to, right before connecting (:mod:`crawler.middlewares.resolver`), which catches names that
point at private addresses.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Special-use or conventionally local name suffixes (RFC 6761, RFC 6762, RFC 8375, ICANN .internal).
LOCAL_SUFFIXES = ("localhost", "local", "localdomain", "internal", "home.arpa", "lan", "intranet")
LOCAL_NAMES = frozenset({"ip6-localhost", "ip6-loopback"})

_NAT64_PREFIXES = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_SHARED_SPACE = ipaddress.IPv4Network("100.64.0.0/10")


def _parse_ipv4_part(part: str) -> int | None:
    """One dot-separated part as ``inet_aton`` reads it: decimal, ``0``-octal or ``0x``-hex."""
    if not part:
        return None
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16) if len(part) > 2 else None  # glibc refuses a bare "0x"
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """An IPv4 address in any spelling the C library's resolver accepts, else None.

    ``inet_aton`` (and so ``getaddrinfo``) takes 1 to 4 parts, each decimal, octal or hex; the
    last part fills the remaining bytes: ``127.1`` is 127.0.0.1, ``2130706433`` too.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = [_parse_ipv4_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    *head, last = values  # type: ignore[misc]
    if any(v > 0xFF for v in head) or last >= 1 << (8 * (5 - len(parts))):
        return None
    number = 0
    for v in head:
        number = (number << 8) | v
    number = (number << (8 * (5 - len(parts)))) | last
    return ipaddress.IPv4Address(number)


def normalize_host(host: str) -> str:
    """Lower-case, NFKC-folded host without brackets, zone id or trailing dot.

    NFKC folds full-width digits and dots (``１２７。０。０。１``) the way IDNA processing does;
    percent-escapes are decoded as browsers do (``%31%32%37.0.0.1``).
    """
    host = unicodedata.normalize("NFKC", unquote(host.strip())).replace("\u3002", ".").lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = host.split("%", 1)[0]  # IPv6 zone id
    return host[:-1] if host.endswith(".") else host


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a host string stands for if it is an IP literal in any spelling, else None."""
    host = normalize_host(host)
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            return None
    return parse_ipv4_loose(host)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4, Teredo)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: IPAddress) -> str | None:
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_SPACE:
        return "shared (carrier-grade NAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-global"
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why the crawler must not connect to ``ip`` (e.g. ``loopback address 127.0.0.1``), or None."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None and (inner_kind := _kind(inner)) is not None:
            return f"{inner_kind} address {inner} (inside {ip})"
    kind = _kind(ip)
    return None if kind is None else f"{kind} address {ip}"


def local_name_reason(host: str) -> str | None:
    """Why a host *name* (not an IP literal) is local by construction, or None."""
    host = normalize_host(host)
    if host in LOCAL_NAMES:
        return f"local host name {host!r}"
    if any(host == s or host.endswith("." + s) for s in LOCAL_SUFFIXES):
        return f"local host name {host!r}"
    if "." not in host:
        return f"single-label host name {host!r} (resolves on the local network only)"
    return None


@dataclass(frozen=True, slots=True)
class AllowEntry:
    """One ``--allow-private HOST[:PORT]`` entry; ``host`` is canonical, ``port`` None = any."""

    host: str
    port: int | None = None

    def matches(self, host: str, port: int | None) -> bool:
        return self.host == host and (self.port is None or self.port == port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


def canonical_host(host: str) -> str:
    """The form hosts are compared in: the canonical IP for IP literals, else the normalized name."""
    ip = parse_ip_host(host)
    return str(ip) if ip is not None else normalize_host(host)


def parse_allow_entry(entry: str) -> AllowEntry:
    """Parse ``HOST``, ``HOST:PORT``, ``[V6]`` or ``[V6]:PORT``; ValueError with one line if bad."""
    raw = entry.strip()
    hint = f"bad --allow-private entry {entry!r}: expected HOST or HOST:PORT, e.g. 127.0.0.1:8080"
    host, port_text = raw, ""
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(hint)
        port_text = rest[1:]
        if rest and not port_text:
            raise ValueError(hint)
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
        if not port_text:
            raise ValueError(hint)
    if not host or any(c in host for c in "/ @?#") or (":" in host and parse_ip_host(host) is None):
        raise ValueError(hint)
    port = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(hint)
        port = int(port_text)
    return AllowEntry(canonical_host(host), port)


class AllowList:
    """The targets the user allowed despite being private (tests, the demo, an intranet)."""

    def __init__(self, entries: Iterable[AllowEntry | str] = ()) -> None:
        self.entries: list[AllowEntry] = []
        self.extend(entries)

    def extend(self, entries: Iterable[AllowEntry | str]) -> None:
        for e in entries:
            entry = e if isinstance(e, AllowEntry) else parse_allow_entry(e)
            if entry not in self.entries:
                self.entries.append(entry)

    def allows(self, host: str, port: int | None) -> bool:
        """Whether ``host`` (any spelling) on ``port`` was explicitly allowed."""
        host = canonical_host(host)
        return any(e.matches(host, port) for e in self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __str__(self) -> str:
        return ", ".join(map(str, self.entries)) or "(none)"


def parse_allow_setting(value: object) -> list[AllowEntry]:
    """Entries from a setting or spider argument: a list, or a comma-separated string."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [parse_allow_entry(str(v)) for v in items if str(v).strip()]


def check_host(host: str, port: int | None, allow: AllowList) -> str | None:
    """Why ``host`` must not be fetched (request-time check of the URL's host), or None."""
    ip = parse_ip_host(host)
    if ip is not None:
        reason = forbidden_reason(ip)
        if reason and isinstance(ip, ipaddress.IPv4Address) and normalize_host(host) != str(ip):
            reason += f" (spelled {host!r})"
    else:
        reason = local_name_reason(host)
    if reason is None or allow.allows(host, port):
        return None
    return reason


def check_address(ip: IPAddress, port: int | None, hostname: str, allow: AllowList) -> str | None:
    """Why a resolved address must not be connected to (connection-time check), or None.

    Allowed when the address itself or the name that resolved to it was allowed for that port.
    """
    reason = forbidden_reason(ip)
    if reason is None or allow.allows(str(ip), port) or allow.allows(hostname, port):
        return None
    if parse_ip_host(hostname) is None:
        reason = f"{hostname} resolves to {reason}"
    return reason


MAX_VERDICTS = 10_000  # hosts whose check_host answer a HostVerdicts keeps


class HostVerdicts(dict[tuple[str, int | None, int], "str | None"]):
    """:func:`check_host` answers by (host, port, allow entries so far): a crawl asks about the
    same few hosts for every request, and parsing the host as an IP in every spelling is most
    of the check. The allow list only grows, so its length tells a stale answer."""

    def check(self, host: str, port: int | None, allow: AllowList) -> str | None:
        key = (host, port, len(allow.entries))
        try:
            return self[key]
        except KeyError:
            if len(self) >= MAX_VERDICTS:
                self.clear()
            reason = self[key] = check_host(host, port, allow)
            return reason


def check_url(url: str, allow: AllowList, verdicts: HostVerdicts | None = None) -> str | None:
    """Why ``url`` must not be fetched (scheme, host), or None when it may be (host answers
    kept in ``verdicts`` when given)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"malformed URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme or '(none)'!r} is not fetched"
    host = parts.hostname or ""
    if not host:
        return "URL has no host"
    port = port if port is not None else DEFAULT_PORTS[scheme]
    return check_host(host, port, allow) if verdicts is None else verdicts.check(host, port, allow)
