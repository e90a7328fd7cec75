"""The login throttle over real HTTP: per (email, address) with backoff, per address, atomic,
shared by every API process, and fed only addresses someone trustworthy vouches for.

Browsers are named the way the dashboard names them (its key proves the header is its own);
X-Forwarded-For counts only from TRUSTED_PROXIES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
from supabase_auth.errors import AuthApiError

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.net import outside_address
from tests.utils.users import PASSWORD, TestUser, unique_email
from timetracker.auth import client_address
from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin
from timetracker.config import Settings


@pytest.fixture
def start_app(settings: Settings) -> Iterator[Callable[..., RunningApp]]:
    with ExitStack() as stack:
        yield lambda **overrides: stack.enter_context(running_app(variant(settings, **overrides)))


def login(
    app: RunningApp, email: str, password: str, address: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A password grant from a browser at `address`, named by the dashboard's channel."""
    named = client_address.dashboard_headers(app.settings.master_secret.get_secret_value(), address)
    return httpx.post(
        f"{app.url}/auth/v1/token?grant_type=password",
        json={"email": email, "password": password},
        headers={**named, **(headers or {})},
        timeout=30,
    )


def test_a_stranger_elsewhere_cannot_lock_the_owner_out(start_app: Callable[..., RunningApp], alice: TestUser) -> None:
    app = start_app(login_max_failures=3)
    stranger = outside_address()
    answers = [login(app, alice.email, "guess", stranger).status_code for _ in range(6)]
    assert answers == [400, 400, 400, 429, 429, 429]

    assert login(app, alice.email, PASSWORD, outside_address()).status_code == 200
    assert login(app, alice.email, PASSWORD).status_code == 200  # and from loopback (no browser named)
    # The stranger is still waiting, right password or not.
    assert login(app, alice.email, PASSWORD, stranger).status_code == 429


def test_the_dashboards_own_login_client_names_the_browser(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    """SupabaseLogin (what each dashboard session uses) carries its browser's address, so a
    stranger's failures through the dashboard block the stranger's browser, not the account."""
    app = start_app(login_max_failures=2)
    stranger = SupabaseLogin(app.settings, outside_address())
    for _ in range(2):
        with pytest.raises(LoginFailed) as wrong:
            stranger.sign_in(alice.email, "guess")
        assert wrong.value.code == "invalid_credentials"
    with pytest.raises(LoginFailed) as blocked:
        stranger.sign_in(alice.email, PASSWORD)
    assert blocked.value.code == "over_request_rate_limit" and "Try again in" in blocked.value.message

    owner = SupabaseLogin(app.settings, outside_address())
    owner.sign_in(alice.email, PASSWORD)
    assert owner.access_token()


def test_the_dashboards_header_is_ignored_without_its_key(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    """Anyone can send the header; without the dashboard's key it names nobody, and the
    failures count against the caller itself."""
    app = start_app(login_max_failures=2)
    forged = {client_address.CLIENT_ADDRESS_HEADER: outside_address(), client_address.DASHBOARD_KEY_HEADER: "0" * 64}
    for _ in range(2):
        assert login(app, alice.email, "guess", headers=forged).status_code == 400
    assert login(app, alice.email, PASSWORD).status_code == 429  # counted on loopback, the real caller
    assert login(app, alice.email, PASSWORD, outside_address()).status_code == 200


def test_forty_parallel_guesses_get_exactly_the_allowed_evaluations(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    app = start_app(login_max_failures=5, login_max_failures_per_address=100)
    attacker = outside_address()
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda _: login(app, alice.email, "guess", attacker).status_code, range(40)))
    assert (answers.count(400), answers.count(429)) == (5, 35)


def test_the_count_holds_across_api_processes(start_app: Callable[..., RunningApp], alice: TestUser) -> None:
    """Two servers with their own Runtime and pool (as two processes) on one database."""
    first, second = start_app(login_max_failures=4), start_app(login_max_failures=4)
    attacker = outside_address()
    answers = [login(app, alice.email, "guess", attacker).status_code for app in (first, second, first, second)]
    assert answers == [400, 400, 400, 400]
    assert login(first, alice.email, "guess", attacker).status_code == 429
    assert login(second, alice.email, "guess", attacker).status_code == 429


def test_x_forwarded_for_is_ignored_unless_a_trusted_proxy_sends_it(
    start_app: Callable[..., RunningApp], alice: TestUser
) -> None:
    """With no TRUSTED_PROXIES (the default) a made-up X-Forwarded-For on every try is no way
    out of the throttle: the failures count against the real caller."""
    app = start_app(login_max_failures=3)
    answers = [
        login(app, alice.email, "guess", headers={"X-Forwarded-For": outside_address()}).status_code for _ in range(5)
    ]
    assert answers == [400, 400, 400, 429, 429]


def test_a_trusted_proxys_x_forwarded_for_names_the_client(start_app: Callable[..., RunningApp], bob: TestUser) -> None:
    app = start_app(login_max_failures=2, trusted_proxies="127.0.0.1,::1")
    blocked, other = outside_address(), outside_address()
    for _ in range(2):
        assert login(app, bob.email, "guess", headers={"X-Forwarded-For": blocked}).status_code == 400
    assert login(app, bob.email, PASSWORD, headers={"X-Forwarded-For": blocked}).status_code == 429
    assert login(app, bob.email, PASSWORD, headers={"X-Forwarded-For": other}).status_code == 200


def test_the_supabase_client_sees_the_wait(start_app: Callable[..., RunningApp], alice: TestUser) -> None:
    app = start_app(login_max_failures=1, login_lockout_seconds=30)
    stranger = outside_address()
    assert login(app, alice.email, "guess", stranger).status_code == 400
    refused = login(app, alice.email, "guess", stranger)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 30
    assert refused.json()["code"] == "over_request_rate_limit"
    with pytest.raises(AuthApiError):
        SupabaseLogin(app.settings, stranger).client.sign_in_with_password({"email": alice.email, "password": "x"})


def test_a_new_email_from_a_spraying_address_is_refused(start_app: Callable[..., RunningApp]) -> None:
    app = start_app(login_max_failures_per_address=4)
    sprayer = outside_address()
    assert [login(app, unique_email("spray"), "guess", sprayer).status_code for _ in range(4)] == [400] * 4
    assert login(app, unique_email("spray"), "guess", sprayer).status_code == 429
