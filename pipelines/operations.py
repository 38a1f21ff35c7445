"""Operations (issue 14): spam domains joined by the infrastructure their operators reuse.

Pure: per-domain facts in, operations (sets of domains with the ties that join them) out.

Ties between two spam domains are what they share:

- **strong** ties join: an advertised number, an identifier (ICP or public-security filing,
  analytics id, verification token, chat account, QQ, WeChat, e-mail). Each weighs by how
  specific its value is (:func:`specificity`): 1 on up to ``FULL_DOMAINS`` domains, falling to 0
  at ``MAX_DOMAINS`` (an id on thousands of unrelated sites ties nothing). A value also seen on a
  domain that is not spam (a sold kit's default widget id, a brand's real number copied for
  credibility) ties nothing: it is public, not the operator's own; so does a known generic value.
- **weak** ties only add weight to a strong one, never join on their own: one template cluster
  (``cluster``), a claimed brand (``brand``), a favicon (``favicon_mmh3``, kits ship theirs) and a
  server address (``server_ip``: shared hosting, CDNs).

Two domains are joined when their strong weight reaches 1, or their strong weight is positive
and strong plus weak (at most ``WEAK_CAP``) reaches 1. Operations are the connected components
of two or more domains. :func:`assign_ids` keeps an operation's id while it only grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

FULL_DOMAINS = 10
MAX_DOMAINS = 50
JOIN = 1.0
WEAK_CAP = 0.9
WEAK_WEIGHTS: dict[str, float] = {"cluster": 0.3, "brand": 0.15, "favicon_mmh3": 0.3,
                                  "server_ip": 0.25}
# Kinds that never tie (kept for export): favicon_sha256 repeats favicon_mmh3.
IGNORED_KINDS = frozenset({"favicon_sha256"})
# Values that tie nothing wherever they appear: placeholders and widget demo accounts.
GENERIC_VALUES = frozenset({
    ("google_analytics", "UA-000000"), ("google_analytics", "UA-12345"),
    ("gtm", "GTM-XXXX"), ("qq", "10000"), ("qq", "12345678"), ("qq", "123456789"),
    ("email", "admin@admin.com"), ("chat", "53kf:123456"),
})
# How the ties read in links and reports.
KIND_NAMES: dict[str, str] = {
    "number": "advertised number", "icp": "ICP filing", "psb": "public-security filing",
    "baidu_tongji": "Baidu Tongji id", "cnzz": "CNZZ id", "la51": "51.la id",
    "google_analytics": "Google Analytics id", "gtm": "GTM container", "verification":
    "site-verification token", "chat": "chat-widget account", "qq": "QQ number", "wechat":
    "WeChat id", "email": "e-mail address", "favicon_mmh3": "favicon", "server_ip":
    "server address", "cluster": "template cluster", "brand": "brand",
}


@dataclass
class DomainFacts:
    """What one domain shows: ``ties`` are (kind, value) pairs (numbers as ("number", e164),
    identifiers by their kind, template clusters as ("cluster", id), brands as ("brand", name))."""

    domain: str
    spam: bool
    ties: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    kind: str
    value: str
    weight: float

    def to_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "kind": self.kind, "value": self.value,
                "weight": round(self.weight, 3)}

    def line(self) -> str:
        return f"{self.a} and {self.b} share {KIND_NAMES.get(self.kind, self.kind)} {self.value}"


@dataclass(frozen=True)
class OperationGroup:
    domains: tuple[str, ...]
    links: tuple[Link, ...]

    def ties(self) -> dict[str, int]:
        """kind -> how many distinct values of that kind tie its domains."""
        out: dict[str, set[str]] = defaultdict(set)
        for link in self.links:
            out[link.kind].add(link.value)
        return {k: len(v) for k, v in sorted(out.items(), key=lambda kv: -len(kv[1]))}


def specificity(domains: int) -> float:
    """Weight of a value shared by ``domains`` domains: 1 up to FULL_DOMAINS, 0 at MAX_DOMAINS."""
    if domains <= FULL_DOMAINS:
        return 1.0
    if domains >= MAX_DOMAINS:
        return 0.0
    return (MAX_DOMAINS - domains) / (MAX_DOMAINS - FULL_DOMAINS)


def _value_weights(facts: Iterable[DomainFacts]) -> tuple[dict[tuple[str, str], list[str]],
                                                          dict[tuple[str, str], float]]:
    """Spam domains of every tie value, and each value's weight (0: ties nothing)."""
    spam_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    seen_on: dict[tuple[str, str], int] = defaultdict(int)
    public: set[tuple[str, str]] = set()
    for f in facts:
        for tie in f.ties:
            if tie[0] in IGNORED_KINDS:
                continue
            seen_on[tie] += 1
            if f.spam:
                spam_of[tie].append(f.domain)
            else:
                public.add(tie)
    weights: dict[tuple[str, str], float] = {}
    for tie, n in seen_on.items():
        base = WEAK_WEIGHTS.get(tie[0], 1.0)
        strong = tie[0] not in WEAK_WEIGHTS
        if tie in GENERIC_VALUES or (strong and tie in public):
            weights[tie] = 0.0
        else:
            weights[tie] = base * specificity(n)
    return spam_of, weights


def _pairs(spam_of: Mapping[tuple[str, str], list[str]], weights: Mapping[tuple[str, str], float],
           ) -> dict[tuple[str, str], list[tuple[str, str, float]]]:
    """(a, b) -> the ties of two spam domains, strong ones first, for pairs with a strong tie."""
    pairs: dict[tuple[str, str], list[tuple[str, str, float]]] = defaultdict(list)
    for strong_pass in (True, False):
        for tie, domains in sorted(spam_of.items()):
            w = weights.get(tie, 0.0)
            if w <= 0 or len(domains) < 2 or (tie[0] not in WEAK_WEIGHTS) != strong_pass:
                continue
            for a, b in combinations(sorted(domains), 2):
                if strong_pass or (a, b) in pairs:
                    pairs[(a, b)].append((tie[0], tie[1], w))
    return pairs


def _joined(ties: list[tuple[str, str, float]]) -> bool:
    strong = sum(w for k, _, w in ties if k not in WEAK_WEIGHTS)
    weak = min(WEAK_CAP, sum(w for k, _, w in ties if k in WEAK_WEIGHTS))
    return strong >= JOIN or (strong > 0 and strong + weak >= JOIN)


class _Forest:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def find_operations(facts: Iterable[DomainFacts]) -> list[OperationGroup]:
    """Operations of two or more spam domains, largest first, each with the links that tie it
    (per shared value, enough links to connect the domains sharing it)."""
    facts = list(facts)
    spam_of, weights = _value_weights(facts)
    pairs = _pairs(spam_of, weights)
    forest = _Forest()
    joined = {pair: ties for pair, ties in sorted(pairs.items()) if _joined(ties)}
    for a, b in joined:
        forest.union(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for d in sorted({d for pair in joined for d in pair}):
        members[forest.find(d)].append(d)
    per_value: dict[tuple[str, str], _Forest] = defaultdict(_Forest)
    links: dict[str, list[Link]] = defaultdict(list)
    for (a, b), ties in joined.items():
        for kind, value, w in ties:
            if per_value[(kind, value)].union(a, b):  # one spanning tree per shared value
                links[forest.find(a)].append(Link(a, b, kind, value, w))
    groups = [OperationGroup(tuple(ds), tuple(links[root])) for root, ds in members.items()]
    return sorted(groups, key=lambda g: (-len(g.domains), g.domains))


def assign_ids(groups: list[OperationGroup], previous: Mapping[str, int],
               next_id: int) -> list[int]:
    """An id per group: the previous id most of its domains had (an operation that only grew
    keeps its id; in a merger, the larger part's), else a new one from ``next_id`` on."""
    taken: set[int] = set()
    out: list[int] = []
    for g in groups:
        votes: dict[int, int] = defaultdict(int)
        for d in g.domains:
            if d in previous:
                votes[previous[d]] += 1
        choice = next((op for op, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                       if op not in taken), None)
        if choice is None:
            choice, next_id = next_id, next_id + 1
        taken.add(choice)
        out.append(choice)
    return out
