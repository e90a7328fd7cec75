"""The plugins' wire quirks and the token cipher, without a server."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from timetracker.cipher import InvalidToken, TokenCipher
from timetracker.config import Settings
from timetracker.wakatime import wire


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("wakatime/v1.90.0 (linux-6.1) go1.22 vscode/1.90.0 vscode-wakatime/24.6.0", ("vscode", "Linux")),
        (
            "wakatime/13.0.7 (Linux-4.15.0-91-generic-x86_64) Python3.8.0.final.0 vscode/1.42.1 vscode-wakatime/4.0.0",
            ("vscode", "Linux"),
        ),
        (
            "wakatime/v1.73.0 (darwin-22.4.0-arm64) go1.20.3 PyCharm/2023.1 PyCharm-wakatime/14.1.5",
            ("pycharm", "Darwin"),
        ),
        ("wakatime/v1.86.1 (windows-10.0.22631) go1.21 emacs-wakatime/1.0.2", ("emacs", "Windows")),
        ("curl/8.0", (None, None)),
        (None, (None, None)),
    ],
)
def test_editor_and_os_come_from_the_user_agent(
    user_agent: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert wire.client_of(user_agent) == expected


@pytest.mark.parametrize(
    ("authorization", "api_key", "expected"),
    [
        ("Basic " + base64.b64encode(b"k-1").decode(), None, "k-1"),
        ("basic " + base64.b64encode(b"k-1:").decode(), None, "k-1"),
        ("Bearer k-2", None, "k-2"),
        (None, "k-3", "k-3"),
        ("Basic ***", "k-3", None),  # a broken header is not silently replaced by the query
        ("Token k-4", None, None),
        (None, None, None),
    ],
)
def test_the_key_is_read_from_every_form(authorization: str | None, api_key: str | None, expected: str | None) -> None:
    assert wire.key_from_credentials(authorization, api_key) == expected


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0 mins"), (59, "0 mins"), (60, "1 min"), (3600, "1 hr"), (7500, "2 hrs 5 mins")]
)
def test_status_bar_text(seconds: float, text: str) -> None:
    assert wire.human_duration(seconds) == text


def test_keys_rotate_the_first_encrypts_all_decrypt() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored = TokenCipher(old).encrypt("access-token")
    rotated = TokenCipher(f"{new},{old}")
    assert rotated.decrypt(stored) == "access-token"
    assert TokenCipher(new).decrypt(rotated.rotate(stored)) == "access-token"
    assert TokenCipher(new).decrypt(rotated.encrypt("x")) == "x"
    with pytest.raises(InvalidToken):
        TokenCipher(new).decrypt(stored)
    with pytest.raises(ValueError):
        TokenCipher(" , ")


@pytest.mark.parametrize("value", ["not-a-key", "{key},", "{key},short"])
def test_a_malformed_fernet_key_is_a_startup_error(tmp_path: Path, value: str) -> None:
    key = Fernet.generate_key().decode()
    with pytest.raises(ValidationError, match="FERNET_KEYS"):
        Settings(_env_file=None, data_dir=tmp_path, fernet_keys=value.format(key=key))
    assert Settings(_env_file=None, data_dir=tmp_path, fernet_keys=f"{key}, {key}").fernet_keys
