"""The pure halves of issue 14: how ties are weighed and joined (pipelines/operations.py), ids
that stay with growing operations, and reputation's "a number in an operation with fraud
numbers is suspect" (pipelines/propagation.py)."""

from __future__ import annotations

from pipelines.operations import (
    MAX_DOMAINS,
    DomainFacts,
    assign_ids,
    find_operations,
    specificity,
)
from pipelines.propagation import NumberReputation, operation_suspects


def spam(domain: str, *ties: tuple[str, str]) -> DomainFacts:
    return DomainFacts(domain, True, set(ties))


def legit(domain: str, *ties: tuple[str, str]) -> DomainFacts:
    return DomainFacts(domain, False, set(ties))


def groups(facts: list[DomainFacts]) -> list[set[str]]:
    return [set(g.domains) for g in find_operations(facts)]


def test_a_shared_identifier_or_number_joins_and_says_so() -> None:
    ops = find_operations([spam("a", ("baidu_tongji", "x" * 32)), spam("b", ("baidu_tongji", "x" * 32)),
                           spam("c", ("number", "+864001234567")), spam("d", ("number", "+864001234567")),
                           spam("e", ("qq", "123456780"))])
    assert [set(g.domains) for g in ops] == [{"a", "b"}, {"c", "d"}]
    assert ops[0].links[0].line() == "a and b share Baidu Tongji id " + "x" * 32


def test_weak_ties_never_join_on_their_own() -> None:
    weak = [("cluster", "7"), ("brand", "澜拓净水器"), ("favicon_mmh3", "-12345"),
            ("server_ip", "203.0.113.9")]
    assert groups([spam("a", *weak), spam("b", *weak)]) == []
    # ...but they add to a strong tie that is weak because it is common.
    common = [spam(f"s{i}", ("cnzz", "1270000000")) for i in range(40)]
    assert specificity(40) < 1
    assert groups(common) == []
    common[0].ties |= set(weak)
    common[1].ties |= set(weak)
    assert groups(common) == [{"s0", "s1"}]


def test_values_on_legitimate_sites_or_everywhere_tie_nothing() -> None:
    kit = ("chat", "53kf:kitdemo")
    assert groups([spam("a", kit), spam("b", kit), legit("shop", kit)]) == []
    everywhere = [spam(f"s{i}", ("google_analytics", "UA-1000001")) for i in range(MAX_DOMAINS)]
    assert groups(everywhere) == []
    assert groups([spam("a", ("qq", "10000")), spam("b", ("qq", "10000"))]) == []  # generic
    # Legitimate sites are never part of an operation, whatever they share.
    assert groups([legit("x", ("icp", "粤ICP备1号")), legit("y", ("icp", "粤ICP备1号"))]) == []


def test_a_chain_of_ties_is_one_operation_with_a_link_per_tie() -> None:
    ops = find_operations([spam("a", ("cnzz", "1")), spam("b", ("cnzz", "1"), ("qq", "55555")),
                           spam("c", ("qq", "55555"), ("email", "k@f.cn")), spam("d", ("email", "k@f.cn"))])
    assert len(ops) == 1 and ops[0].domains == ("a", "b", "c", "d")
    assert {(ln.a, ln.b, ln.kind) for ln in ops[0].links} == {
        ("a", "b", "cnzz"), ("b", "c", "qq"), ("c", "d", "email")}


def test_links_per_value_are_a_spanning_tree() -> None:
    ops = find_operations([spam(f"s{i}", ("number", "+864009999999")) for i in range(6)])
    assert len(ops[0].links) == 5


def test_ids_stay_with_operations_that_only_grow() -> None:
    previous = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3, "f": 3}
    grown = list(find_operations([
        spam("a", ("qq", "11111")), spam("b", ("qq", "11111")), spam("new", ("qq", "11111")),
        spam("c", ("icp", "x")), spam("d", ("icp", "x")),
        spam("e", ("wechat", "kf_x")), spam("f", ("wechat", "kf_x")), spam("g", ("icp", "x"))]))
    ids = dict(zip((g.domains for g in grown), assign_ids(grown, previous, 4), strict=True))
    assert ids == {("a", "b", "new"): 1, ("c", "d", "g"): 2, ("e", "f"): 3}
    # Two operations merging: the larger keeps its id; a new operation takes the next id.
    merged = find_operations([spam(x, ("qq", "1")) for x in "abcde"] + [spam("x", ("qq", "2")),
                                                                        spam("y", ("qq", "2"))])
    assert assign_ids(merged, {"a": 5, "b": 5, "c": 5, "d": 6, "e": 6}, 7) == [5, 7]


def test_a_number_in_an_operation_with_fraud_numbers_is_suspect() -> None:
    result = {"+864001": NumberReputation("+864001", 0.9, "fraud", ("advertised on 3 spam page(s)",)),
              "+864002": NumberReputation("+864002", 0.2, "clean", ()),
              "+864003": NumberReputation("+864003", 0.0, "official", ("official number of X",)),
              "+864004": NumberReputation("+864004", 0.1, "clean", ())}
    raised = operation_suspects(result, {7: {"+864001", "+864002", "+864003"}, 8: {"+864004"}})
    assert set(raised) == {"+864002"}
    assert raised["+864002"].verdict == "suspicious" and raised["+864002"].score >= 0.5
    assert raised["+864002"].reasons[0] == "in operation 7 with fraud number +864001"
