"""Where the sync client keeps its login: the system keyring when it has a usable backend,
else a 0600 file. The keyring path runs through the real `keyring` library with a backend
registered here (no OS keychain on a test machine), the same API a desktop's backend serves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from timetracker.sync.token_store import SERVICE, TokenStore

SERVER = "https://time.example.com"
LOGIN = {"access_token": "ttp_secret_value_0123456789", "token_id": "1", "email": "jo@example.com"}


class MemoryKeychain(KeyringBackend):
    priority = 1  # type: ignore[assignment]  # a usable backend, as a desktop keychain is

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def keychain() -> Iterator[MemoryKeychain]:
    backend = MemoryKeychain()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


def test_with_a_keychain_the_login_lives_there_and_no_file_is_written(keychain: MemoryKeychain, tmp_path: Path) -> None:
    store = TokenStore(tmp_path, SERVER + "/")
    assert store.where == "system keyring"
    store.save(LOGIN)
    assert not (tmp_path / "login.json").exists()
    assert (SERVICE, SERVER) in keychain.items
    assert TokenStore(tmp_path, SERVER).load() == LOGIN  # found again by the next run
    store.delete()
    assert keychain.items == {} and store.load() is None


def test_without_a_usable_backend_the_login_is_a_0600_file(tmp_path: Path) -> None:
    store = TokenStore(tmp_path, SERVER)
    assert store.where == str(tmp_path / "login.json")
    store.save(LOGIN)
    assert ((tmp_path / "login.json").stat().st_mode & 0o777) == 0o600
    assert store.load() == LOGIN


def test_a_plaintext_keyring_is_passed_over_for_the_private_file(tmp_path: Path) -> None:
    class PlaintextKeyring(MemoryKeychain):  # what keyrings.alt offers: a readable file
        pass

    keyring.set_keyring(PlaintextKeyring())
    try:
        assert TokenStore(tmp_path, SERVER).where == str(tmp_path / "login.json")
    finally:
        keyring.set_keyring(fail.Keyring())
