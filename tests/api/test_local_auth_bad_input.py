"""/auth/v1 answers what Postgres cannot store in GoTrue's error shape, never a 500.

Found while fuzzing: a NUL in the email (sign-up and password grant), and a NUL or 1e400
(read as Infinity) in the sign-up's `data`, all reached the database and answered 500.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.utils.users import PASSWORD, unique_email


def gotrue_validation_failed(message: str) -> dict[str, str]:
    return {"code": "validation_failed", "error_code": "validation_failed", "msg": message, "message": message}


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/auth/v1/signup",
            {"email": "ana\u0000@example.com", "password": PASSWORD},
            "email must not contain NUL characters",
        ),
        (
            "/auth/v1/token?grant_type=password",
            {"email": "ana\u0000@example.com", "password": PASSWORD},
            "email must not contain NUL characters",
        ),
        (
            "/auth/v1/signup",
            {"email": unique_email("nul"), "password": PASSWORD, "data": {"display_name": "Ana\u0000"}},
            "data.display_name must not contain NUL characters",
        ),
        (
            "/auth/v1/signup",
            {"email": "ana\ud800@example.com", "password": PASSWORD},  # a lone surrogate: not Unicode
            "email must not contain unpaired surrogates (not valid Unicode)",
        ),
        (
            "/auth/v1/token?grant_type=password",
            {"email": "ana\ud800@example.com", "password": PASSWORD},
            "email must not contain unpaired surrogates (not valid Unicode)",
        ),
    ],
)
def test_a_nul_is_refused_in_gotrue_shape(http: httpx.Client, path: str, body: dict[str, object], message: str) -> None:
    # As JSON text with escapes (httpx's json= writes raw UTF-8, which cannot hold a lone surrogate).
    response = http.post(path, content=json.dumps(body), headers={"Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert response.json() == gotrue_validation_failed(message)


def test_an_infinite_number_in_signup_data_is_refused(http: httpx.Client) -> None:
    body = f'{{"email": "{unique_email("inf")}", "password": "{PASSWORD}", "data": {{"age": 1e400}}}}'

    response = http.post("/auth/v1/signup", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert response.json() == gotrue_validation_failed("data.age must be a finite number")
