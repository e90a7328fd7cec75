"""The sync client's login: OAuth 2.0 authorization code + PKCE (S256) + state, loopback
redirects only. The "browser" is an HTTP client that loads the authorize page, submits the
sign-in form and follows the redirect to the client's loopback listener, as a browser would.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.activitywatch.aw_data import standard_bucket
from tests.utils.tcp_proxy import tcp_proxy
from tests.utils.users import TestUser
from timetracker.oauth import CLIENT_ID
from timetracker.oauth.pkce import challenge_for, new_verifier
from timetracker.sync import __main__ as sync_cli
from timetracker.sync.oauth_login import LoginError, login, revoke
from timetracker.sync.token_store import TokenStore

LOOPBACK = "http://127.0.0.1:53682/callback"


def authorize_params(**overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": LOOPBACK,
        "state": "s-123",
        "code_challenge": challenge_for("v" * 50),
        "code_challenge_method": "S256",
    }
    return {**params, **overrides}


def sign_in(http: httpx.Client, user: TestUser, params: dict[str, str], password: str | None = None) -> httpx.Response:
    return http.post(
        "/oauth/authorize",
        data={**params, "email": user.email, "password": password or user.password, "decision": "allow"},
        follow_redirects=False,
    )


def code_from(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 303, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def exchange(http: httpx.Client, code: str, verifier: str = "v" * 50, redirect_uri: str = LOOPBACK) -> httpx.Response:
    return http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": CLIENT_ID,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
    )


def browser(api_url: str, user: TestUser, password: str | None = None) -> Callable[[str], None]:
    """Opens the URL like the person would: load the page, sign in, follow to the callback."""

    def open_url(url: str) -> None:
        def visit() -> None:
            with httpx.Client(timeout=30) as client:
                page = client.get(url)
                assert page.status_code == 200 and "password" in page.text
                query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                answer = client.post(
                    f"{api_url}/oauth/authorize",
                    data={**query, "email": user.email, "password": password or user.password, "decision": "allow"},
                    follow_redirects=False,
                )
                if answer.status_code == 303:
                    client.get(answer.headers["location"])

        threading.Thread(target=visit, daemon=True).start()

    return open_url


def test_login_gets_a_personal_token_that_sends_and_logout_revokes_it(
    api_url: str, http: httpx.Client, alice: TestUser
) -> None:
    result = login(api_url, opener=browser(api_url, alice), timeout=30)
    assert result["email"] == alice.email and result["access_token"].startswith("ttp_")
    headers = {"Authorization": f"Bearer {result['access_token']}"}
    answer = http.post("/api/v1/activitywatch/webhook", json=standard_bucket("afkstatus"), headers=headers)
    assert answer.status_code == 200 and answer.json()["created"] == 1
    assert revoke(api_url, result) is True
    assert (
        http.post("/api/v1/activitywatch/webhook", json=standard_bucket("afkstatus"), headers=headers).status_code
        == 401
    )


def test_the_authorize_page_is_not_cacheable_or_frameable(http: httpx.Client) -> None:
    page = http.get("/oauth/authorize", params=authorize_params())
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        "http://evil.example:8080/callback",
        "http://localhost:8080/callback",
        "http://127.0.0.1.evil.example:80/callback",
        "http://user@127.0.0.1:8080/callback",
        "http://127.0.0.1:8080/callback#frag",
        "myapp://callback",
        "",
        # Passed the loopback check, then the NUL failed storing the code: a 500.
        "http://127.0.0.1:8080/callback\x00",
        "http://127.0.0.1:8080/call\nback",  # urlsplit drops the newline; the stored URI kept it
        "http://127.0.0.1:8080/call back",
    ],
)
def test_non_loopback_redirects_are_refused_without_redirecting(
    http: httpx.Client, alice: TestUser, redirect_uri: str
) -> None:
    page = http.get("/oauth/authorize", params=authorize_params(redirect_uri=redirect_uri), follow_redirects=False)
    assert page.status_code == 400 and "location" not in page.headers
    posted = sign_in(http, alice, authorize_params(redirect_uri=redirect_uri))
    assert posted.status_code == 400 and "location" not in posted.headers


def test_unknown_client_is_refused(http: httpx.Client) -> None:
    page = http.get("/oauth/authorize", params=authorize_params(client_id="other"), follow_redirects=False)
    assert page.status_code == 400 and "location" not in page.headers


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"state": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_bad_requests_go_back_to_the_client_as_errors(http: httpx.Client, override: dict[str, str], error: str) -> None:
    page = http.get("/oauth/authorize", params=authorize_params(**override), follow_redirects=False)
    answer = code_from(page)
    assert answer["error"] == error and "code" not in answer


def test_wrong_password_shows_the_form_again_and_issues_no_code(http: httpx.Client, alice: TestUser) -> None:
    response = sign_in(http, alice, authorize_params(), password="wrong password")
    assert response.status_code == 401 and "location" not in response.headers
    assert "Invalid login credentials" in response.text and alice.password not in response.text


def test_a_nul_in_the_email_is_a_failed_sign_in_not_a_500(http: httpx.Client, alice: TestUser) -> None:
    form = {**authorize_params(), "email": alice.email + "\x00", "password": alice.password, "decision": "allow"}
    response = http.post("/oauth/authorize", data=form, follow_redirects=False)
    assert response.status_code == 401 and "location" not in response.headers
    assert "Invalid login credentials" in response.text


def test_cancel_returns_access_denied(http: httpx.Client, alice: TestUser) -> None:
    params = {**authorize_params(), "email": alice.email, "password": "", "decision": "deny"}
    answer = code_from(http.post("/oauth/authorize", data=params, follow_redirects=False))
    assert answer == {"error": "access_denied", "state": "s-123"}


def test_wrong_verifier_is_refused_and_burns_the_code(http: httpx.Client, alice: TestUser) -> None:
    answer = code_from(sign_in(http, alice, authorize_params()))
    assert answer["state"] == "s-123"
    wrong = exchange(http, answer["code"], verifier="w" * 50)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # The code is single use even after a failed attempt.
    assert exchange(http, answer["code"]).json()["error"] == "invalid_grant"


def test_a_code_is_redeemed_once_and_only_for_its_redirect(http: httpx.Client, alice: TestUser) -> None:
    answer = code_from(sign_in(http, alice, authorize_params()))
    other = code_from(sign_in(http, alice, authorize_params()))
    mismatched = exchange(http, other["code"], redirect_uri="http://127.0.0.1:1/callback")
    assert mismatched.json()["error"] == "invalid_grant"
    first = exchange(http, answer["code"])
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert first.json()["access_token"].startswith("ttp_")
    reused = exchange(http, answer["code"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "client_id": "other"}, "invalid_client"),
        ({"grant_type": "authorization_code", "client_id": CLIENT_ID, "code": "x"}, "invalid_request"),
        (
            {
                "grant_type": "authorization_code",
                "client_id": CLIENT_ID,
                "code": "made-up",
                "redirect_uri": LOOPBACK,
                "code_verifier": new_verifier(),
            },
            "invalid_grant",
        ),
    ],
)
def test_token_endpoint_errors(http: httpx.Client, form: dict[str, str], error: str) -> None:
    assert http.post("/oauth/token", data=form).json()["error"] == error


def test_the_client_refuses_an_answer_with_the_wrong_state(api_url: str) -> None:
    def forged_answer(url: str) -> None:
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        query = urlencode({"code": "attacker-code", "state": "not-the-state"})
        threading.Thread(target=lambda: httpx.get(f"{redirect_uri}?{query}"), daemon=True).start()

    with pytest.raises(LoginError, match="state"):
        login(api_url, opener=forged_answer, timeout=30)


def test_cli_login_status_logout_with_a_0600_token_file(
    api_url: str, http: httpx.Client, alice: TestUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(
        "timetracker.sync.__main__.login",
        lambda server, open_browser: login(server, opener=browser(api_url, alice), timeout=30),
    )
    monkeypatch.setattr("timetracker.sync.token_store._keyring", lambda: None)
    config, state = tmp_path / "config.toml", tmp_path / "state"
    base = ["--config", str(config), "--state-dir", str(state)]
    assert sync_cli.main([*base, "login", "--server", api_url]) == 0
    token_file = state / "login.json"
    assert (token_file.stat().st_mode & 0o777) == 0o600
    stored = TokenStore(state, api_url).load()
    assert stored is not None and stored["email"] == alice.email
    assert config.exists()
    assert sync_cli.main([*base, "status"]) == 0
    assert f"{alice.email} (login)" in capsys.readouterr().out
    assert sync_cli.main([*base, "logout"]) == 0
    assert not token_file.exists()
    headers = {"Authorization": f"Bearer {stored['access_token']}"}
    assert (
        http.post("/api/v1/activitywatch/webhook", json=standard_bucket("afkstatus"), headers=headers).status_code
        == 401
    )


def test_logout_with_the_server_unreachable_says_the_token_still_works_there(
    api_url: str, http: httpx.Client, alice: TestUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    api_port = int(api_url.rsplit(":", 1)[1])
    with tcp_proxy(lambda: socket.create_connection(("127.0.0.1", api_port))) as proxy:
        server = f"http://127.0.0.1:{proxy.port}"
        monkeypatch.setattr(
            "timetracker.sync.__main__.login",
            lambda url, open_browser: login(url, opener=browser(server, alice), timeout=30),
        )
        monkeypatch.setattr("timetracker.sync.token_store._keyring", lambda: None)
        config, state = tmp_path / "config.toml", tmp_path / "state"
        state.mkdir()
        (state / "login.json").write_text("{}")
        (state / "login.json").chmod(0o644)  # left readable by something else
        base = ["--config", str(config), "--state-dir", str(state)]
        assert sync_cli.main([*base, "login", "--server", server]) == 0
        assert ((state / "login.json").stat().st_mode & 0o777) == 0o600  # tightened, not kept
        stored = TokenStore(state, server).load()
        assert stored is not None
        capsys.readouterr()

        proxy.down()
        assert sync_cli.main([*base, "logout"]) == 1
        said = capsys.readouterr().out
        assert "could not be told" in said and "Profile" in said
        assert not (state / "login.json").exists()
    # Still honoured by the server, which is why the person was told.
    headers = {"Authorization": f"Bearer {stored['access_token']}"}
    answer = http.post("/api/v1/activitywatch/webhook", json=standard_bucket("afkstatus"), headers=headers)
    assert answer.status_code == 200
