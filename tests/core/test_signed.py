"""Signed tokens prove the server wrote the payload, for one purpose only."""

from __future__ import annotations

import pytest

from timetracker import signed

SECRET = "a server secret of enough length for an hmac key"


def test_a_token_reads_back_for_its_purpose_and_secret() -> None:
    token = signed.sign({"sub": "a", "exp": 1}, b"purpose/v1\n", SECRET)
    assert signed.unsign(token, b"purpose/v1\n", SECRET) == {"sub": "a", "exp": 1}


@pytest.mark.parametrize(
    ("purpose", "secret"),
    [(b"another/v1\n", SECRET), (b"purpose/v1\n", SECRET + "!")],
    ids=["another purpose", "another secret"],
)
def test_a_token_is_refused_for_another_purpose_or_secret(purpose: bytes, secret: str) -> None:
    token = signed.sign({"sub": "a"}, b"purpose/v1\n", SECRET)
    with pytest.raises(signed.BadSignature):
        signed.unsign(token, purpose, secret)


@pytest.mark.parametrize("token", ["", ".", "abc", "abc.def", "e30.", "%%%.x"])
def test_anything_else_is_refused(token: str) -> None:
    with pytest.raises(signed.BadSignature):
        signed.unsign(token, b"purpose/v1\n", SECRET)


def test_a_changed_payload_is_refused() -> None:
    payload, _, signature = signed.sign({"sub": "a"}, b"purpose/v1\n", SECRET).partition(".")
    forged = signed.sign({"sub": "b"}, b"purpose/v1\n", SECRET).partition(".")[0]
    assert forged != payload
    with pytest.raises(signed.BadSignature):
        signed.unsign(f"{forged}.{signature}", b"purpose/v1\n", SECRET)
