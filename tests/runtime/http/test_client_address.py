import pytest

from streams.config import ConfigError, Settings
from streams.runtime.http.client_address import ClientAddress, parse_networks

PROXIES = parse_networks("10.0.0.1, 192.168.0.0/16, fd00::/8")


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    client = ClientAddress(())
    assert client("203.0.113.7", ["198.51.100.1"]) == "203.0.113.7"
    assert client(None, ["198.51.100.1"]) == "unknown"


def test_a_client_that_is_not_a_proxy_cannot_choose_its_bucket() -> None:
    client = ClientAddress(PROXIES)
    assert client("203.0.113.7", ["198.51.100.1"]) == "203.0.113.7"
    assert client("203.0.113.7", ["10.0.0.1"]) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() -> None:
    client = ClientAddress(PROXIES)
    assert client("10.0.0.1", ["198.51.100.1"]) == "198.51.100.1"
    # The client wrote "1.1.1.1" itself; the proxies appended what they saw, right to left.
    assert client("10.0.0.1", ["1.1.1.1, 198.51.100.1, 192.168.4.2"]) == "198.51.100.1"
    assert client("10.0.0.1", ["1.1.1.1", "198.51.100.1,192.168.4.2"]) == "198.51.100.1", "two headers"


def test_ports_brackets_ipv6_and_mapped_addresses() -> None:
    client = ClientAddress(PROXIES)
    assert client("10.0.0.1", ["198.51.100.1:4711"]) == "198.51.100.1"
    assert client("10.0.0.1", ["[2001:db8::1]:443"]) == "2001:db8::1"
    assert client("fd00::5", ["2001:db8::1, fd00::7"]) == "2001:db8::1"
    assert client("::ffff:10.0.0.1", ["198.51.100.2"]) == "198.51.100.2"


def test_no_header_or_only_proxies_in_it() -> None:
    client = ClientAddress(PROXIES)
    assert client("10.0.0.1", []) == "10.0.0.1"
    assert client("10.0.0.1", ["192.168.1.1, 10.0.0.1"]) == "192.168.1.1"
    assert client("10.0.0.1", ["unknown"]) == "unknown"


def test_bad_proxy_lists_are_refused_with_the_bad_item() -> None:
    assert parse_networks("") == ()
    assert [str(n) for n in parse_networks(" 10.0.0.1 ,,10.1.0.0/16")] == ["10.0.0.1/32", "10.1.0.0/16"]
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks("10.0.0.1,10.0.0.300")


def test_a_bad_sitrep_trusted_proxies_stops_the_start() -> None:
    assert Settings.from_env({"SITREP_TRUSTED_PROXIES": "10.0.0.0/8"}).trusted_proxies == "10.0.0.0/8"
    with pytest.raises(ConfigError, match=r"SITREP_TRUSTED_PROXIES: 'proxy\.internal' is not"):
        Settings.from_env({"SITREP_TRUSTED_PROXIES": "proxy.internal"})
