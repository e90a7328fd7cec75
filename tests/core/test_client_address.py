"""Whose address a login comes from: TRUSTED_PROXIES, X-Forwarded-For, and the dashboard's
channel (its header counts only with the key derived from MASTER_SECRET)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from timetracker.auth import client_address
from timetracker.auth.client_address import (
    CLIENT_ADDRESS_HEADER,
    DASHBOARD_KEY_HEADER,
    browser_address,
    dashboard_headers,
    named_by_dashboard,
    parse_trusted_proxies,
    through_proxies,
)
from timetracker.config import Settings

SECRET = "m" * 48


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert [str(n) for n in parse_trusted_proxies(" 10.0.0.7, 172.16.0.0/12 ,::1,")] == [
        "10.0.0.7/32",
        "172.16.0.0/12",
        "::1/128",
    ]
    assert parse_trusted_proxies("") == []
    for wrong in ("*", "localhost", "10.0.0.0/33", "10.0.0.1 10.0.0.2"):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
            parse_trusted_proxies(wrong)


@pytest.mark.parametrize("value", ["*", "proxy.internal"])
def test_settings_refuse_a_trusted_proxy_that_is_no_address(tmp_path: Path, value: str) -> None:
    with pytest.raises(ValidationError, match="TRUSTED_PROXIES"):
        Settings(_env_file=None, data_dir=tmp_path, trusted_proxies=value)


def test_settings_refuse_a_cap_below_the_first_lockout(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="LOGIN_MAX_LOCKOUT_SECONDS"):
        Settings(_env_file=None, data_dir=tmp_path, login_lockout_seconds=600, login_max_lockout_seconds=60)


def test_x_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    trusted = parse_trusted_proxies("10.0.0.0/8")
    assert through_proxies("198.51.100.1", "203.0.113.5", trusted) == "198.51.100.1"
    assert through_proxies("10.0.0.2", "203.0.113.5", trusted) == "203.0.113.5"
    # The nearest hop that is not itself a trusted proxy: what the client put first is not believed.
    assert through_proxies("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", trusted) == "203.0.113.5"
    assert through_proxies("10.0.0.2", None, trusted) == "10.0.0.2"
    assert through_proxies("127.0.0.1", "203.0.113.5", []) == "127.0.0.1"


def test_the_dashboard_names_a_browser_only_when_it_has_an_outside_address() -> None:
    assert browser_address("198.51.100.7", None, "") == "198.51.100.7"
    assert browser_address(None, None, "") is None  # on this host (Streamlit reports no peer)
    assert browser_address(None, "203.0.113.5", "") is None  # a header nobody vouches for
    assert browser_address(None, "203.0.113.5", "127.0.0.1") == "203.0.113.5"  # a local proxy's
    assert browser_address("198.51.100.7", "203.0.113.5", "127.0.0.1") == "198.51.100.7"
    assert browser_address(None, "[2001:db8::1]:4711", "127.0.0.1") == "2001:db8::1"
    assert browser_address(None, "not an address", "127.0.0.1") is None


def test_the_dashboards_header_counts_only_with_its_key() -> None:
    headers = dashboard_headers(SECRET, "203.0.113.5")
    assert named_by_dashboard(headers, SECRET) == "203.0.113.5"
    assert SECRET not in str(headers)  # the key is a MAC of the secret, not the secret
    assert named_by_dashboard(headers, "another secret of enough length, 48 characters") is None
    assert named_by_dashboard({CLIENT_ADDRESS_HEADER: "203.0.113.5"}, SECRET) is None
    key = headers[DASHBOARD_KEY_HEADER]
    one_digit_off = key[:-1] + ("1" if key[-1] == "0" else "0")
    assert named_by_dashboard({**headers, DASHBOARD_KEY_HEADER: one_digit_off}, SECRET) is None
    assert named_by_dashboard({**headers, DASHBOARD_KEY_HEADER: "x"}, SECRET) is None
    assert named_by_dashboard({**headers, CLIENT_ADDRESS_HEADER: "anywhere"}, SECRET) is None
    assert dashboard_headers(SECRET, None) == {} == dashboard_headers(SECRET, "nonsense")


def test_the_key_is_the_same_in_every_process_with_the_same_secret() -> None:
    assert client_address.dashboard_key(SECRET) == client_address.dashboard_key(SECRET)
    assert client_address.dashboard_key(SECRET) != client_address.dashboard_key(SECRET + "x")


def test_the_dashboard_never_sends_its_key_to_an_outside_supabase(tmp_path: Path) -> None:
    from timetracker.auth.supabase_session import new_auth_client

    project = {"supabase_url": "https://project.supabase.co", "supabase_anon_key": "sb_publishable_test"}
    outside = Settings(_env_file=None, data_dir=tmp_path, **project)
    local = Settings(_env_file=None, data_dir=tmp_path)
    assert DASHBOARD_KEY_HEADER not in new_auth_client(outside, "203.0.113.5")._headers
    assert new_auth_client(local, "203.0.113.5")._headers[CLIENT_ADDRESS_HEADER] == "203.0.113.5"
