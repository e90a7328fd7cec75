"""Secrets kept at rest (WakaTime's OAuth tokens, the dashboard's kept logins): Fernet, with
every key in FERNET_KEYS able to decrypt. Built once per process, on the Runtime.

The first key encrypts; listing a new key first and keeping the old ones after it rotates
keys without a migration: `db up` (the entrypoint) re-encrypts what the first key cannot
open yet (`connections.reencrypt_under_first_key`), after which the old key can be removed.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from timetracker.config import Settings


class TokenCipher:
    def __init__(self, fernet_keys: str) -> None:
        keys = [key.strip() for key in fernet_keys.split(",") if key.strip()]
        if not keys:
            raise ValueError("FERNET_KEYS is empty")
        self._first = Fernet(keys[0])
        self._fernet = MultiFernet([self._first, *(Fernet(key) for key in keys[1:])])
        self.key_count = len(keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher:
        return cls(settings.fernet_keys.get_secret_value())

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """Raises InvalidToken when no configured key opened it (a removed key)."""
        return self._fernet.decrypt(ciphertext.encode()).decode()

    def under_first_key(self, ciphertext: str) -> bool:
        try:
            self._first.decrypt(ciphertext.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, ciphertext: str) -> str:
        """The same plaintext encrypted under the first key (InvalidToken if no key opens it)."""
        return self._fernet.rotate(ciphertext.encode()).decode()


__all__ = ["InvalidToken", "TokenCipher"]
