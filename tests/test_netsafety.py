"""Address checks: every spelling of a private target is recognised, public ones pass."""

from __future__ import annotations

import ipaddress

import pytest

from crawler.netsafety import (
    AllowList,
    check_address,
    check_host,
    check_url,
    forbidden_reason,
    parse_allow_entry,
    parse_ip_host,
)

NONE = AllowList()


@pytest.mark.parametrize(("host", "ip"), [
    ("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("2130706433", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"), ("１２７.０.０.１", "127.0.0.1"), ("127。0。0。1", "127.0.0.1"),
    ("%31%32%37.0.0.1", "127.0.0.1"), ("[::1]", "::1"), ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ("[fe80::1%25eth0]", "fe80::1"), ("10.0.0.1", "10.0.0.1"), ("017700000001", "127.0.0.1"),
])
def test_ip_literals_in_every_spelling(host: str, ip: str) -> None:
    assert parse_ip_host(host) == ipaddress.ip_address(ip)


@pytest.mark.parametrize("host", ["example.com", "1.2.3.4.5", "256.1.1.1", "0x", "08.0.0.1", "0x.1", "0x100000000",
                                  "127.0.0.1.example.com", "::g"])
def test_names_are_not_ip_literals(host: str) -> None:
    assert parse_ip_host(host) is None


@pytest.mark.parametrize(("host", "kind"), [
    ("localhost", "local host name"), ("LOCALHOST.", "local host name"),
    ("db.localhost", "local host name"), ("printer.local", "local host name"),
    ("router.home.arpa", "local host name"), ("ip6-localhost", "local host name"),
    ("fileserver", "single-label"), ("127.1", "loopback"), ("2130706433", "loopback"),
    ("[::1]", "loopback"), ("[::ffff:127.0.0.1]", "loopback"), ("[::ffff:10.1.2.3]", "private"),
    ("0.0.0.0", "unspecified"), ("[::]", "unspecified"), ("169.254.169.254", "link-local"),
    ("[fe80::1]", "link-local"), ("192.168.1.1", "private"), ("172.16.5.4", "private"),
    ("[fc00::1]", "private"), ("100.64.0.1", "shared"), ("224.0.0.251", "multicast"),
    ("[ff02::1]", "multicast"), ("240.0.0.1", "private"), ("192.0.2.1", "private"),
    ("[2002:7f00:1::]", "loopback"), ("[64:ff9b::a00:1]", "private"), ("[::7f00:1]", "loopback"),
])
def test_private_targets_are_refused(host: str, kind: str) -> None:
    reason = check_host(host, 80, NONE)
    assert reason is not None and kind in reason, reason


@pytest.mark.parametrize("host", ["example.com", "8.8.8.8", "[2001:4860:4860::8888]",
                                  "news.example.com.cn", "xn--fiqs8s.cn"])
def test_public_targets_pass(host: str) -> None:
    assert check_host(host, 80, NONE) is None


def test_allow_list_is_per_host_and_port() -> None:
    allow = AllowList(["127.0.0.1:8080", "[::1]", "intranet.example:81"])
    assert check_url("http://127.0.0.1:8080/x", allow) is None
    assert check_url("http://2130706433:8080/x", allow) is None  # same address, other spelling
    assert check_url("http://127.0.0.1:8081/x", allow) is not None
    assert check_url("http://localhost:8080/x", allow) is not None  # a name is not its address
    assert check_url("http://[::1]:9/", allow) is None  # no port: every port
    assert check_url("http://127.0.0.1/", allow) is not None  # default port 80 not allowed


def test_connection_time_check_names_the_resolved_address() -> None:
    ip = ipaddress.ip_address("127.0.0.1")
    assert check_address(ip, 80, "evil.example", NONE) == "evil.example resolves to loopback address 127.0.0.1"
    assert check_address(ip, 80, "evil.example", AllowList(["evil.example:80"])) is None
    assert check_address(ip, 80, "evil.example", AllowList(["127.0.0.1:80"])) is None
    assert check_address(ipaddress.ip_address("93.184.216.34"), 80, "example.com", NONE) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/", "gopher://x/",
                                 "data:text/html,hi", "http:///nohost", "http://[::1/"])
def test_only_http_urls_with_a_host(url: str) -> None:
    assert check_url(url, NONE) is not None


@pytest.mark.parametrize("entry", ["", ":80", "host:", "host:x", "host:0", "host:70000",
                                   "http://host", "1:2:3", "[::1", "[::1]x", "a b"])
def test_bad_allow_entries_get_one_line(entry: str) -> None:
    with pytest.raises(ValueError, match="bad --allow-private entry") as err:
        parse_allow_entry(entry)
    assert "\n" not in str(err.value)


def test_allow_entries_are_canonical() -> None:
    assert str(parse_allow_entry("0x7f000001:8000")) == "127.0.0.1:8000"
    assert str(parse_allow_entry("[::1]:80")) == "[::1]:80"
    assert str(parse_allow_entry("LocalHost")) == "localhost"


def test_forbidden_reason_public_addresses() -> None:
    assert forbidden_reason(ipaddress.ip_address("1.1.1.1")) is None
